"""Per-person resources: consents, preferences and recommendations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from tactful.types import RequestContext, Scope
from tactful.web.deps import (
    BEARER_DOC,
    AppDep,
    ReadsConsents,
    ReadsPreferences,
    SubjectIngest,
    bearer_secret,
    get_app,
)
from tactful.web.rendered import RenderedBodies
from tactful.web.schemas import ConsentsIn, ConsentsOut, PreferencesIO, RecommendationsOut

router = APIRouter(prefix="/v1/subjects", tags=["subjects"])
_BODIES = RenderedBodies()
SubjectPath = Annotated[str, Path(min_length=1, max_length=200)]


@router.put("/{subject_id}/consents", response_model=ConsentsOut)
def put_consents(
    subject_id: SubjectPath, body: ConsentsIn, app: AppDep, actor: SubjectIngest
) -> ConsentsOut:
    """Append decisions to the person's consent history; returns the folded state.
    Withdrawing a purpose deletes the data and signals it alone covered (and, for
    ``personalization``, takes the person out of the models); granting one lifts an
    erasure tombstone. Operator key (``ingest``) or the person's subject token."""
    decisions = [d.model_dump(mode="json") for d in body.decisions]
    view = app.consents.record(subject_id, decisions, actor=actor)
    return ConsentsOut.of(view)


@router.get("/{subject_id}/consents", response_model=ConsentsOut)
def get_consents(subject_id: SubjectPath, app: AppDep, _who: ReadsConsents) -> ConsentsOut:
    return ConsentsOut.of(app.consents.view(subject_id))


@router.put("/{subject_id}/preferences", response_model=PreferencesIO)
def put_preferences(
    subject_id: SubjectPath, body: PreferencesIO, app: AppDep, _who: SubjectIngest
) -> PreferencesIO:
    """Replace the person's preferences; omitted fields take their defaults."""
    return PreferencesIO.of(app.consents.set_preferences(subject_id, body.to_prefs()))


@router.get("/{subject_id}/preferences", response_model=PreferencesIO)
def get_preferences(subject_id: SubjectPath, app: AppDep, _who: ReadsPreferences) -> PreferencesIO:
    return PreferencesIO.of(app.consents.preferences(subject_id))


@router.get(
    "/{subject_id}/recommendations", response_model=RecommendationsOut, openapi_extra=BEARER_DOC
)
async def get_recommendations(
    subject_id: SubjectPath,
    request: Request,
    *,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    context: Annotated[
        RequestContext,
        Query(
            description="where the list is shown: home (default) and email are proactive, "
            "so in a hard time they show no items, only a gentle note; search and browse "
            "answer the person's own looking, and still list items (without promotions)"
        ),
    ] = RequestContext.HOME,
    preview: Annotated[
        bool, Query(description="an operator's look: the list is not logged as an exposure")
    ] = False,
    kinds: Annotated[
        str,
        Query(
            max_length=100,
            description="what to recommend: product (default), content (guides, stories, "
            "events, volunteering) or both, comma-separated (product,content)",
        ),
    ] = "product",
) -> Response:
    """At most ``min(limit, max_recommendations)`` items, each with reasons, plus what was
    held back and why. Unknown people get the non-personalized list, which says so. The
    response is logged as an exposure only for people who granted ``personalization`` or
    ``analytics`` (others are counted without their id), and not at all with ``preview``.
    Operator key with ``read``. The hottest route, so kept lean: the key is checked inline
    rather than through dependencies, the body is serialised once by pydantic-core and not
    again while the person's cached list holds."""
    app = get_app(request)
    app.access.authorize(bearer_secret(request), Scope.READ)
    rec = app.recommendations.recommend(
        subject_id, limit=limit, context=context, preview=preview, kinds=kinds
    )
    return Response(_BODIES.body(rec), media_type="application/json")
