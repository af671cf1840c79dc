"""The population model's parameters: every behaviour of a simulated person is one number
here, with its default and where the default comes from (docs/simulation.md lists them all
and which conclusions flip when they move). A run records the parameters it used.

The defaults are an honest modeller's guesses anchored in published figures where there
are any; where there are none the source says "assumption", and the sweep (``--sweep``)
is how to find out whether a conclusion depends on it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from tactful.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Parameter:
    """One documented behaviour: what it means and the source of its default."""

    name: str
    meaning: str
    source: str


@dataclass(frozen=True, slots=True)
class Behaviour:
    """How simulated people behave; see ``SOURCES`` for what each field means."""

    visits_per_week: float = 1.2
    list_length: int = 20
    tolerance_median: float = 6.0
    tolerance_spread: float = 0.5
    pick_base: float = 0.3
    overload_elasticity: float = 1.0
    off_taste_appeal: float = 0.15
    purchase_given_pick: float = 0.3
    campaign_per_week: int = 5
    open_base: float = 0.22
    open_decay: float = 0.85
    purchase_given_open: float = 0.04
    own_cap_median: float = 3.0
    unsubscribe_base: float = 0.003
    unsubscribe_per_excess: float = 0.03
    complaint_base: float = 0.001
    complaint_hard_promo: float = 0.15
    hard_promo_withdraw: float = 0.05
    partner_events_per_week: float = 0.2
    creepy_trust_drop: float = 0.02
    life_event_rate: float = 0.004
    hard_weeks: int = 4
    write_on_event: float = 0.6
    hard_promo_trust_drop: float = 0.08
    handoff_trust_gain: float = 0.08
    good_pick_trust_gain: float = 0.01
    trust_mean: float = 0.65
    trust_strength: float = 10.0
    trust_recovery: float = 0.05
    withdraw_hazard: float = 0.03
    churn_base: float = 0.002
    churn_hazard: float = 0.03
    retrain_weeks: int = 4

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def with_value(self, name: str, raw: str | float) -> Behaviour:
        """A copy with one parameter changed (``--sweep name=...``), or ``InvalidInput``
        naming it."""
        kinds = {f.name: f.type for f in fields(self)}
        if name not in kinds:
            raise InvalidInput(
                f"unknown parameter {name!r}; known: {', '.join(sorted(kinds))}", field="sweep"
            )
        try:
            value: float = int(raw) if kinds[name] in (int, "int") else float(raw)
        except ValueError:
            raise InvalidInput(f"{name} must be a number, got {raw!r}", field="sweep") from None
        if value < 0:
            raise InvalidInput(f"{name} must not be negative, got {raw!r}", field="sweep")
        changes: dict[str, Any] = {name: value}
        return replace(self, **changes)


_I_L = "Iyengar & Lepper 2000 (J. Pers. Soc. Psych. 79(6)): 30% bought from 6 jams, 3% from 24"
_CHERNEV = (
    "Chernev, Böckenholt & Goodman 2015 (J. Consumer Psych. 25(2)) meta-analysis: the overload "
    "effect is real but varies widely by person and task, mean near zero, hence a wide spread"
)
_MAILCHIMP = (
    "Mailchimp email marketing benchmarks (all industries): opens ~21%, unsubscribes ~0.26%"
)

SOURCES: tuple[Parameter, ...] = (
    Parameter(
        "visits_per_week",
        "mean visits a week (Poisson, scaled by the demo's activity)",
        "assumption; the demo generator's activity spread",
    ),
    Parameter(
        "list_length",
        "items the shop's page asks for (the policy's guards cut it)",
        "assumption: a typical home-page carousel of 20",
    ),
    Parameter("tolerance_median", "median list length a person takes in without overload", _I_L),
    Parameter("tolerance_spread", "lognormal sigma of the tolerance across people", _CHERNEV),
    Parameter("pick_base", "chance to pick something from a list within tolerance", _I_L),
    Parameter(
        "overload_elasticity",
        "past tolerance, pick chance × (tolerance/length)^this",
        f"{_I_L} implies ~1.7; {_CHERNEV}; default 1.0, swept 0.25–2",
    ),
    Parameter(
        "off_taste_appeal",
        "appeal of an item outside the person's hidden tastes",
        "the demo generator: 15% of browsing falls outside favourites",
    ),
    Parameter(
        "purchase_given_pick",
        "chance a picked item is bought",
        "Baymard Institute: ~70% of carts are abandoned",
    ),
    Parameter(
        "campaign_per_week",
        "promotions the shop would like to send each person a week",
        "assumption: a busy retail calendar; swept",
    ),
    Parameter("open_base", "chance the first message of a week is opened", _MAILCHIMP),
    Parameter(
        "open_decay",
        "open chance × this for each earlier message that week",
        "Micheaux 2011 (J. Advertising 40(4)): perceived e-mail pressure lowers response",
    ),
    Parameter(
        "purchase_given_open",
        "chance an opened promotion leads to a purchase in its "
        "topic (× the person's appeal for it)",
        "Mailchimp benchmarks: clicks ~2.6% of "
        "delivered, ~12% of opens; about a third of clicks buy (assumption)",
    ),
    Parameter(
        "own_cap_median",
        "median messages a week a person tolerates (their own cap, used when they set none)",
        "the demo generator's declared caps (1–5 a week)",
    ),
    Parameter(
        "unsubscribe_base", "chance a delivered message makes a person unsubscribe", _MAILCHIMP
    ),
    Parameter(
        "unsubscribe_per_excess",
        "extra unsubscribe chance per message past their cap",
        "Micheaux 2011; assumption for the size; swept",
    ),
    Parameter(
        "complaint_base",
        "chance a delivered message is complained about",
        "Mailchimp abuse reports ~0.02–0.1% per campaign",
    ),
    Parameter(
        "complaint_hard_promo",
        "chance a promotion is complained about in a hard time",
        "assumption (no published rate); swept 0.05–0.3",
    ),
    Parameter(
        "hard_promo_withdraw",
        "chance a promotion in a hard time makes the person withdraw messaging",
        "assumption (no published rate); swept with complaint_hard_promo",
    ),
    Parameter(
        "partner_events_per_week",
        "events a data partner sends about a person a week "
        "(source partner: private-source evidence)",
        "assumption: the 'more data' feed",
    ),
    Parameter(
        "creepy_trust_drop",
        "trust lost when a list rests on private-source or sensitive evidence",
        "Aguirre et al. 2015 (J. Retailing 91(1)): covert "
        "collection lowers click-through; Pew 2019: 79% worry about data use",
    ),
    Parameter(
        "life_event_rate",
        "weekly chance to enter bereavement or financial hardship",
        "assumption: ~20% of people a year; swept",
    ),
    Parameter("hard_weeks", "how long a hard time lasts, in weeks", "assumption"),
    Parameter(
        "write_on_event",
        "chance the person writes to the shop when it starts (the real mood model reads the text)",
        "assumption",
    ),
    Parameter(
        "hard_promo_trust_drop",
        "trust lost per promotion received in a hard time",
        "assumption (the tone-deaf offer); swept",
    ),
    Parameter(
        "handoff_trust_gain",
        "trust gained when a person on the team reaches out",
        "McCollough, Berry & Yadav 2000 (J. Service Research 3(2)): service recovery",
    ),
    Parameter(
        "good_pick_trust_gain", "trust gained per picked item that matched a taste", "assumption"
    ),
    Parameter(
        "trust_mean",
        "mean initial trust (Beta distributed)",
        "assumption; Edelman Trust Barometer puts brand trust near two thirds",
    ),
    Parameter(
        "trust_strength", "Beta concentration of initial trust (higher: less spread)", "assumption"
    ),
    Parameter("trust_recovery", "weekly drift of trust back to where it started", "assumption"),
    Parameter(
        "withdraw_hazard",
        "weekly chance of withdrawing a consent × (1 − trust)²",
        "assumption; swept",
    ),
    Parameter(
        "churn_base",
        "weekly chance of leaving regardless of trust",
        "assumption: ~10% a year of customers lapse whatever the shop does",
    ),
    Parameter("churn_hazard", "extra weekly chance of leaving × (1 − trust)²", "assumption; swept"),
    Parameter("retrain_weeks", "weeks between model trainings", "assumption: monthly"),
)
