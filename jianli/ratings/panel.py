from __future__ import annotations

from typing import Any

import jinja2
from markupsafe import Markup

from jianli.accounts import fixed_reads
from jianli.ratings import services
from jianli.ratings.models import Rating
from jianli.registrations.models import Application


@jinja2.pass_context
def rating_panel(context: Any, application: Application) -> Markup:
    """好差评 on the progress page: only the applicant sees a rating (staff see ratings in aggregate only)."""
    request = context.get("request")
    show = request is not None and getattr(request, "applicant", None) is not None and services.rateable(application)
    rating = next(iter(fixed_reads.rows_where(Rating, "application", application.pk)), None) if show else None
    return Markup(context.environment.get_template("ratings/_panel.html").render(
        show=show, application=application, rating=rating,
        may_change=rating is not None and services.may_change(rating),
    ))
