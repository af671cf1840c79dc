"""Cues that change what a life-event phrase means: negation, hypotheticals, someone else's
event, a distant past. Used as features by the life-event classifier and as its gate.

Pure regular expressions over lower-cased text with apostrophes removed ("didn't" -> "didnt"),
the form the classifier reads.
"""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt

CUES: tuple[str, ...] = ("negation", "hypothetical", "third_person", "distant_past", "question")

NEGATION = re.compile(
    r"\b(?:not|never|no|nobody|no one|noone|nothing|no longer|isnt|wasnt|arent|werent|didnt|"
    r"dont|doesnt|havent|hasnt|hadnt|wont|wouldnt|nor|without|anymore|fell through|"
    r"false alarm|was clear|all clear)\b"
)
HYPOTHETICAL = re.compile(
    r"\b(?:if|in case|what if|might|may|could|would|id|should i|imagine|suppose|someday|"
    r"one day|hope i|afraid|worried|scared|fear|planning to|thinking about|unless|whether|"
    r"rumou?rs?|fingers crossed)\b"
)
THIRD_PERSON = re.compile(
    r"\b(?:friend|friends|colleague|coworker|co worker|neighbou?r|boss|client|teacher|"
    r"classmate|flatmate|mate|mates|landlord|godson|goddaughter|sister in law|"
    r"brother in law|someone|somebody|character|film|movie|episode|celebrity|singer|"
    r"actress|actor|the news|gift|gifts|present|sympathy|hamper|flowers|housewarming|"
    r"baby shower|get well)\b"
)
DISTANT_PAST = re.compile(
    r"\b(?:(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|many|"
    r"several|a few|a couple of) years? ago|a decade ago|decades ago|years ago|ages ago|"
    r"long ago|back in (?:19|20)\d\d|in the (?:eighties|nineties|noughties)|"
    r"when i was (?:a kid|young|little)|fully recovered|in remission|paid off|debt free|"
    r"all sorted|grown up|for years)\b"
)
_CLAUSE_BREAK = re.compile(r"[.!?;,]|\bbut\b|\bthough\b|\bhowever\b|\bso\b")
_CLOSE_WORDS = 4  # words before the evidence in which a negation cancels it


def normalise(text: str) -> str:
    """The form every cue and the classifier read: lower case, apostrophes removed."""
    low = text.lower()
    for quote in ("'", "’", "‘"):
        low = low.replace(quote, "")
    return low


def cue_features(texts: list[str]) -> npt.NDArray[np.float32]:
    """One 0/1 column per ``CUES`` entry for each (normalised) text."""
    rows = [
        [
            bool(NEGATION.search(t)),
            bool(HYPOTHETICAL.search(t)),
            bool(THIRD_PERSON.search(t)),
            bool(DISTANT_PAST.search(t)),
            "?" in t,
        ]
        for t in texts
    ]
    return np.array(rows, dtype=np.float32).reshape(-1, len(CUES))


def gate(text: str, start: int, end: int) -> float:
    """How much of an event whose evidence is ``text[start:end]`` (normalised text) survives
    its clause: 0 when a negation comes just before it, halved when hedged or set long ago
    (someone else's event is left to the classifier, since "my best friend died" is one's own
    loss)."""
    before = text[:start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    clause_before = before[breaks[-1].end() :] if breaks else before
    after = text[end:]
    stop = _CLAUSE_BREAK.search(after)
    clause_after = after[: stop.start()] if stop else after
    close = " ".join(clause_before.split()[-_CLOSE_WORDS:])
    if NEGATION.search(close):  # inside the evidence it was learned ("didn't make it")
        return 0.0
    if re.match(r"\s*(?:anymore|any more|no more|no longer)\b", after):
        return 0.0
    weight = 1.0
    if HYPOTHETICAL.search(clause_before):
        weight *= 0.5
    if DISTANT_PAST.search(clause_before) or DISTANT_PAST.search(clause_after):
        weight *= 0.5
    return weight
