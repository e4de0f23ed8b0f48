"""A cast for the API tests: a platform user, two signed-in applicants (A and B), bearer headers."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from jianli import testing
from jianli.accounts.models import Applicant, Profile
from jianli.api import credentials


class Api:
    """A JSON client for /api/v1/."""

    def __init__(self) -> None:
        self.client = Client()

    def call(self, method: str, path: str, body: Any = None, token: str | None = None, **headers: str):  # type: ignore[no-untyped-def]
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        if token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        url = path if path.startswith("/") else f"/api/v1/{path}"
        fn = getattr(self.client, method.lower())
        if body is None:
            return fn(url, **extra)
        return fn(url, body, content_type="application/json", **extra)

    def get(self, path: str, **kw: Any):  # type: ignore[no-untyped-def]
        return self.call("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any):  # type: ignore[no-untyped-def]
        return self.call("POST", path, body if body is not None else {}, **kw)

    def patch(self, path: str, body: Any = None, **kw: Any):  # type: ignore[no-untyped-def]
        return self.call("PATCH", path, body if body is not None else {}, **kw)

    def put(self, path: str, body: Any = None, **kw: Any):  # type: ignore[no-untyped-def]
        return self.call("PUT", path, body if body is not None else {}, **kw)


@pytest.fixture
def api() -> Api:
    return Api()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@dataclass
class Person:
    applicant: Applicant
    profile: Profile
    access: str
    refresh: str


def make_person(name: str, sequence: int) -> Person:
    applicant = Applicant(
        name=name, id_number=testing.id_number(dt.date(1980, 1, 1), sequence), mobile=f"1380013{sequence:04d}"
    )
    applicant.set_id_photo(testing.grace_hopper())
    applicant.save()
    profile = Profile.objects.create(nickname=name, applicant=applicant)
    pair = credentials.token_pair_issue(applicant=applicant, profile=profile)
    return Person(applicant, profile, pair.access_token, pair.refresh_token)


@pytest.fixture
def alice(db) -> Person:  # type: ignore[no-untyped-def]
    return make_person("李娜", 21)


@pytest.fixture
def bob(db) -> Person:  # type: ignore[no-untyped-def]
    return make_person("张伟", 33)


@pytest.fixture
def profile_token(db) -> str:  # type: ignore[no-untyped-def]
    return credentials.profile_token_issue(profile=Profile.objects.create(nickname="小程序用户"))


@pytest.fixture
def employer(db):  # type: ignore[no-untyped-def]
    from jianli.registrations.tests import cast

    return cast.employer(1, "北京华建工程监理有限公司")


@pytest.fixture
def employer_key(employer) -> str:  # type: ignore[no-untyped-def]
    from jianli.registrations.tests import cast

    staff = cast.staff(employer)
    return credentials.api_key_create(name="华建 OA", scopes=[f"employer:{employer.pk}"], user=staff.user)[0]


@pytest.fixture
def reviewer_key(db) -> str:  # type: ignore[no-untyped-def]
    from jianli.registrations.tests import cast

    user = cast.reviewer("api-reviewer")
    return credentials.api_key_create(
        name="部审查系统", scopes=["ministry:review", "ministry:decide"], user=user
    )[0]


def qualify(person: Person) -> None:
    """Put the person in the qualification roster so initial registration is open to them."""
    from jianli import pii
    from jianli.registrations.models import Qualification

    typed = "JL2024110100031"  # the number in cast.initial_data, which the roster must match
    Qualification.objects.create(
        certificate_number=typed if not Qualification.objects.filter(certificate_number=typed).exists()
        else f"JL2024{person.applicant.pk:09d}",
        name=person.applicant.name,
        id_hash=pii.lookup_hash(person.applicant.id_number),
        category="土木建筑工程",
        obtained_on=dt.date(2024, 10, 20),
    )


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
