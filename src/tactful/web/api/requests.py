"""Requests a person stated in words, over HTTP: which are in force, and undoing one.

Each is read from their texts only under ``emotional_context`` (``signals.requests``) and
acts until they say otherwise: ``stop_messages`` suppresses offers, community news and
celebrations (``asked_to_stop``), ``fewer_messages`` halves the contact budget (``asked_fewer``),
``mute:<category>`` mutes a category, ``human`` and ``erase_me`` open a hand-off case.
Reading takes ``read`` (or the person's subject token); undoing takes ``ingest`` (or the token).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field

from tactful.privacy.access import Actor
from tactful.signals.asked import request_name
from tactful.types import Scope, Signal
from tactful.web.deps import AppDep, SubjectIngest, subject_access

router = APIRouter(prefix="/v1/subjects", tags=["signals"])
SubjectPath = Annotated[str, Path(min_length=1, max_length=200)]
KindPath = Annotated[
    str,
    Path(
        min_length=1,
        max_length=200,
        description="stop_messages, fewer_messages, human, erase_me or mute:<category>",
    ),
]
Reader = Annotated[Actor, Depends(subject_access(Scope.READ))]


class RequestOut(BaseModel):
    kind: str = Field(description="stop_messages, fewer_messages, human, erase_me, mute:<category>")
    active: bool = Field(description="false once undone")
    phrase: str | None = Field(description="the person's words it was read from")
    noticed_at: datetime | None
    lifted_at: datetime | None = None
    lifted_by: str | None = Field(None, description="person, operator or resume")
    evidence: list[str] = Field(description="ids of the texts behind it")

    @classmethod
    def of(cls, s: Signal) -> RequestOut:
        def when(key: str) -> datetime | None:
            found = s.detail.get(key)
            return datetime.fromisoformat(found) if isinstance(found, str) else None

        phrase = s.detail.get("phrase")
        by = s.detail.get("by")
        return cls(
            kind=request_name(s),
            active=s.value > 0,
            phrase=phrase if isinstance(phrase, str) else None,
            noticed_at=when("noticed_at"),
            lifted_at=when("lifted_at"),
            lifted_by=by if isinstance(by, str) and s.value <= 0 else None,
            evidence=list(s.evidence),
        )


class RequestsOut(BaseModel):
    subject_id: str
    requests: list[RequestOut]


@router.get("/{subject_id}/requests", response_model=RequestsOut)
def get_requests(subject_id: SubjectPath, app: AppDep, _actor: Reader) -> RequestsOut:
    """The requests in force for the person (none without ``emotional_context``)."""
    found = app.requests.active(subject_id)
    return RequestsOut(subject_id=subject_id, requests=[RequestOut.of(s) for s in found])


@router.delete("/{subject_id}/requests/{kind}", response_model=RequestOut)
def delete_request(
    subject_id: SubjectPath, kind: KindPath, app: AppDep, actor: SubjectIngest
) -> RequestOut:
    """Undo a request (the person changed their mind, or it was misread): it stops acting
    at once, and the same text cannot bring it back; a newer text stating it can. 404 if no
    such request is in force. Audited as ``request.lifted``."""
    return RequestOut.of(app.requests.lift(subject_id, kind, actor=actor))
