from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from jianli.accounts.models import Applicant, Profile


def _load(model: type[Applicant] | type[Profile], request: HttpRequest, key: str):  # type: ignore[no-untyped-def]
    pk = request.session.get(key)
    return model.objects.filter(pk=pk).first() if pk else None


class ApplicantMiddleware:
    """Puts `request.profile` (first use done) and `request.applicant` (face-verified, signed in) on requests."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.profile = _load(Profile, request, "profile_id")  # type: ignore[attr-defined]
        request.applicant = _load(Applicant, request, "applicant_id")  # type: ignore[attr-defined]
        return self.get_response(request)
