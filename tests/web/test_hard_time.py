"""Issue 10, defects 1 and 2, through the REST API: a bereaved person who wrote "please
cancel the tent for the trip with my father" and cancelled the order."""

from datetime import timedelta
from typing import Any

from tactful.signals.mood import analyse_many
from tests.engage.scenario import cases, grant, say
from tests.web.conftest import Api

GRIEF = "My father passed away last week. please cancel the tent for the trip with my father"


def test_the_brief_of_a_bereaved_person_does_not_contradict_itself(api: Api) -> None:
    """Older happy texts lift the whole-period mood; the brief reads the text that opened
    the case, and never says "Mood positive" next to "Signs of distress"."""
    grant(api, "g1", "messaging", "emotional_context")
    api.clock.now -= timedelta(days=10)
    say(api, "g1", "t0", "Loving the new boots, thank you so much!")
    say(api, "g1", "t1", "Great service, the tent arrived early. Thanks!")
    api.clock.now += timedelta(days=10)
    say(api, "g1", "t2", GRIEF)
    (case,) = cases(api, "open")
    assert case["trigger"] == "bereavement"
    mood: dict[str, Any] = case["brief"]["mood"]
    (grief,) = analyse_many([GRIEF])
    assert grief.distress and grief.valence > 0.05  # the contradictory case of the issue
    assert mood["distress"] is True
    assert mood["valence"] == round(grief.valence, 3)
    assert mood["text"].startswith("Mood low") and mood["text"].endswith("Signs of distress.")
    assert "positive" not in mood["text"]
    assert mood["emotion"] in ("sadness", "fear", "anger", "disgust")
