"""Pages and API answers with personal data are never kept by a browser or a proxy."""

from __future__ import annotations

import pytest
from django.test import Client

from jianli import testing
from jianli.testing import cast

pytestmark = pytest.mark.django_db


def test_api_answers_are_not_stored(api, alice) -> None:  # type: ignore[no-untyped-def]
    response = api.get("me", token=alice.access)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert api.get("me")["Cache-Control"] == "no-store"  # refusals too


def test_pages_and_the_avatar_are_not_stored() -> None:
    me = cast.applicant()
    client = Client()
    client.post("/welcome/", {"nickname": "小李", "avatar": testing.cat_file()})
    assert "no-store" in client.get("/profile/avatar/")["Cache-Control"]
    store = client.session
    store["applicant_id"], store["profile_id"] = me.pk, me.profile.pk
    store.save()
    for path in ("/", "/profile/", "/progress/"):
        assert client.get(path)["Cache-Control"] == "no-store", path
