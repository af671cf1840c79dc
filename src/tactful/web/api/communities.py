"""Communities (docs/communities.md): operators define them (``admin``); people join and
leave them by their own choice, with ``community`` granted (an operator key with
``ingest`` acting for them, or their own subject token)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, ConfigDict, Field

from tactful.app.communities import CommunityView, PersonCommunities
from tactful.records import Membership
from tactful.types import Scope
from tactful.web.deps import Admin, AppDep, Read, SubjectIngest, subject_access

router = APIRouter(tags=["communities"])
IdPath = Annotated[str, Path(min_length=1, max_length=200)]
ReadsCommunities = Annotated[Any, Depends(subject_access(Scope.READ, reads="communities"))]


class CommunityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    community_id: str = Field(min_length=1, max_length=200)
    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=2000)
    values: list[str] = Field(default_factory=list, max_length=50)
    categories: list[str] = Field(default_factory=list, max_length=50)
    min_members: int | None = Field(
        None, ge=2, description="the anonymity threshold k; default community.min_members"
    )


class CommunitiesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    communities: list[CommunityIn] = Field(min_length=1, max_length=1000)


class CommunityOut(BaseModel):
    community_id: str
    name: str
    description: str
    values: list[str]
    categories: list[str]
    min_members: int
    members: int | str = Field(
        description="how many joined; below min_members shown as 'fewer than k' except to "
        "admin keys"
    )

    @classmethod
    def of(cls, v: CommunityView) -> CommunityOut:
        c = v.community
        return cls(
            community_id=c.community_id,
            name=c.name,
            description=c.description,
            values=list(c.values),
            categories=list(c.categories),
            min_members=c.min_members,
            members=v.members,
        )


class CommunityListOut(BaseModel):
    communities: list[CommunityOut]


class MembershipOut(BaseModel):
    subject_id: str
    community_id: str
    joined_at: datetime

    @classmethod
    def of(cls, m: Membership) -> MembershipOut:
        return cls(subject_id=m.subject_id, community_id=m.community_id, joined_at=m.joined_at)


class LeftOut(BaseModel):
    subject_id: str
    community_id: str
    left: bool = Field(description="whether there was a membership to end")


class JoinedOut(CommunityOut):
    joined_at: datetime


class SuggestionReasonOut(BaseModel):
    kind: str = Field(description="declared_value or interest")
    text: str


class SuggestedOut(BaseModel):
    community_id: str
    name: str
    description: str
    reasons: list[SuggestionReasonOut]


class PersonCommunitiesOut(BaseModel):
    subject_id: str
    joined: list[JoinedOut]
    suggested: list[SuggestedOut]

    @classmethod
    def of(cls, subject: str, p: PersonCommunities) -> PersonCommunitiesOut:
        return cls(
            subject_id=subject,
            joined=[
                JoinedOut(**CommunityOut.of(v).model_dump(), joined_at=m.joined_at)
                for m, v in p.joined
            ],
            suggested=[
                SuggestedOut(
                    community_id=s.community.community_id,
                    name=s.community.name,
                    description=s.community.description,
                    reasons=[SuggestionReasonOut(kind=r.kind, text=r.text) for r in s.reasons],
                )
                for s in p.suggested
            ],
        )


@router.put("/v1/communities", response_model=CommunityListOut)
def put_communities(body: CommunitiesIn, app: AppDep, _key: Admin) -> CommunityListOut:
    """Insert or replace communities by id, all in one transaction."""
    rows = [c.model_dump(exclude_none=True) for c in body.communities]
    app.communities.define(rows)
    wanted = {c.community_id for c in body.communities}
    views = [v for v in app.communities.all(admin=True) if v.community.community_id in wanted]
    return CommunityListOut(communities=[CommunityOut.of(v) for v in views])


@router.get("/v1/communities", response_model=CommunityListOut)
def get_communities(app: AppDep, key: Read) -> CommunityListOut:
    admin = Scope.ADMIN in key.scopes
    return CommunityListOut(
        communities=[CommunityOut.of(v) for v in app.communities.all(admin=admin)]
    )


@router.get("/v1/communities/{community_id}", response_model=CommunityOut)
def get_community(community_id: IdPath, app: AppDep, key: Read) -> CommunityOut:
    return CommunityOut.of(app.communities.get(community_id, admin=Scope.ADMIN in key.scopes))


@router.put("/v1/subjects/{subject_id}/communities/{community_id}", response_model=MembershipOut)
def join_community(
    subject_id: IdPath, community_id: IdPath, app: AppDep, who: SubjectIngest
) -> MembershipOut:
    """Join, by the person's choice: needs ``community`` granted (else 422 with reason
    ``consent_required:community``). Joining again keeps the first membership."""
    return MembershipOut.of(app.communities.join(subject_id, community_id, actor=who))


@router.delete("/v1/subjects/{subject_id}/communities/{community_id}", response_model=LeftOut)
def leave_community(
    subject_id: IdPath, community_id: IdPath, app: AppDep, who: SubjectIngest
) -> LeftOut:
    left = app.communities.leave(subject_id, community_id, actor=who)
    return LeftOut(subject_id=subject_id, community_id=community_id, left=left)


@router.get("/v1/subjects/{subject_id}/communities", response_model=PersonCommunitiesOut)
def get_subject_communities(
    subject_id: IdPath, app: AppDep, _who: ReadsCommunities
) -> PersonCommunitiesOut:
    """The communities the person joined, and suggestions with their reasons: declared
    values first, then inferred interests (with ``personalization``; never from sensitive
    items). Empty without ``community`` granted."""
    return PersonCommunitiesOut.of(subject_id, app.communities.of_subject(subject_id))
