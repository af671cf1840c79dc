"""Life events by transparent keyword patterns, so a detection can be explained.

Each kind has a short list of regular expressions with a confidence. A match is dropped when a
negation ("not pregnant", "no longer sick") sits in the match or just before it in the same
clause, and its confidence is halved when the clause is hedged ("if I lose my job") or set in
the distant past ("20 years ago"). The classifier of ``life_event_model`` reads these
confidences as features, and a sure match stands on its own (see ``life_events``).
"""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt

KEYWORD_KINDS: tuple[str, ...] = (
    "bereavement",
    "financial_hardship",
    "job_loss",
    "illness",
    "relocation",
    "new_baby",
)

_KIN = (
    r"(?:mother|mom|mum|mommy|mama|father|dad|daddy|papa|parents?|brother|sister|sibling|"
    r"son|daughter|child|kid|baby|wife|husband|partner|spouse|fianc[eé]e?|boyfriend|"
    r"girlfriend|grand(?:ma|mother|pa|father|parents?|son|daughter)|granny|nana?|nan|"
    r"aunt|auntie|uncle|cousin|niece|nephew|(?:best )?friend|family|dog|cat|pet)"
)
_ME = r"(?:i|i'm|i am|i've|i have|i was|we|we're|we are|we've|we have|we were)"
_ME_BE = r"(?:i'm|im|i am|i was|i've been|we're|we are|we were|we've been)"
_PASSIVE = r"(?:i|we)(?:'ve| have| had)? (?:just |recently )?(?:was|were|got|been|gotten)"
_ILLNESS = (
    r"(?:cancer|leukemia|leukaemia|lymphoma|tumou?r|covid|pneumonia|diabetes|sepsis|"
    r"a stroke|a heart attack|multiple sclerosis|ms|als|dementia|alzheimer'?s|the flu|flu|"
    r"a concussion|an infection|long covid)"
)
_PLACE = (
    r"(?:a new |another |the |our new |my new )?(?:house|home|place|apartment|flat|city|town|"
    r"state|country|area|neighbou?rhood|village|suburbs?|countryside|coast)"
)
_NOT_OF = r"(?! of\b)(?! and tired\b)"  # "sick of", "sick and tired": fed up, not ill

