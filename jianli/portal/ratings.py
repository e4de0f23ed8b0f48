"""好差评: the applicant's rating page (linked from the progress page)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from jianli.errors import ServiceError
from jianli.http import JianliRequest, signed_in_applicant
from jianli.portal.views import applicant_required, profile_required
from jianli.ratings import services
from jianli.ratings.models import Level, Rating
from jianli.registrations.models import Application, State


@profile_required
@applicant_required
def rate(request: JianliRequest, pk: int) -> HttpResponse:
    applicant = signed_in_applicant(request)
    application = Application.objects.filter(pk=pk, applicant=applicant).exclude(state=State.DRAFT).first()
    if application is None:
        raise Http404("未找到该申请")
    rating = Rating.objects.filter(application=application).first()
    values = {"level": str(rating.level) if rating else "", "comment": rating.comment if rating else ""}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in ("level", "comment")}
        try:
            services.rating_give(application_id=application.pk, applicant=applicant, level=values["level"],
                                 comment=values["comment"])
        except ServiceError as e:
            errors = e.fields or {"level": e.message}
            status = e.status
        else:
            messages.success(request, "感谢您的评价！")
            return redirect("portal:progress_detail", application.pk)
    return render(request, "ratings/rate.html", {
        "application": application, "rating": rating, "values": values, "errors": errors,
        "levels": Level.choices, "rateable": services.rateable(application),
        "may_change": rating is None or services.may_change(rating),
        "change_days": settings.JIANLI_RATING_CHANGE_DAYS,
    }, status=status)
