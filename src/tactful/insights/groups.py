"""How groups of people are served: by activity tercile and by each value people declared.
Per group: people, exposures, click-through within 7 days, share personalized; a group of
fewer than ``min_people`` shows only its size."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from tactful.insights.rows import InsightRows
from tactful.insights.window import Window, ratio
from tactful.types import EventType, Exposure, ItemId, SubjectId

CLICK_WINDOW = timedelta(days=7)
TERCILES = ("low", "mid", "high")


def activity_terciles(
    rows: InsightRows, people: Sequence[SubjectId], w: Window
) -> dict[str, list[SubjectId]]:
    """People ordered by their number of events in the window (ties by id), split into three
    groups as equal as can be (the first ones one larger)."""
    counts = Counter(e.subject_id for e in rows.events if w.holds(e.occurred_at))
    ordered = sorted(people, key=lambda s: (counts.get(s, 0), s))
    parts = np.array_split(np.arange(len(ordered)), 3)
    return {
        f"activity:{name}": [ordered[i] for i in part]
        for name, part in zip(TERCILES, parts, strict=True)
    }


def clicked(x: Exposure, clicks: dict[tuple[SubjectId, ItemId], list[datetime]]) -> bool:
    """Whether the person clicked an item of the response within 7 days after it."""
    for item in x.items:
        times = clicks.get((x.subject_id, item), [])
        k = bisect_left(times, x.at)
        if k < len(times) and times[k] < x.at + CLICK_WINDOW:
            return True
    return False


def groups(
    rows: InsightRows, shown: Sequence[Exposure], w: Window, min_people: int
) -> dict[str, Any]:
    """Per group (activity terciles, then ``value:<v>`` for each declared value), among
    the people exposed whose feedback may be read (``analytics`` granted)."""
    people = sorted(
        s for s in {x.subject_id for x in shown} if rows.measured is None or s in rows.measured
    )
    counted = set(people)
    shown = [x for x in shown if x.subject_id in counted]
    members = activity_terciles(rows, people, w)
    for s in people:
        prefs = rows.preferences.get(s)
        for v in prefs.values if prefs is not None else ():
            members.setdefault(f"value:{v}", []).append(s)
    clicks: dict[tuple[SubjectId, ItemId], list[datetime]] = defaultdict(list)
    for e in rows.events:
        if e.type is EventType.CLICK and e.item_id is not None:
            clicks[(e.subject_id, e.item_id)].append(e.occurred_at)
    for times in clicks.values():
        times.sort()
    by_person: dict[SubjectId, list[Exposure]] = defaultdict(list)
    for x in shown:
        by_person[x.subject_id].append(x)
    return {name: _group(who, by_person, clicks, min_people) for name, who in members.items()}


def _group(
    who: Sequence[SubjectId],
    by_person: dict[SubjectId, list[Exposure]],
    clicks: dict[tuple[SubjectId, ItemId], list[datetime]],
    min_people: int,
) -> dict[str, Any]:
    n = len(who)
    if n < min_people:
        return {"people": n, "exposures": None, "ctr_7d": None, "personalized_share": None}
    mine = [x for s in who for x in by_person[s]]
    return {
        "people": n,
        "exposures": len(mine),
        "ctr_7d": ratio(sum(1 for x in mine if clicked(x, clicks)), len(mine), n, min_people),
        "personalized_share": ratio(
            sum(1 for x in mine if x.personalized), len(mine), n, min_people
        ),
    }
