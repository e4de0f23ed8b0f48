from __future__ import annotations

import pytest

from jianli.notifications.models import Message
from jianli.testing import cast


@pytest.mark.django_db
def test_the_employer_contact_hears_of_an_application_to_report(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    emp = cast.employer(1)
    emp.contact_mobile = "13900139000"
    emp.save()
    with django_capture_on_commit_callbacks(execute=True):
        app = cast.submitted(cast.applicant(), emp)
    to_employer = Message.objects.get(application=app, recipient_label=emp.name)
    assert to_employer.mobile == "13900139000" and "待贵单位确认上报" in to_employer.text
    assert Message.objects.filter(application=app).count() == 2


@pytest.mark.django_db
def test_no_contact_no_employer_message(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    emp = cast.employer(1)
    with django_capture_on_commit_callbacks(execute=True):
        app = cast.submitted(cast.applicant(), emp)
    assert Message.objects.filter(application=app).count() == 1
