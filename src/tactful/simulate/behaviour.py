"""What a simulated person does, as small pure functions of their state, the parameters
(``Behaviour``) and a random generator passed in. Each is one documented behaviour
(docs/simulation.md): choice overload, message fatigue, creepiness, hard times, trust."""

from __future__ import annotations

import numpy as np

from tactful.simulate.parameters import Behaviour


def pick_chance(shown: int, tolerance: float, b: Behaviour) -> float:
    """The chance to pick anything from a list of ``shown`` items that holds one the person
    fully likes: ``pick_base`` up to their own tolerance, falling as ``(tolerance / shown)
    ** overload_elasticity`` past it (choice overload: Iyengar & Lepper 2000; Chernev et al.
    2015). The visit multiplies it by the best appeal in the list, so a longer list is more
    likely to hold something liked: overload and relevance trade off."""
    if shown <= 0:
        return 0.0
    if shown <= tolerance:
        return b.pick_base
    return b.pick_base * float((tolerance / shown) ** b.overload_elasticity)


def open_chance(earlier_this_week: int, b: Behaviour) -> float:
    """The chance a message is opened, given how many reached the person earlier in the
    week (message fatigue: each earlier one multiplies it by ``open_decay``)."""
    return b.open_base * b.open_decay ** max(0, earlier_this_week)


def unsubscribe_chance(earlier_this_week: int, cap: float, b: Behaviour) -> float:
    """The chance this message makes the person withdraw ``messaging``: a small base rate,
    rising by ``unsubscribe_per_excess`` for each message past their own weekly cap."""
    excess = max(0.0, earlier_this_week + 1 - cap)
    return min(1.0, b.unsubscribe_base + b.unsubscribe_per_excess * excess)


def complaint_chance(
    *, promotional: bool, hard_time: bool, b: Behaviour, trust: float | None = None
) -> float:
    """A promotion in a hard time is complained about far more often (the tone-deaf offer);
    otherwise the base rate, scaled by distrust relative to the population's mean."""
    if promotional and hard_time:
        return b.complaint_hard_promo
    if trust is None:
        return b.complaint_base
    return min(1.0, b.complaint_base * (1.0 - trust) / max(1e-6, 1.0 - b.trust_mean))


def weekly_hazard(trust: float, scale: float, base: float = 0.0) -> float:
    """A weekly chance that grows with distrust: ``base + scale × (1 − trust)²``."""
    return min(1.0, base + scale * (1.0 - trust) ** 2)


def clamp_trust(trust: float) -> float:
    return min(1.0, max(0.0, trust))


def recover(trust: float, start: float, b: Behaviour) -> float:
    """Trust drifts back toward where it started by ``trust_recovery`` a week."""
    return trust + (start - trust) * b.trust_recovery


def draw_tolerances(rng: np.random.Generator, n: int, b: Behaviour) -> np.ndarray:
    """Each person's list-length tolerance: lognormal around ``tolerance_median``, at least 1."""
    raw = rng.lognormal(np.log(b.tolerance_median), b.tolerance_spread, size=n)
    return np.maximum(1.0, raw)


def draw_trust(rng: np.random.Generator, n: int, b: Behaviour) -> np.ndarray:
    """Initial trust: Beta with mean ``trust_mean`` and concentration ``trust_strength``."""
    a = max(1e-3, b.trust_mean * b.trust_strength)
    z = max(1e-3, (1.0 - b.trust_mean) * b.trust_strength)
    return rng.beta(a, z, size=n)


def draw_caps(rng: np.random.Generator, n: int, b: Behaviour) -> np.ndarray:
    """Each person's own weekly message tolerance, for those who declared no cap."""
    return np.maximum(1.0, np.round(rng.lognormal(np.log(b.own_cap_median), 0.4, size=n)))
