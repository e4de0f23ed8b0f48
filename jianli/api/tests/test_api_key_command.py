"""The api_key command: a key is printed once, listed by its prefix, and revoked."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from jianli.api import credentials
from jianli.testing import cast

pytestmark = pytest.mark.django_db


def test_create_list_revoke() -> None:
    user = cast.reviewer("cli-reviewer")
    out = io.StringIO()
    call_command(
        "api_key",
        "create",
        "--name",
        "部审查系统",
        "--user",
        user.username,
        "--scope",
        "ministry:review",
        stdout=out,
    )
    secret = out.getvalue().split("X-API-Key: ")[1].strip()
    assert credentials.api_key_find(secret=secret) is not None
    out = io.StringIO()
    call_command("api_key", "list", stdout=out)
    prefix = out.getvalue().split()[0]
    assert secret.startswith(prefix) and secret not in out.getvalue()
    call_command("api_key", "revoke", prefix, stdout=io.StringIO())
    assert credentials.api_key_find(secret=secret) is None


def test_unknown_scope_is_refused() -> None:
    user = cast.reviewer("cli-2")
    with pytest.raises(CommandError):
        call_command(
            "api_key",
            "create",
            "--name",
            "x",
            "--user",
            user.username,
            "--scope",
            "root",
            stdout=io.StringIO(),
        )


def test_purge_deletes_expired_tokens_only() -> None:
    from django.utils import timezone

    from jianli.api.models import ApiToken
    from jianli.testing.cast import api_person

    person = api_person("清理", 71)
    ApiToken.objects.filter(applicant=person.applicant, kind="access").update(expires_at=timezone.now())
    call_command("api_purge", stdout=io.StringIO())
    assert list(ApiToken.objects.filter(applicant=person.applicant).values_list("kind", flat=True)) == [
        "refresh"
    ]
