"""The application wizard: 申报须知 → 申报信息 → 申报告知."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jianli.portal.views import applicant_required, business_type_or_404, profile_required
from jianli.registrations.catalogue import ENTRIES, REFUSAL_CONDITIONS


@profile_required
@applicant_required
def notice(request: HttpRequest, business_type: str) -> HttpResponse:
    entry = ENTRIES[business_type_or_404(business_type)]
    return render(request, "portal/apply_notice.html", {"entry": entry, "conditions": REFUSAL_CONDITIONS})
