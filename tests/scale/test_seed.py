"""`jianli seed` builds a data set the consoles open on, with the queue counts kept."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from jianli.office.tests.helpers import review_client
from jianli.registrations import counts
from jianli.registrations.models import Application, ApplicationEvent
from jianli.registrations.tests import cast

pytestmark = pytest.mark.django_db


def test_seed_200_applications_and_the_queue_opens() -> None:
    call_command("seed", applications=200)
    assert Application.objects.count() == 200
    assert ApplicationEvent.objects.count() >= 200
    approved = Application.objects.filter(state="approved").exclude(reported_at=None).count()
    assert approved > 0 and counts.by_state(["approved"]).get("approved") == approved
    client = review_client(cast.reviewer("shencha", "审查"))
    for url in ["/review/", "/review/?state=approved", "/review/?type=change"]:
        r = client.get(url)
        assert r.status_code == 200
    number = Application.objects.exclude(reported_at=None).first().number
    assert client.get(f"/review/applications/{number}/").status_code == 200
