"""The curation pipeline: a plain list of guards run in order, with what each held back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tactful.curate.context import Context
from tactful.curate.guards import REGISTRY, Guard
from tactful.errors import InvalidInput
from tactful.types import HeldBack, Scored


@dataclass(frozen=True, slots=True)
class Curated:
    scored: Scored
    held_back: tuple[HeldBack, ...]


def build_pipeline(order: Sequence[str]) -> tuple[Guard, ...]:
    """Guards in the configured order; an unknown name is a settings error."""
    guards: list[Guard] = []
    for name in order:
        if name not in REGISTRY:
            known = ", ".join(sorted(REGISTRY))
            raise InvalidInput(f"unknown guard {name!r}; known: {known}", field="guards.order")
        guards.extend(REGISTRY[name])
    return tuple(guards)


def curate(scored: Scored, ctx: Context, guards: Sequence[Guard]) -> Curated:
    """Run every guard; each one's held-back count is summed by kind, in pipeline order."""
    counts: dict[str, int] = {}
    texts: dict[str, str] = {}
    for guard in guards:
        after = guard(scored, ctx)
        n = guard.held_back(scored, after, ctx)
        if n > 0:
            counts[guard.kind] = counts.get(guard.kind, 0) + n
            texts[guard.kind] = guard.text
        scored = after
    held = tuple(HeldBack(k, n, _sentence(n, texts[k])) for k, n in counts.items())
    return Curated(scored, held)


def _sentence(n: int, text: str) -> str:
    noun = "item" if n == 1 else "items"
    return f"{n} {noun} {text}."
