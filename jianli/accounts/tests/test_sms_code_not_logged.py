"""An SMS code never reaches a log, whichever way it was asked for (web page or API)."""

from __future__ import annotations

import logging
import re

import pytest
from django.test import Client

from jianli.accounts.models import Profile
from jianli.api import credentials

pytestmark = pytest.mark.django_db


def test_codes_are_not_in_the_logs(caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    web = Client()
    web.post("/welcome/", {"nickname": "小李"})
    page = web.post("/register/", {"mobile": "13912345678", "action": "send_code"}).content.decode()
    from_page = re.search(r'id="demo-sms-code">(\d{6})<', page)
    token = credentials.profile_token_issue(profile=Profile.objects.create(nickname="小程序用户"))
    api = Client().post("/api/v1/sms-codes", {"mobile": "13812345678"}, content_type="application/json",
                        HTTP_AUTHORIZATION=f"Bearer {token}")
    codes = [from_page[1] if from_page else None, api.json()["demo_code"]]
    assert all(codes)  # shown on the page and in the answer in the demo, so the test knows them
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "SMS to 139****5678" in logged  # the console provider did log the message ...
    for code in codes:
        assert code not in logged  # ... without the code
