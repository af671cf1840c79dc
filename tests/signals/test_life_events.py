import gzip
import itertools
import json
from datetime import timedelta

import pytest

from tactful.signals import DEFAULT_EXPIRY, LifeEvent, LifeEventKind, detect_life_events
from tactful.signals.goemotions import datasets_dir

REVIEWS = (
    datasets_dir() / "amazon-musical-instruments-5core" / "reviews_Musical_Instruments_5.json.gz"
)

K = LifeEventKind


def kinds(text: str) -> set[LifeEventKind]:
    return {e.kind for e in detect_life_events(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my father passed away last week", {K.BEREAVEMENT}),
        ("I lost my job and can't pay rent", {K.JOB_LOSS, K.FINANCIAL_HARDSHIP}),
        ("this tent is killer", set()),
        ("the battery died", set()),
        ("Oh no, my mom died yesterday", {K.BEREAVEMENT}),
        ("We lost our dog on Sunday.", {K.BEREAVEMENT}),
        ("I got laid off today", {K.JOB_LOSS}),
        ("I was fired from my job", {K.JOB_LOSS}),
        ("Can't afford the rent this month", {K.FINANCIAL_HARDSHIP}),
        ("We're behind on our bills again", {K.FINANCIAL_HARDSHIP}),
        ("I've been diagnosed with breast cancer", {K.ILLNESS}),
        ("I was in the hospital last week", {K.ILLNESS}),
        ("We just moved to Berlin", {K.RELOCATION}),
        ("my wife is pregnant with our first", {K.NEW_BABY}),
        ("We had a baby girl last month!", {K.NEW_BABY}),
        ("we lost the baby at 12 weeks, the miscarriage was awful", {K.BEREAVEMENT}),
        # figurative or unrelated uses of the same words
        ("This movie killed me, so funny", set()),
        ("I'm sick of this product", set()),
        ("moving on from this brand", set()),
        ("the phone broke after a week", set()),
        ("the deadline passed and nobody cared", set()),
        ("fired up for the new season!", set()),
        # phrases from musical-instrument reviews that once matched
        ("I broke a string on the first day", set()),
        ("I fired up garage band and plugged both mics in", set()),
        ("after a few performances, I let go and left the amp at home", set()),
        ("I'm expecting the tuning problem to disappear", set()),
        ("I passed on all the Fender units for years", set()),
        ("I got sick of seeing the guitars against the wall", set()),
        ("I moved to these light strings from the heavy ones", set()),
        ("Recently, I moved to Boston and they rust quickly", {K.RELOCATION}),
    ],
)
def test_known_sentences(text: str, expected: set[LifeEventKind]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I'm not pregnant",
        "I am no longer sick",
        "I'm not sick anymore",
        "I didn't lose my job after all",
        "my dad hasn't passed away, he is fine",
        "we are not moving to Leeds",
    ],
)
def test_negations_cancel_the_event(text: str) -> None:
    assert detect_life_events(text) == []


def test_hedged_and_distant_keyword_matches_are_weaker() -> None:
    def keyword(text: str) -> list[LifeEvent]:
        return detect_life_events(text, keywords_only=True)

    (plain,) = keyword("I lost my job")
    (hedged,) = keyword("If I lose my job I don't know what I'll do")
    (old,) = keyword("my grandmother passed away 20 years ago")
    assert hedged.kind is K.JOB_LOSS and hedged.confidence == pytest.approx(plain.confidence / 2)
    assert old.kind is K.BEREAVEMENT and old.confidence < 0.5
    (older,) = keyword("Lost my only grandfather two years ago to Alzheimer's")
    assert older.confidence == pytest.approx(0.4)


def test_hedged_and_distant_events_are_not_sure() -> None:
    (plain,) = detect_life_events("I lost my job")
    assert plain.kind is K.JOB_LOSS and plain.confidence >= 0.9
    for text in (
        "If I lose my job I don't know what I'll do",
        "my grandmother passed away 20 years ago",
        "Lost my only grandfather two years ago to Alzheimer's",
    ):
        assert all(e.confidence < 0.5 for e in detect_life_events(text)), text


def test_expiry_defaults_and_evidence() -> None:
    assert DEFAULT_EXPIRY[K.BEREAVEMENT] == timedelta(days=60)
    assert DEFAULT_EXPIRY[K.NEW_BABY] == timedelta(days=180)
    assert DEFAULT_EXPIRY[K.ILLNESS] == timedelta(days=30)
    events = {e.kind: e for e in detect_life_events("I lost my job and can't pay rent")}
    assert events[K.JOB_LOSS].expires_after == timedelta(days=90)
    assert events[K.JOB_LOSS].evidence == "lost my job"
    assert events[K.FINANCIAL_HARDSHIP].evidence == "can't pay rent"
    assert all(0 < e.confidence <= 1 for e in events.values())


def test_expiry_can_be_overridden_and_results_are_sorted() -> None:
    custom = {K.BEREAVEMENT: timedelta(days=7)}
    events = detect_life_events("Since my husband died I can't pay the mortgage", expiry=custom)
    assert {e.kind for e in events} == {K.BEREAVEMENT, K.FINANCIAL_HARDSHIP}
    assert [e.confidence for e in events] == sorted((e.confidence for e in events), reverse=True)
    by_kind = {e.kind: e for e in events}
    assert by_kind[K.BEREAVEMENT].expires_after == timedelta(days=7)
    assert by_kind[K.BEREAVEMENT].evidence == "since my husband died"
    assert by_kind[K.FINANCIAL_HARDSHIP].expires_after == DEFAULT_EXPIRY[K.FINANCIAL_HARDSHIP]


def test_typographic_apostrophes_are_understood() -> None:
    assert kinds("I can’t pay rent and I’m pregnant") == {K.FINANCIAL_HARDSHIP, K.NEW_BABY}


@pytest.mark.datasets
@pytest.mark.skipif(not REVIEWS.is_file(), reason="Amazon reviews not in TACTFUL_DATASETS")
def test_product_reviews_rarely_trigger_an_event() -> None:
    """Instrument reviews mention almost no life events. The keyword patterns alone find 2 sure
    ones in the first 2,000 reviews (each a real move or baby); the classifier may find a few
    more (4 when this was written: one real move, "I can't afford", "they", "I've had"), at
    most 6."""
    with gzip.open(REVIEWS, "rt", encoding="utf-8") as fh:
        texts = [json.loads(line).get("reviewText", "") for line in itertools.islice(fh, 2000)]
    assert len(texts) == 2000
    sure_old = [
        e.kind
        for t in texts
        for e in detect_life_events(t, keywords_only=True)
        if e.confidence >= 0.5
    ]
    assert len(sure_old) <= 2 and set(sure_old) <= {K.RELOCATION, K.NEW_BABY}
    sure = [e.kind for t in texts for e in detect_life_events(t) if e.confidence >= 0.5]
    assert len(sure) <= 6