# (kind, pattern, confidence), matched on lower-cased text with "’" folded to "'". Patterns
# need a person ("my dad", "I", "we") so that "the battery died" or "I broke a string" do not
# match; confidences below 0.5 mark phrases that are often about something else.
_PATTERNS: tuple[tuple[str, str, float], ...] = (
    ("bereavement", r"\bpass(?:ed|ing) away\b", 0.85),
    (
        "bereavement",
        rf"\b(?:my|our) (?:late |dear |beloved |little |old )?{_KIN}\b[^.!?;]{{0,30}}?"
        r"\b(?:died|passed|is gone|was killed|killed (?:himself|herself|themselves))\b",
        0.9,
    ),
    ("bereavement", rf"\b(?:lost|losing) (?:my|our) (?:\w+ )?{_KIN}\b", 0.8),
    ("bereavement", rf"\bdeath of (?:my|our) (?:\w+ )?{_KIN}\b", 0.85),
    ("bereavement", r"\b(?:miscarriage|miscarried|stillborn|stillbirth)\b", 0.85),
    ("bereavement", r"\b(?:bereave(?:d|ment)|grieving|in mourning|widowed)\b", 0.7),
    ("bereavement", r"\bfuneral\b", 0.4),
    (
        "job_loss",
        r"\b(?:lost|losing|lose) (?:my|our|his|her) (?:\w+ )?(?:job|jobs|position|livelihood)\b",
        0.9,
    ),
    (
        "job_loss",
        rf"\b{_PASSIVE} (?:just |recently )?(?:laid off|let go|fired|sacked|made redundant)\b",
        0.9,
    ),
    (
        "job_loss",
        r"\b(?:i'm|i am|we're|we are) (?:being|getting) (?:laid off|let go|fired|made redundant)\b",
        0.8,
    ),
    ("job_loss", r"\b(?:got|been|getting) (?:laid off|sacked)\b", 0.85),
    (
        "job_loss",
        rf"\b{_ME_BE} (?:\w+ ){{0,2}}(?:unemployed|jobless|out of work|between jobs)\b",
        0.8,
    ),
    ("job_loss", r"\blayoffs?\b", 0.4),
    (
        "financial_hardship",
        r"\b(?:can't|cannot|can not|couldn't|unable to|struggl\w* to|barely) "
        r"(?:\w+ )?(?:pay|afford|cover|make) (?:\w+ ){0,2}"
        r"(?:rent|bills?|mortgage|groceries|food|ends meet|payments?|debts?|loan)\b",
        0.85,
    ),
    ("financial_hardship", r"\b(?:can't|cannot|can not|couldn't) afford\b", 0.4),
    (
        "financial_hardship",
        r"\b(?:behind on|drowning in|buried in|in so much|deep in) "
        r"(?:my |the |our )?(?:rent|bills|payments|mortgage|debt)\b",
        0.85,
    ),
    (
        "financial_hardship",
        r"\b(?:evict(?:ed|ion)|foreclos(?:ed|ure)|bankrupt(?:cy)?|food banks?|"
        r"paycheck to paycheck|payday loans?|debt collectors?)\b",
        0.8,
    ),
    (
        "financial_hardship",
        rf"\b{_ME_BE} (?:so |completely |totally |flat |dead |really )?broke\b",
        0.7,
    ),
    ("financial_hardship", r"\b(?:money is|money's|finances are) (?:so )?tight\b", 0.7),
    (
        "illness",
        rf"\b(?:diagnosed with|battling|fighting|recovering from|treatment for) "
        rf"(?:\w+ )?(?:{_ILLNESS}|\w+ disease|\w+ syndrome)\b",
        0.85,
    ),
    ("illness", r"\b(?:got|was|been|i've been|just been) diagnosed\b", 0.8),
    (
        "illness",
        rf"\b(?:i|we|he|she|my \w+) (?:have|has|had|got|caught) {_ILLNESS}\b",
        0.8,
    ),
    (
        "illness",
        rf"\b{_ME} (?:\w+ ){{0,2}}(?:sick|ill|unwell|in (?:the )?hospital|hospitali[sz]ed)\b"
        + _NOT_OF,
        0.7,
    ),
    ("illness", rf"\b(?:got|fell|falling|getting) (?:sick|ill)\b{_NOT_OF}", 0.7),
    ("illness", r"\b(?:chemo(?:therapy)?|radiotherapy|dialysis)\b", 0.8),
    (
        "illness",
        rf"\b(?:my|our) {_KIN}\b[^.!?;]{{0,20}}?\b(?:is|was|has been|got) "
        r"(?:\w+ )?(?:sick|ill|in (?:the )?hospital|hospitali[sz]ed)\b" + _NOT_OF,
        0.75,
    ),
    (
        "relocation",
        rf"\b{_ME} (?:\w+ ){{0,2}}(?:moving|moved|relocating|relocated) "
        rf"(?:(?:back )?(?:to|into|in to) {_PLACE}|house|home|abroad|overseas|out of state|"
        r"across the country|cities|countries|states|in together|in with)\b",
        0.8,
    ),
    (
        "relocation",
        rf"\b(?:just|recently) (?:moved|relocated) (?:to|into) {_PLACE}\b",
        0.8,
    ),
    ("relocation", r"\b(?:moving|moved) (?:house|abroad|overseas)\b", 0.8),
    (
        "relocation",
        r"\b(?:our|my) new (?:house|home|apartment|flat|place|address|city|town)\b",
        0.6,
    ),
    ("relocation", r"\brelocation\b", 0.4),
    (
        "new_baby",
        r"\b(?:i'm|i am|we're|we are|she's|she is|wife is|girlfriend is|partner is) "
        r"(?:\w+ )?pregnant\b",
        0.85,
    ),
    (
        "new_baby",
        r"\bexpecting (?:a baby|a child|twins|our first|my first|a boy|a girl|a son|a daughter|"
        r"our (?:second|third)|baby)\b",
        0.85,
    ),
    (
        "new_baby",
        r"\b(?:had|having|welcomed|adopted) (?:a|our|my) (?:first |second |third |new )?"
        r"(?:baby|son|daughter|child|twins)\b",
        0.85,
    ),
    (
        "new_baby",
        r"\b(?:gave birth|(?:our|my) (?:new baby|newborn)|baby was born)\b",
        0.85,
    ),
    ("new_baby", r"\bnewborn\b", 0.5),
    ("new_baby", r"\b(?:maternity|paternity|parental) leave\b", 0.7),
    ("new_baby", r"\b(?:first|second|third) trimester\b", 0.8),
)
# A destination with a capital letter ("we moved to Boston") is a place; matched on the text
# as written, since lower-casing would make "moved to these strings" look the same.
_CASED_PATTERNS: tuple[tuple[str, str, float], ...] = (
    (
        "relocation",
        r"\b(?:[Ii]|[Ww]e)(?:'ve| have|'m| am|'re| are)? (?:just |recently )?"
        r"(?:moved|moving|relocated|relocating) (?:back )?to (?:[A-Z][a-z]+)",
        0.7,
    ),
)

