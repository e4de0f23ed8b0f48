"""`jianli seed` builds a data set the consoles and the applicant's pages open on, consistent with itself: the
queue counters equal the rows, personal data is really encrypted, approved applications have their registration
and certificate. Runs on SQLite (executemany) and PostgreSQL (COPY), whichever DATABASE_URL names."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client

from jianli import pii
from jianli.accounts.models import Applicant, Profile
from jianli.api import credentials
from jianli.notifications.models import Message
from jianli.registrations import counts
from jianli.registrations.models import (
    OPEN_STATES,
    Application,
    ApplicationEvent,
    Attachment,
    BusinessType,
    Certificate,
    Registration,
    State,
    StateCount,
)
from jianli.testing import cast
from jianli.testing.cast import office_client, review_client

pytestmark = pytest.mark.django_db


def test_seed_keeps_the_counters_equal_to_the_rows_and_the_pages_open() -> None:
    call_command("seed", applications=300)

    assert Application.objects.count() == 300
    per_key: Counter[tuple[str, str, bool]] = Counter()
    for r in Application.objects.values_list("state", "business_type", "reported_at"):
        per_key[(r[0], r[1], r[2] is not None)] += 1
    assert {(c.state, c.business_type, c.reported): c.n for c in StateCount.objects.all()} == dict(per_key)
    by_state = Counter(Application.objects.values_list("state", flat=True))
    assert counts.by_state(reported=None) == dict(by_state)
    assert len(by_state) >= 6 and len({k[1] for k in per_key}) >= 4

    # Every transition has its event, and what it told the applicant; attachments as uploaded.
    assert ApplicationEvent.objects.count() > 300 and Message.objects.count() > 300
    assert Attachment.objects.filter(application__business_type=BusinessType.INITIAL).exists()
    # At most one open application per person, as the service allows.
    assert not (Application.objects.filter(state__in=OPEN_STATES).values("applicant")
                .annotate(n=Count("id")).filter(n__gt=1).exists())
    # An approved initial registration made the engineer's registration and certificate.
    initial = Application.objects.filter(state=State.APPROVED, business_type=BusinessType.INITIAL)
    assert initial.exists() and not initial.filter(registration=None).exists()
    assert Certificate.objects.count() == Registration.objects.count() == initial.count()

    # Personal data: ciphertext in the table, the plaintext through the model, the lookup hash consistent.
    person = Applicant.objects.order_by("?").first()
    with connection.cursor() as c:
        c.execute("SELECT id_number, mobile FROM accounts_applicant WHERE id = %s", [person.pk])
        raw_id, raw_mobile = c.fetchone()
    assert raw_id.startswith(pii.ring().primary + ":") and person.id_number not in raw_id
    assert Applicant.objects.by_id_number(person.id_number).get() == person
    message = Message.objects.select_related("application__applicant").first()
    assert message.mobile == message.application.applicant.mobile

    reviewer = review_client(cast.reviewer("shencha", "审查"))
    for url in ["/review/", "/review/?state=approved", "/review/?type=change", "/review/?state=in_correction"]:
        assert reviewer.get(url).status_code == 200, url
    app = Application.objects.exclude(reported_at=None).filter(state=State.IN_REVIEW).first()
    assert reviewer.get(f"/review/applications/{app.number}/").status_code == 200

    office = office_client(cast.staff(app.employer, "seedstaff"))
    assert office.get("/office/").status_code == 200

    applicant = app.applicant
    profile = Profile.objects.create(nickname="工程师", applicant=applicant)
    web = Client()
    cast.sign_in(web, applicant)
    assert web.get(f"/progress/{app.pk}/").status_code == 200
    token = credentials.token_pair_issue(applicant=applicant, profile=profile).access_token
    detail = Client().get(f"/api/v1/applications/{app.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert detail.status_code == 200 and detail.json()["number"] == app.number
