"""Connection health, fairness and alerts over the stores (docs/insights.md): reads a
window's rows through the insights port, applies consent once (``insights.rows``), and
hands them to the pure reports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from tactful.insights.alerts import Alert, alerts
from tactful.insights.fairness import fairness_report
from tactful.insights.report import health_report
from tactful.insights.rows import InsightRows, Reading, consented, readable_texts
from tactful.insights.window import Window, window_ending
from tactful.settings import Settings
from tactful.signals.emotions import polarity
from tactful.store.ports import Stores

FATIGUE = "fatigue"
ALERT_DAYS = 14
"""Alerts compare the last 7 days with the 7 before."""


class Insights:
    """Reads, consents, reports. ``before_read`` (the exposure log's flush) runs first, so
    the figures include what was just shown."""

    def __init__(
        self,
        stores: Stores,
        settings: Settings,
        *,
        clock: Callable[[], datetime],
        before_read: Callable[[], object] = lambda: None,
    ) -> None:
        self._stores = stores
        self._settings = settings
        self._clock = clock
        self._before_read = before_read

    def window(self, days: int | None = None) -> Window:
        return window_ending(self._clock(), days or self._settings.insights.default_days)

    def health(self, days: int | None = None) -> dict[str, Any]:
        w = self.window(days)
        rows = self.rows(w)
        return health_report(rows, w, min_people=self._settings.insights.min_people)

    def fairness(self, days: int | None = None) -> dict[str, Any]:
        w = self.window(days)
        rows = self.rows(w)
        return fairness_report(rows, w, min_people=self._settings.insights.min_people)

    def alerts(self) -> tuple[Window, list[Alert]]:
        w = self.window(ALERT_DAYS)
        found = alerts(
            self.rows(w),
            w.end,
            self._settings.insights,
            default_cap=self._settings.engage.promotional_per_week,
        )
        return w, found

    def rows(self, w: Window) -> InsightRows:
        """The window's rows as insights may use them (``rows.consented``)."""
        self._before_read()
        port = self._stores.insights
        events = tuple(port.events(start=w.start, end=w.end))
        consents = tuple(port.consent_history(until=w.end))
        exposures = tuple(port.exposures(start=w.start, end=w.end))
        texts = readable_texts(events, consents, at=w.end)
        valences: list[float] = polarity([e.text or "" for e in texts])[:, 0].tolist()
        readings = tuple(
            Reading(e.subject_id, e.occurred_at, float(v))
            for e, v in zip(texts, valences, strict=True)
        )
        raw = InsightRows(
            events=tuple(e if e.text is None else replace(e, text=None) for e in events),
            consents=consents,
            exposures=exposures,
            decisions=tuple(port.decisions(start=w.start, end=w.end)),
            cases=tuple(port.cases(start=w.start, end=w.end)),
            fatigue=tuple(port.signals(FATIGUE)),
            readings=readings,
            items=tuple(self._stores.items.all()),
            preferences=port.preferences({x.subject_id for x in exposures}),
            tallies=self._stores.exposures.tallies(since=(w.start - timedelta(days=1)).date()),
        )
        return consented(raw, at=w.end)
