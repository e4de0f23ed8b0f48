"""The API tests' fixtures: a JSON client, two signed-in applicants (A and B), a platform user, API keys."""

from __future__ import annotations

import pytest

from jianli.accounts.models import Profile
from jianli.api import credentials
from jianli.testing import cast


@pytest.fixture
def api() -> cast.Api:
    return cast.Api()


@pytest.fixture
def alice(db) -> cast.Person:  # type: ignore[no-untyped-def]
    return cast.api_person("李娜", 21)


@pytest.fixture
def bob(db) -> cast.Person:  # type: ignore[no-untyped-def]
    return cast.api_person("张伟", 33)


@pytest.fixture
def profile_token(db) -> str:  # type: ignore[no-untyped-def]
    return credentials.profile_token_issue(profile=Profile.objects.create(nickname="小程序用户"))


@pytest.fixture
def employer(db):  # type: ignore[no-untyped-def]
    return cast.employer(1, "北京华建工程监理有限公司")


@pytest.fixture
def employer_key(employer) -> str:  # type: ignore[no-untyped-def]
    staff = cast.staff(employer)
    return credentials.api_key_create(name="华建 OA", scopes=[f"employer:{employer.pk}"], user=staff.user)[0]


@pytest.fixture
def reviewer_key(db) -> str:  # type: ignore[no-untyped-def]
    user = cast.reviewer("api-reviewer")
    return credentials.api_key_create(
        name="部审查系统", scopes=["ministry:review", "ministry:decide"], user=user
    )[0]
