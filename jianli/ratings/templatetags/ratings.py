from __future__ import annotations

from typing import Any

from django import template

from jianli.accounts import fixed_reads
from jianli.ratings import services
from jianli.ratings.models import Rating
from jianli.registrations.models import Application

register = template.Library()


@register.inclusion_tag("ratings/_panel.html", takes_context=True)
def rating_panel(context: template.Context, application: Application) -> dict[str, Any]:
    """好差评 on the progress page: only the applicant sees a rating (staff see ratings in aggregate only)."""
    request = context.get("request")
    show = request is not None and getattr(request, "applicant", None) is not None and services.rateable(application)
    rating = next(iter(fixed_reads.rows_where(Rating, "application", application.pk)), None) if show else None
    return {
        "show": show,
        "application": application,
        "rating": rating,
        "may_change": rating is not None and services.may_change(rating),
    }
