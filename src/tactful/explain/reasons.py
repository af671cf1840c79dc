"""Reasons in plain words, built only from the evidence a model returned and the person's
own history: nothing is claimed that the data does not show."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tactful.curate.context import Context
from tactful.types import EventType, Evidence, ItemId, Reason, Scored

VERBS: Mapping[EventType, str] = {
    EventType.PURCHASE: "bought",
    EventType.ADD_TO_CART: "added to your cart",
    EventType.RATING: "rated",
    EventType.SHARE: "shared",
    EventType.CLICK: "looked at",
    EventType.VIEW: "viewed",
}
MAX_NAMED = 2
TOP_INTERESTS = 3
MIN_SHARE = 0.2
"""An inferred interest is named only if it is among the top few and this strong."""


def _join(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _because(evidence: Sequence[Evidence], ctx: Context) -> Reason | None:
    """'Because you bought X and Y', naming the items that contributed most, grouped by
    the strongest thing the person did with each."""
    named: list[tuple[ItemId, EventType, str]] = []
    for ev in sorted(evidence, key=lambda e: -e.weight):
        if ev.kind != "item" or ev.item_id is None or ev.weight <= 0:
            continue
        item = ctx.catalogue.get(ev.item_id)
        action = ctx.strongest_action.get(ev.item_id)
        if item is None or action is None:
            continue
        named.append((ev.item_id, action, item.title))
        if len(named) == MAX_NAMED:
            break
    if not named:
        return None
    by_verb: dict[str, list[str]] = {}
    for _, action, title in named:
        by_verb.setdefault(VERBS[action], []).append(title)
    clauses = [f"{verb} {_join(titles)}" for verb, titles in by_verb.items()]
    return Reason(
        "because_you_interacted",
        "Because you " + _join(clauses),
        tuple(i for i, _, _ in named),
    )


def _attribute_reasons(evidence: Sequence[Evidence]) -> list[Reason]:
    out: list[Reason] = []
    for ev in evidence:
        if ev.kind == "category" and ev.detail:
            out.append(Reason("matches_interest", f"Matches your interest in {ev.detail}"))
        elif ev.kind == "value" and ev.detail:
            out.append(Reason("matches_value", f"Matches a value you care about: {ev.detail}"))
        elif ev.kind == "moved":
            out.append(Reason("moved", "Because you mentioned your move"))
        elif ev.kind == "new_arrival":
            out.append(Reason("new_arrival", "New in the shop"))
        elif ev.kind == "community_tie" and ev.detail:
            out.append(Reason("community", f"From {ev.detail}, a community you joined"))
        elif ev.kind == "community_popular" and ev.detail:
            text = f"Popular with {int(ev.weight)} people in {ev.detail}"
            out.append(Reason("community_popular", text))
        elif ev.kind == "community" and ev.detail:
            text = f"A favourite with people who share your interest in {ev.detail}"
            out.append(Reason("community_favorite", text))
    return out


def _interest_reasons(item_id: ItemId, ctx: Context) -> list[Reason]:
    """The item's categories the person declared (preferred categories) or showed a strong
    interest in (their top interest signals, personalization only)."""
    item = ctx.catalogue.get(item_id)
    if item is None:
        return []
    strong = {
        c for c in ctx.signals.top_interests(TOP_INTERESTS) if ctx.signals.interests[c] >= MIN_SHARE
    }
    liked = set(ctx.prefs.preferred_categories) | (strong if ctx.consented else set())
    return [
        Reason("matches_interest", f"Matches your interest in {c}")
        for c in item.categories
        if c in liked
    ]


def _fallback(ctx: Context) -> Reason:
    if not ctx.consented:
        return Reason(
            "popular",
            "Popular with other customers. Not personalized: personalization is off for you.",
        )
    if not ctx.personalized:
        return Reason(
            "cold_start",
            "Popular with other customers; we will tailor this once we know what you like.",
        )
    return Reason("popular", "Popular with other customers right now")


def explain(scored: Scored, ctx: Context) -> dict[ItemId, tuple[Reason, ...]]:
    """At least one reason per item, most specific first; duplicates removed."""
    out: dict[ItemId, tuple[Reason, ...]] = {}
    for item_id in scored.items:
        evidence = scored.evidence.get(item_id, ())
        reasons: list[Reason] = [] if ctx.consented else [_fallback(ctx)]
        because = _because(evidence, ctx) if ctx.personalized else None
        if because is not None:
            reasons.append(because)
        reasons.extend(_attribute_reasons(evidence))
        reasons.extend(_interest_reasons(item_id, ctx))
        if not reasons:
            reasons.append(_fallback(ctx))
        unique = {r.text: r for r in reversed(reasons)}  # first occurrence wins
        out[item_id] = tuple(r for r in reasons if unique[r.text] is r)
    return out
