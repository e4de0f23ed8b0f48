"""好差评 for the ministry: ratings in aggregate only, and the 差评 to follow up (整改) with their deadlines."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianli import staff_signin as signin
from jianli.errors import ServiceError
from jianli.ratings import services
from jianli.ratings.models import FollowUp
from jianli.review.access import staff_required
from jianli.review.charts import bar_chart


@staff_required
def ministry(request: HttpRequest) -> HttpResponse:
    """Ratings in aggregate, and the 差评 to follow up (open ones first, by deadline)."""
    summary = services.summary()
    open_items = FollowUp.objects.filter(status=FollowUp.Status.OPEN).select_related("application", "rating")
    closed = (FollowUp.objects.filter(status=FollowUp.Status.CLOSED).select_related("application", "closed_by")
              .order_by("-closed_at")[:50])
    return render(request, "ratings/ministry.html", {
        "summary": summary,
        "chart": bar_chart([(label, n) for _, label, n in summary.counts], title="好差评分布", unit="件"),
        "open_items": open_items, "closed": closed, "today": timezone.localdate(),
    })


@staff_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.follow_up_close(follow_up_id=pk, user=signin.signed_in_user(request), note=request.POST.get("note", ""))
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, "已办结该差评整改事项。")
    return redirect("review:ratings")
