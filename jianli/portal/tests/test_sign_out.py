"""Signing out on a shared phone leaves nothing of the person behind: not the session, not the device's profile."""

from __future__ import annotations

import pytest
from django.test import Client

from jianli.accounts.middleware import DEVICE_COOKIE
from jianli.testing import cast

pytestmark = pytest.mark.django_db


def test_sign_out_forgets_the_profile_on_this_device():
    me = cast.applicant(name="王建国")
    client = Client()
    session = client.session
    session["applicant_id"], session["profile_id"] = me.pk, me.profile.pk
    session.save()
    assert "王建国"[-1] in client.get("/").content.decode()
    assert client.cookies[DEVICE_COOKIE].value  # remembered on the device while signed in

    response = client.post("/signout/")
    assert response.cookies[DEVICE_COOKIE].value == "" and response.cookies[DEVICE_COOKIE]["max-age"] == 0
    # The next person to pick up the phone starts from first use.
    assert client.get("/")["Location"].startswith("/welcome/")
