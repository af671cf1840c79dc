"""Case states: open -> claimed -> resolved, and what is refused."""

from datetime import UTC, datetime, timedelta

import pytest

from tactful.errors import Conflict, InvalidInput
from tactful.handoff.case import claim, resolve
from tactful.records import Case, CaseStatus

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)
OPEN = Case("hc1", "u1", "bereavement", NOW, CaseStatus.OPEN, {})


def test_claim_then_resolve() -> None:
    claimed = claim(OPEN, " ana ", now=NOW)
    assert claimed.status is CaseStatus.CLAIMED and claimed.active
    assert (claimed.claimed_by, claimed.claimed_at) == ("ana", NOW)
    done = resolve(claimed, "Called; paused offers for 60 days.", now=LATER)
    assert done.status is CaseStatus.RESOLVED and not done.active
    assert (done.claimed_by, done.resolved_at) == ("ana", LATER)
    assert done.outcome == "Called; paused offers for 60 days."


def test_claiming_again_by_the_same_agent_changes_nothing() -> None:
    claimed = claim(OPEN, "ana", now=NOW)
    assert claim(claimed, "ana", now=LATER) is claimed


def test_a_case_claimed_by_someone_else_or_resolved_cannot_be_claimed() -> None:
    claimed = claim(OPEN, "ana", now=NOW)
    with pytest.raises(Conflict, match="already claimed by ana"):
        claim(claimed, "bo", now=LATER)
    done = resolve(claimed, "done", now=LATER)
    with pytest.raises(Conflict, match="already resolved"):
        claim(done, "ana", now=LATER)
    with pytest.raises(Conflict, match="already resolved"):
        resolve(done, "again", now=LATER)


def test_an_open_case_may_be_resolved_directly_naming_the_agent() -> None:
    done = resolve(OPEN, "Replied by email.", now=LATER, agent="bo")
    assert (done.claimed_by, done.claimed_at, done.resolved_at) == ("bo", LATER, LATER)
    anonymous = resolve(OPEN, "Replied.", now=LATER)
    assert anonymous.claimed_by is None and anonymous.claimed_at is None


def test_empty_agent_or_outcome_names_the_field() -> None:
    with pytest.raises(InvalidInput) as err:
        claim(OPEN, "  ", now=NOW)
    assert err.value.field == "agent"
    with pytest.raises(InvalidInput) as err:
        resolve(OPEN, "", now=LATER)
    assert err.value.field == "outcome"
