"""The API against its own OpenAPI document: every operation, every schemathesis check, a few examples each.

`make fuzz` runs the same checks with many more examples against a started server.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

MAX_EXAMPLES = 5
CONFIG = Path(__file__).with_name("schemathesis.toml")


@pytest.fixture
def contract(db, settings):  # type: ignore[no-untyped-def]
    """The schema, loaded from the app in-process, and a cast whose credentials each case can use."""
    from django.contrib.auth.models import Group, User

    from jianli import testing
    from jianli.api import credentials
    from jianli.employers.models import Employer, EmployerStaff
    from jianli.testing import cast

    settings.DEMO = True
    settings.JIANLI_FACE_ATTEMPTS_PER_HOUR = 10_000
    settings.JIANLI_RATE_CHECK_PER_ADDRESS = (10_000, 60)
    settings.JIANLI_RATE_SMS_PER_ADDRESS = (10_000, 3600)
    settings.JIANLI_RATE_SMS_PER_NUMBER = (10_000, 3600)
    settings.JIANLI_RATE_PROGRESS_PER_ADDRESS = (10_000, 3600)
    settings.JIANLI_RATE_API_PROFILE_PER_ADDRESS = (10_000, 3600)
    settings.JIANLI_RATE_API_KEY_PER_MINUTE = 10_000
    employer = Employer.objects.create(uscc=testing.uscc(8), name="契约测试监理有限公司")
    user = User.objects.create_user("contract-integration")
    user.groups.add(Group.objects.get_or_create(name="审查")[0])
    EmployerStaff.objects.create(user=user, employer=employer)
    key = credentials.api_key_create(
        name="contract", scopes=[f"employer:{employer.pk}", "ministry:review", "ministry:decide"], user=user
    )[0]
    applicant = cast.applicant(55, "契约", born=dt.date(1981, 3, 3), mobile="13800000055",
                               photo=testing.grace_hopper(), nickname="契约")
    profile = applicant.profile
    cast.submitted(applicant, employer)  # one open initial registration at a time
    def headers_for(security: list[dict[str, Any]]) -> dict[str, str]:
        names = {name for requirement in security for name in requirement}
        if "KeyAuth" in names:
            return {"X-API-Key": key}
        if "PendingAuth" in names:
            return {
                "Authorization": f"Bearer {credentials.pending_token_issue(applicant=applicant, profile=profile)[0]}"
            }
        if names:
            # A fresh pair per case: token_revoke must not sign the rest of the run out.
            return {
                "Authorization": f"Bearer {credentials.token_pair_issue(applicant=applicant, profile=profile).access_token}"
            }
        return {}

    # As Django's test Client does: a request must not close the test's connection (and its transaction).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    from jianli.identity.tests import fakes

    # WeChat sign-in talks to the local fake of jscode2session: a made-up code is WeChat's 40029, a 422.
    with fakes.wechat() as (url, _state):
        settings.JIANLI_WECHAT_ACCESS_TOKEN_URL = url
        settings.JIANLI_WECHAT_APPID, settings.JIANLI_WECHAT_SECRET = "wxappid", "wxsecret"
        yield headers_for
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _schema():  # type: ignore[no-untyped-def]
    from jianli.wsgi import application

    return schemathesis.openapi.from_wsgi(
        "/api/openapi.json", application, config=schemathesis.config.SchemathesisConfig.from_path(CONFIG)
    )


schema = _schema()


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_contract(case, contract) -> None:  # type: ignore[no-untyped-def]
    headers = contract(case.operation.definition.raw.get("security", []))
    case.call_and_validate(headers=headers)
