"""A signed-in session ends JIANLI_SESSION_ABSOLUTE_SECONDS after sign-in, however busy it stayed."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from jianli.accounts import session
from jianli.testing import cast
from jianli.testing.cast import review_client

pytestmark = pytest.mark.django_db


def signed_in_at(client: Client, seconds_ago: int) -> None:
    """Travel: the sign-in happened `seconds_ago` (the idle timeout is renewed by every request anyway)."""
    store = client.session
    store[session.STARTED] = int(time.time()) - seconds_ago
    store.save()


def test_an_applicant_is_signed_out_after_the_absolute_lifetime(settings):
    settings.JIANLI_SESSION_ABSOLUTE_SECONDS = 3600
    me = cast.applicant()
    client = Client()
    store = client.session
    store["applicant_id"], store["profile_id"] = me.pk, me.profile.pk
    store.save()
    assert client.get("/progress/").status_code == 200
    assert session.STARTED in client.session  # the clock starts at the first signed-in request

    signed_in_at(client, 3500)
    assert client.get("/progress/").status_code == 200
    signed_in_at(client, 3601)
    assert client.get("/progress/")["Location"].startswith("/check/")
    assert "applicant_id" not in client.session


def test_staff_are_signed_out_after_the_absolute_lifetime(settings):
    settings.JIANLI_SESSION_ABSOLUTE_SECONDS = 3600
    client = review_client(cast.reviewer())
    assert client.get("/review/").status_code == 200
    signed_in_at(client, 3601)
    assert client.get("/review/")["Location"].startswith("/review/login/")


def test_signing_in_again_starts_a_new_lifetime():
    me = cast.applicant()
    client = Client()
    signed_in_at(client, 10**6)
    request = type("R", (), {"session": client.session, "user": None})()
    session.sign_in(request, me)  # type: ignore[arg-type]
    assert time.time() - request.session[session.STARTED] < 5
