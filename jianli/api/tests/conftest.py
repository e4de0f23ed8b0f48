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
