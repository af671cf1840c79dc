"""Requests a person states in words: stop messages, fewer messages, a person to talk to, a
category muted, their data erased.

``detect_requests(text)`` reads one text, clause by clause (split at sentence ends, ";" and
"but"), with phrase patterns per kind. A phrase does not count when a negation stands in the
few words before it ("please don't stop emailing me"), when its clause is hypothetical ("if I
ever want to delete my account", "how do I unsubscribe later?") or when it is someone else's
wish ("my husband wants to unsubscribe"). Each request keeps the words that made it
(``evidence``). Pure; the caller reads text only under ``emotional_context``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from tactful.signals.life_event_cues import normalise


class RequestKind(StrEnum):
    STOP_MESSAGES = "stop_messages"
    FEWER_MESSAGES = "fewer_messages"
    HUMAN = "human"
    MUTE = "mute"
    ERASE_ME = "erase_me"
    RESUME_MESSAGES = "resume_messages"
    """"You can email me again": lifts an earlier stop or fewer request."""


@dataclass(frozen=True, slots=True)
class Request:
    """One request read from text; ``category`` only for ``mute`` (the words the person
    used, e.g. ``baby``; mapped to catalogue categories where the catalogue is known)."""

    kind: RequestKind
    evidence: str
    confidence: float = 0.9
    category: str | None = None

    @property
    def name(self) -> str:
        """``stop_messages`` ... or ``mute:<category>``: the signal names it so."""
        return f"mute:{self.category}" if self.kind is RequestKind.MUTE else self.kind.value


_MSG = r"(?:e ?mails?|messages?|texts?|sms|notifications?|newsletters?|offers?|promos?|spam|deals)"
_SEND = r"(?:sending|emailing|e mailing|texting|messaging|contacting|spamming|mailing)"
_STOP = (
    rf"\b(?:stop|quit|cease) {_SEND}(?: me| us)?\b"
    r"(?!(?: me| us)? (?:so|as|this|that) (?:many|much|often))",
    r"\b(?:take|remove|drop) (?:me|my (?:e ?mail|address|name)) (?:off|from) (?:your|the|all)"
    r"(?: \w+){0,2} (?:lists?|newsletters?|e ?mails?|mailings?)",
    r"\bunsubscribe\b(?! (?:button|link))",
    r"\bopt(?:ing)? (?:me )?out of\b",
    rf"\bno more (?:promotional |marketing |sales |spam )?{_MSG}\b",
    rf"\b(?:dont|do not) (?:want|need|wish to (?:get|receive)) (?:to (?:get|receive) )?"
    rf"(?:any )?(?:more )?(?:of )?(?:your |these )?(?:promotional |marketing |sales )?{_MSG}\b",
    rf"\benough with (?:the|your|all the) {_MSG}\b",
    r"\b(?:stop|quit) (?:all )?(?:the )?(?:marketing|promotions|newsletters?)\b",
)
_FEWER = (
    rf"\b(?:so|too|way too|far too) many {_MSG}\b",
    r"\btoo much (?:e ?mail|spam|marketing)\b",
    r"\b(?:e ?mail|message|contact|text|write to|spam) (?:me|us) less(?: often)?\b",
    rf"\bfewer {_MSG}\b",
    r"\bless (?:spam|e ?mails?)\b",
    r"\b(?:monthly|weekly|once a (?:week|month)) (?:instead|would be (?:plenty|enough|fine))",
    rf"\b(?:amount|number) of {_MSG}\b",
    rf"\b(?:\w+) {_MSG} a day\b",
)
_WHO = r"(?:person|human|someone|somebody|agent|representative|advis[eo]r|manager|people)"
_HUMAN = (
    r"\b(?:talk|speak|chat) (?:to|with) (?:a |an |some |your |the )?(?:real |actual |live )?"
    rf"{_WHO}\b",
    r"\b(?:want|need|get|give me|prefer) (?:a |an |to a |some )?(?:real|actual|live) "
    r"(?:person|human)\b",
    r"\bhuman being\b",
    r"\bnot (?:a|an|the) (?:bot|robot|machine|automated)\b",
    r"\b(?:someone|somebody|a person)(?: from \w+(?: \w+)?)? (?:to )?(?:call|ring|phone|"
    r"contact|get in touch with|reach out to) (?:me|us)\b",
    rf"\b(?:put|get|transfer|connect) me (?:through )?(?:to|with) (?:a |an |your )?(?:real |"
    rf"actual )?{_WHO}\b",
    r"\bis there (?:a|an) (?:human|person|real person)\b",
    r"\b(?:a|an) (?:call|phone call|ring) from (?:customer service|someone|somebody|your team|"
    r"a person|support)\b",
)
_ERASE = (
    r"\b(?:delete|erase|remove|wipe|destroy|purge) (?:all )?(?:of )?my (?:account|data|details|"
    r"profile|(?:personal )?(?:data|information|info|details))\b",
    r"\b(?:delete|erase|remove|wipe) (?:everything|all (?:the )?(?:data|information)) "
    r"(?:you (?:have|hold|keep) )?(?:about|on|of) me\b",
    r"\bforget me\b",
    r"\bright to (?:be forgotten|erasure)\b",
    r"\bdeletion of (?:all )?my\b",
    r"\bmy (?:personal )?(?:data|details|information|account) (?:deleted|erased|removed)\b",
    r"\bclose my account\b",
)
_RESUME = (
    r"\byou (?:can|may) (?:start )?(?:e ?mail|text|message|contact|write to) (?:me|us) again\b",
    rf"\b(?:start|resume) {_SEND} (?:me )?(?:{_MSG} )?again\b",
    r"\b(?:resubscribe|subscribe me again|sign me (?:back )?up again)\b",
)
# mute: the category words follow the trigger and end at a noun like "stuff" or the clause end
_THING = (
    r"(?:stuff|gear|products?|items?|things?|suggestions?|recommendations?|offers?|ads|"
    r"emails?|kit|deals|anymore|any more)"
)
_TOPIC = r"(?P<topic>[a-z]+(?: [a-z]+){0,2}?)"
_MUTE = (
    rf"\bno more {_TOPIC} {_THING}\b",
    rf"\b(?:stop|quit) (?:showing|recommending|suggesting|sending|offering) (?:me )?"
    rf"(?:(?:any|offers|ads|deals) (?:for|of|on) )?{_TOPIC}(?: {_THING})?(?=$|,| please| thanks)",
    r"\b(?:dont|do not) (?:want to see|need to see|wanna see|show me) (?:any )?(?:more )?"
    rf"{_TOPIC}"
    rf"(?: {_THING})?(?=$|,| please| thanks| anymore| any more)",
    rf"\benough with (?:the |all the |your )?{_TOPIC} {_THING}\b",
    rf"\bnot interested in {_TOPIC}(?=,| so| please)[, ]*(?:so )?(?:please )?stop (?:suggesting|"
    rf"showing|recommending|sending)",
)
# the words a topic is cleaned of; a "topic" of only message words is a stop request instead
_FILLER = frozenset(
    {
        *("any", "more", "the", "of", "for", "on", "me", "your", "these", "those", "all"),
        *("my", "some", "please", "thanks", "so", "stuff", "gear", "products", "product"),
        *("items", "item", "things", "thing", "kit", "ads", "deals", "anymore", "offers"),
        *("suggestions", "suggestion", "recommendations", "recommendation", "offer"),
    }
)
_MESSAGEY = frozenset(
    {
        *("email", "emails", "mails", "messages", "message", "texts", "text", "spam"),
        *("newsletters", "newsletter", "promotional", "marketing", "promotions", "promos"),
        *("notifications", "sales"),
    }
)

_NOT_A_TOPIC = frozenset(
    {
        *("how", "why", "what", "this", "that", "it", "them", "those", "to", "a", "an", "too"),
        *("need", "reason", "point", "way", "purpose", "benefit", "difference", "problem"),
        *("anything", "something", "everything", "nothing", "you", "us", "i", "we", "good"),
        *("bad", "positive", "negative", "great", "being", "having", "getting", "using"),
    }
)

NEGATION = re.compile(
    r"\b(?:not|never|dont|do not|didnt|doesnt|wont|wouldnt|no need to|without|nobody asked)"
    r"\b(?:\s+\S+){0,4}\s*$"
)
HYPOTHETICAL = re.compile(
    r"\b(?:if (?:i|we|you keep|you continue|you send|it|this)\b(?! (?:could|can|would)"
    r" you)|in case|one day|someday|might|would i|could i|should i|how (?:do|would|can|could) "
    r"(?:i|we|one)|what happens|later on|is it possible to|am i able to|thinking (?:of|about))"
)
THIRD_PERSON = re.compile(
    r"\bmy (?:husband|wife|partner|friend|mum|mom|mother|dad|father|son|daughter|brother|"
    r"sister|boss|colleague|neighbou?r|kids?|children|parents?|gran\w*|flatmate|roommate)\b"
    r"(?! and i)|\b(?:he|she) (?:wants?|said|says|asked|keeps?|thinks?)\b|\b(?:his|her) account\b"
)
PAST = re.compile(
    r"\b(?:talked|spoke|spoken|chatted|unsubscribed|deleted|was put through)\b(?:\s+\S+){0,3}\s*$"
)
"""A thing already done ("I talked to a real person yesterday") is no request."""
_CLAUSES = re.compile(r"[.!?;]+|\bbut\b|\bhowever\b")
_PATTERNS: tuple[tuple[RequestKind, tuple[re.Pattern[str], ...]], ...] = tuple(
    (kind, tuple(re.compile(p) for p in pats))
    for kind, pats in (
        (RequestKind.MUTE, _MUTE),
        (RequestKind.ERASE_ME, _ERASE),
        (RequestKind.RESUME_MESSAGES, _RESUME),
        (RequestKind.FEWER_MESSAGES, _FEWER),
        (RequestKind.STOP_MESSAGES, _STOP),
        (RequestKind.HUMAN, _HUMAN),
    )
)


def clauses(text: str) -> list[str]:
    """The normalised clauses of a text (lower case, apostrophes dropped, spaces folded)."""
    flat = " ".join(normalise(text).replace("-", " ").split())
    return [c.strip(" ,") for c in _CLAUSES.split(flat) if c.strip(" ,")]


def _topic(words: str, matched: str) -> str | None:
    """The first word of the topic, or None when the phrase is about messages ("stop
    sending me so many emails") or names no thing ("enough with this")."""
    if _MESSAGEY.intersection(matched.split()):
        return None
    kept = [w for w in words.replace(",", " ").split() if w not in _FILLER]
    if not kept or kept[0] in _NOT_A_TOPIC:
        return None
    return kept[0]


def _gated(clause: str, start: int) -> bool:
    """Whether the clause takes the phrase at ``start`` back: negated, already done,
    hypothetical or someone else's."""
    before = clause[:start]
    return bool(
        NEGATION.search(before)
        or PAST.search(before)
        or HYPOTHETICAL.search(clause)
        or THIRD_PERSON.search(before)
    )


def _in_clause(clause: str) -> list[Request]:
    found: list[Request] = []
    taken: list[tuple[int, int]] = []
    for kind, patterns in _PATTERNS:
        for pattern in patterns:
            for m in pattern.finditer(clause):
                if any(m.start() < end and start < m.end() for start, end in taken):
                    continue  # a mute's "stop sending me offers for X" is not a stop
                if _gated(clause, m.start()):
                    continue
                category = None
                if kind is RequestKind.MUTE:
                    category = _topic(m.group("topic"), m.group(0))
                    if category is None:
                        continue
                taken.append((m.start(), m.end()))
                found.append(Request(kind, m.group(0).strip(" ,"), category=category))
    return found


def detect_requests(text: str) -> list[Request]:
    """What the author asks for in ``text``: one request per name (the first phrase that
    states it), in the order of the text's clauses."""
    out: dict[str, Request] = {}
    for clause in clauses(text):
        for request in _in_clause(clause):
            out.setdefault(request.name, request)
    if RequestKind.STOP_MESSAGES in out and RequestKind.FEWER_MESSAGES in out:
        out.pop(RequestKind.FEWER_MESSAGES)  # "too many emails, unsubscribe me": stop wins
    return list(out.values())


_ORDINAL = r"(?:second|third|fourth|fifth|sixth|2nd|3rd|4th|5th|6th)"
REPEATED = re.compile(
    rf"\b(?:(?:yet |once )?again|{_ORDINAL} (?:\w+ )?(?:time|delivery|order|parcel|attempt|"
    r"email|call|message|week|month)s?|(?:nobody|no one|noone|no body) (?:ever )?(?:answers|"
    r"replies|responds|gets back|called|answered|replied|responded|helps|cares)|still (?:waiting|"
    r"no (?:reply|answer|refund|response))|how many (?:more )?times|every (?:single )?time|"
    r"keeps? (?:happening|breaking|failing)|same (?:problem|issue|thing) (?:again|as before))\b"
)
"""Words of a failure that keeps happening: "again", "third time", "nobody answers"."""


def repeated_failure(text: str) -> str | None:
    """The words saying a failure happened before, if any ("third wrong delivery")."""
    found = REPEATED.search(" ".join(normalise(text).split()))
    return found.group(0) if found else None


def detect_requests_many(texts: list[str]) -> list[list[Request]]:
    return [detect_requests(t) for t in texts]
