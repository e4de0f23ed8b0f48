"""好差评 in the API: the applicant reads and gives (or, within the period, changes) the rating of an ended
application. Staff see ratings only in aggregate, in the review console."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Router, Schema
from pydantic import Field

from jianli.api.applications import _applicant, _application_for_applicant
from jianli.api.auth import applicant_auth
from jianli.api.errors import CHANGE, TOKEN
from jianli.api.schemas import In
from jianli.http import JianliRequest
from jianli.ratings import services
from jianli.ratings.models import Level, Rating
from jianli.registrations.models import Application

router = Router(tags=["申请人：好差评"])


class RatingIn(In):
    level: Annotated[int, Field(ge=1, le=5, description="5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意")]
    comment: Annotated[str, Field(max_length=services.COMMENT_MAX, description="评价内容；差评时必填")] = ""


class LevelOut(Schema):
    level: int
    label: str


class RatingOut(Schema):
    level: int
    label: str
    comment: str
    created_at: dt.datetime
    updated_at: dt.datetime
    changeable_until: dt.datetime


class RatingStateOut(Schema):
    rateable: bool = Field(description="办结（准予、不予、终止）或撤回后可以评价")
    may_change: bool = Field(description="可以评价或修改评价")
    rating: RatingOut | None
    levels: list[LevelOut]


def _state(application: Application) -> dict[str, Any]:
    rating = Rating.objects.filter(application=application).first()
    return {
        "rateable": services.rateable(application),
        "may_change": services.rateable(application) and (rating is None or services.may_change(rating)),
        "rating": None if rating is None else {
            "level": rating.level, "label": rating.get_level_display(), "comment": rating.comment,
            "created_at": rating.created_at, "updated_at": rating.updated_at,
            "changeable_until": rating.changeable_until(),
        },
        "levels": [{"level": v, "label": label} for v, label in Level.choices],
    }


@router.get("applications/{application_id}/rating", auth=applicant_auth, response={200: RatingStateOut, **TOKEN},
            summary="好差评：查看")
def rating_read(request: JianliRequest, application_id: int) -> dict[str, Any]:
    return _state(_application_for_applicant(request, application_id))


@router.put("applications/{application_id}/rating", auth=applicant_auth, response={200: RatingStateOut, **CHANGE},
            summary="好差评：评价或修改评价")
def rating_put(request: JianliRequest, application_id: int, payload: RatingIn) -> dict[str, Any]:
    application = _application_for_applicant(request, application_id)
    services.rating_give(application_id=application.pk, applicant=_applicant(request), level=payload.level,
                         comment=payload.comment)
    return _state(_application_for_applicant(request, application_id))