_COMPILED = tuple((kind, re.compile(rx), conf) for kind, rx, conf in _PATTERNS)
_COMPILED_CASED = tuple((kind, re.compile(rx), conf) for kind, rx, conf in _CASED_PATTERNS)
_NEGATION = re.compile(
    r"\b(?:not|never|no longer|no more|isn't|wasn't|aren't|weren't|didn't|don't|doesn't|"
    r"haven't|hasn't|hadn't|won't|wouldn't|nor|without|anymore|any more)\b|n't\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(?:if|might|may|could|would|afraid|worried|scared|fear|terrified|in case|"
    r"hope|hopefully|unless|imagine|pretend|maybe|whether)\b",
    re.IGNORECASE,
)
_UNDONE_AFTER = re.compile(r"\s*(?:anymore|any more|no more|no longer)\b", re.IGNORECASE)
# A pattern may itself start with a negative ("can't pay rent"); that one is not a negation.
_OWN_NEGATIVE = re.compile(r"^(?:can't|cannot|can not|couldn't|unable to)\s*", re.IGNORECASE)
_DISTANT_PAST = re.compile(
    r"\b(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|twenty|many|several|a few|"
    r"a couple of) years? ago\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"[.!?;,]|\bbut\b|\bthough\b|\bhowever\b", re.IGNORECASE)
_BABY_LOSS = re.compile(r"\b(?:miscarr|stillb|lost (?:the|our|my) baby)")
_NEGATION_WINDOW = 2  # words before a match in which a negation cancels it


def _clause_before(text: str, start: int) -> str:
    """The part of the clause that precedes ``start``."""
    before = text[:start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    return before[breaks[-1].end() :] if breaks else before


def _clause_after(text: str, end: int) -> str:
    """The rest of the clause that follows ``end``."""
    after = text[end:]
    found = _CLAUSE_BREAK.search(after)
    return after[: found.start()] if found else after


def _weigh(text: str, match: re.Match[str], confidence: float) -> float:
    """Confidence of one match after negation, hedging and distant-past checks (0 = drop)."""
    before = _clause_before(text, match.start())
    window = " ".join(before.split()[-_NEGATION_WINDOW:])
    inside = _OWN_NEGATIVE.sub("", match.group(0), count=1)
    if _NEGATION.search(window) or _NEGATION.search(inside):
        return 0.0
    if _UNDONE_AFTER.match(text, match.end()):  # "sick no more", "pregnant any more"
        return 0.0
    if _HEDGE.search(before):
        confidence *= 0.5
    if _DISTANT_PAST.search(_clause_after(text, match.end())) or _DISTANT_PAST.search(before):
        confidence *= 0.5
    return confidence


def fold(text: str) -> str:
    """Fold typographic apostrophes so patterns need only the plain one."""
    return text.replace("’", "'").replace("‘", "'")


def keyword_matches(text: str) -> dict[str, tuple[float, str]]:
    """Per kind, the strongest match in ``text``: (weighted confidence, matched phrase)."""
    written = fold(text)
    low = written.lower()
    best: dict[str, tuple[float, str]] = {}
    for source, patterns in ((low, _COMPILED), (written, _COMPILED_CASED)):
        for kind, pattern, confidence in patterns:
            for match in pattern.finditer(source):
                weight = _weigh(source, match, confidence)
                if weight > best.get(kind, (0.0, ""))[0]:
                    best[kind] = (weight, match.group(0).lower())
    # "we lost the baby we were expecting" is a loss, not a birth.
    if "bereavement" in best and _BABY_LOSS.search(low):
        best.pop("new_baby", None)
    return best


def keyword_scores(texts: list[str]) -> npt.NDArray[np.float32]:
    """The keyword confidence per ``KEYWORD_KINDS`` entry (0 if none), one row per text."""
    rows = []
    for text in texts:
        found = keyword_matches(text)
        rows.append([found.get(k, (0.0, ""))[0] for k in KEYWORD_KINDS])
    return np.array(rows, dtype=np.float32).reshape(-1, len(KEYWORD_KINDS))
