"""credentials.token_find reads the token with its profile and applicant in one statement written once: it finds
what the ORM query it replaced found, and nothing that query would not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jianli.api import credentials
from jianli.api.models import ApiToken, TokenKind
from jianli.portal.tests.test_progress import make_person

pytestmark = pytest.mark.django_db


def test_a_live_token_comes_with_its_owners_and_a_spent_revoked_or_expired_one_does_not() -> None:
    person = make_person()
    pair = credentials.token_pair_issue(applicant=person, profile=None)
    with CaptureQueriesContext(connection) as ctx:
        found = credentials.token_find(secret=pair.access_token, kinds=(TokenKind.ACCESS,))
        assert found is not None and found.kind == TokenKind.ACCESS and found.profile is None
        assert found.applicant.pk == person.pk and found.applicant.name == person.name
        assert found.applicant.profile.pk == person.profile.pk
    assert len(ctx.captured_queries) == 1
    orm = ApiToken.objects.get(pk=found.pk)
    for field in ApiToken._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(orm, field.attname), field.name

    profile_token = credentials.profile_token_issue(profile=person.profile)
    by_profile = credentials.token_find(secret=profile_token, kinds=(TokenKind.PROFILE, TokenKind.ACCESS))
    assert by_profile is not None and by_profile.profile.pk == person.profile.pk and by_profile.applicant is None

    assert credentials.token_find(secret=pair.access_token, kinds=(TokenKind.PENDING,)) is None
    ApiToken.objects.filter(pk=found.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert credentials.token_find(secret=pair.access_token, kinds=(TokenKind.ACCESS,)) is None
    ApiToken.objects.filter(pk=by_profile.pk).update(revoked_at=timezone.now())
    assert credentials.token_find(secret=profile_token, kinds=(TokenKind.PROFILE,)) is None
