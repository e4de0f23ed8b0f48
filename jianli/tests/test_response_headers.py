"""Every page and API answer carries the security headers; Django's own debug pages go without the policy."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; script-src 'self'; style-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"
)


@pytest.mark.parametrize("path", ["/", "/progress/", "/office/login/", "/api/v1/me", "/api/v1/nowhere", "/nowhere/"])
def test_pages_and_answers_carry_the_policy_and_refuse_framing(path: str) -> None:
    response = Client().get(path)
    assert response["Content-Security-Policy"] == POLICY
    if not path.startswith("/api/"):  # for old browsers; the policy's frame-ancestors covers every answer
        assert response["X-Frame-Options"] == "DENY"
    assert response["Content-Language"] == "zh-Hans"
    assert response["Cache-Control"] == "no-store"


def test_debug_pages_style_themselves_inline_so_they_go_without_the_policy(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    settings.ALLOWED_HOSTS = ["*"]
    response = Client().get("/nowhere/")
    assert response.status_code == 404 and "Content-Security-Policy" not in response
    assert response["X-Frame-Options"] == "DENY"
