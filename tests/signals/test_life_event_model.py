"""The life-event classifier on known texts: per kind a plain statement, its negation, a
hypothetical, a figurative use of the same words and someone else's event."""

import json
import shutil
import sys
from pathlib import Path

import pytest

from tactful.errors import Conflict, NotFitted
from tactful.signals import LifeEventKind, detect_life_events
from tactful.signals.life_event_cues import gate, normalise
from tactful.signals.life_event_model import KINDS, MANIFEST, WEIGHTS, LifeEventModel, sentences

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = ROOT / "benchmarks" / "data" / "life_events_heldout.jsonl"
K = LifeEventKind

# kind: (positive, negated, hypothetical, figurative, third person)
CASES: dict[LifeEventKind, tuple[str, str, str, str, str]] = {
    K.BEREAVEMENT: (
        "We said goodbye to my uncle on Friday",
        "my uncle didn't die, he is recovering",
        "if my uncle dies I will need time off",
        "this playlist is to die for",
        "my colleague's uncle died, can you suggest a card?",
    ),
    K.JOB_LOSS: (
        "I was let go on Monday",
        "I wasn't let go, I kept my job",
        "if I get let go I'll cancel",
        "let go of the handle slowly",
        "my neighbour was let go, any gift ideas?",
    ),
    K.FINANCIAL_HARDSHIP: (
        "Rent is eating everything I earn",
        "we're not behind on the rent",
        "if I can't pay the rent, can I pause?",
        "this jacket broke after a week",
        "my flatmate can't pay her rent, how can I help?",
    ),
    K.ILLNESS: (
        "Still on crutches after the operation",
        "I don't have cancer, the scan was clear",
        "in case I get sick abroad, what is covered?",
        "I'm sick of these adverts",
        "my colleague is in hospital, can you deliver flowers?",
    ),
    K.RELOCATION: (
        "New city, new flat, no idea where anything is",
        "we aren't moving after all",
        "if we move house can I change the address?",
        "let's move on to the next item",
        "my sister is moving to Leeds, any housewarming gift ideas?",
    ),
    K.NEW_BABY: (
        "Our little one arrived three weeks early",
        "I'm not pregnant",
        "in case we have a baby next year, what cover do we need?",
        "this guitar is my new baby",
        "my friend just had a baby, gift ideas?",
    ),
}


def sure(text: str) -> set[LifeEventKind]:
    return {e.kind for e in detect_life_events(text) if e.confidence >= 0.5}


@pytest.mark.parametrize("kind", list(CASES))
def test_each_kind_in_plain_words(kind: LifeEventKind) -> None:
    positive = CASES[kind][0]
    assert sure(positive) == {kind}
    (event,) = detect_life_events(positive)
    assert len(event.evidence.split()) >= 2 and event.evidence in positive.lower()


@pytest.mark.parametrize(
    ("kind", "text", "why"),
    [
        (kind, text, why)
        for kind, texts in CASES.items()
        for text, why in zip(
            texts[1:], ("negated", "hypothetical", "figurative", "third person"), strict=True
        )
    ],
)
def test_hard_negatives_are_not_sure_events(kind: LifeEventKind, text: str, why: str) -> None:
    assert sure(text) == set(), why


def test_evidence_is_the_triggering_words_without_loose_ends() -> None:
    (event,) = detect_life_events("I was let go on Monday")
    assert event.evidence == "i was let go"
    events = {e.kind: e.evidence for e in detect_life_events("I lost my job and can't pay rent")}
    assert events == {K.JOB_LOSS: "lost my job", K.FINANCIAL_HARDSHIP: "can't pay rent"}


def test_the_surest_sentence_of_a_longer_text_counts() -> None:
    text = "Thanks for the quick delivery. Sadly my dad passed away last week. Order 4412."
    (event,) = detect_life_events(text)
    assert event.kind is K.BEREAVEMENT and event.confidence >= 0.9
    assert event.evidence.startswith("my dad passed")


def test_sentences_fold_apostrophes_and_cut_long_ones() -> None:
    assert sentences("I can’t pay. We MOVED!\nok") == ["i can't pay.", "we moved!", "ok"]
    assert len(sentences("word " * 500)[0].split()) == 60
    assert sentences("   ") == []


def test_gate_cancels_a_negation_just_before_and_halves_a_hedge() -> None:
    text = normalise("i didnt lose my job")
    start = text.index("lose")
    assert gate(text, start, len(text)) == 0.0
    hedged = normalise("if i lose my job")
    assert gate(hedged, hedged.index("lose"), len(hedged)) == 0.5
    learned = normalise("grandpa didnt make it")  # the negation is inside the evidence
    assert gate(learned, 0, len(learned)) == 1.0


def test_the_artifact_is_checked_when_loaded(tmp_path: Path) -> None:
    with pytest.raises(NotFitted):
        LifeEventModel.load(tmp_path / "none.npz", tmp_path / "none.json")
    weights, manifest = tmp_path / "life_events.npz", tmp_path / "life_events.json"
    shutil.copy(WEIGHTS, weights)
    meta = json.loads(MANIFEST.read_text())
    manifest.write_text(json.dumps({**meta, "weights_sha256": "0" * 64}))
    with pytest.raises(Conflict) as bad_sum:
        LifeEventModel.load(weights, manifest)
    assert bad_sum.value.field == "weights_sha256"
    manifest.write_text(json.dumps({**meta, "kinds": list(reversed(KINDS))}))
    with pytest.raises(Conflict) as bad_kinds:
        LifeEventModel.load(weights, manifest)
    assert bad_kinds.value.field == "kinds"
    assert LifeEventModel.load().manifest["kinds"] == list(KINDS)


def test_the_held_out_set_is_complete_and_never_in_the_corpus() -> None:
    rows = [json.loads(line) for line in HELDOUT.read_text().splitlines() if line]
    for kind in KINDS:
        assert sum(r["kinds"] == [kind] for r in rows) >= 15, kind
    assert sum(1 for r in rows if r["hard"]) >= 40
    sys.path.insert(0, str(ROOT / "scripts"))
    from build_life_event_corpus import build, normal

    corpus = build(seed=0, per_template=2, goemotions=0)
    assert corpus == build(seed=0, per_template=2, goemotions=0)  # seeded
    assert {normal(r["text"]) for r in rows}.isdisjoint(normal(str(c["text"])) for c in corpus)
    assert {k for c in corpus for k in c["kinds"]} == set(KINDS)  # type: ignore[attr-defined]
