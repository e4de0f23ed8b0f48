"""The signed-in staff member is read in one statement per request (fixed_reads.staff_user, through
StaffBackend and our OTPMiddleware): what it reads is what the ORM reads, a console page costs the same few
queries, and a change to the account (groups, TOTP device, temporary password, company) counts from the next
request on."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice

from jianli.accounts.fixed_reads import DEVICES, TEMPORARY, staff_user
from jianli.accounts.models import StaffAccount
from jianli.employers.models import EmployerStaff
from jianli.registrations.models import State
from jianli.testing import cast
from jianli.testing.cast import office_client, review_client

pytestmark = pytest.mark.django_db


def test_a_reviewer_reads_as_the_orm_reads_them_with_groups_devices_and_flag_in_one_query() -> None:
    user = cast.reviewer("shencha", "审查", "复核")
    device = cast.device_for(user)
    orm = User.objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as ctx:
        fixed = staff_user(user.pk)
        assert fixed is not None
        assert fixed._jianli_groups == {"审查", "复核"}  # type: ignore[attr-defined]
        assert getattr(fixed, TEMPORARY) is False
        assert list(getattr(fixed, DEVICES)) == [device.pk] and getattr(fixed, DEVICES)[device.pk].user is fixed
        assert getattr(fixed, DEVICES)[device.pk].key == device.key
        assert getattr(fixed, "employer_staff", None) is None
    assert len(ctx.captured_queries) == 1
    for field in User._meta.concrete_fields:
        assert getattr(fixed, field.attname) == getattr(orm, field.attname), field.name
    assert staff_user(user.pk + 1000) is None


def test_a_company_account_comes_with_its_employer_and_a_user_in_no_group() -> None:
    staff = cast.staff(cast.employer())
    StaffAccount.objects.filter(user=staff.user).update(password_temporary=True)
    with CaptureQueriesContext(connection) as ctx:
        fixed = staff_user(staff.user_id)
        assert fixed is not None and fixed._jianli_groups == frozenset()  # type: ignore[attr-defined]
        assert fixed.employer_staff.pk == staff.pk and fixed.employer_staff.employer.name == staff.employer.name
        assert fixed.employer_staff.user is fixed and getattr(fixed, DEVICES) == {}
        assert getattr(fixed, TEMPORARY) is True
    assert len(ctx.captured_queries) == 1


def queries_of(client: Client, path: str) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_the_queue_and_the_company_list_cost_a_fixed_few_queries() -> None:
    """Session, the staff member, then the page's own: the queue's rows, the counts per state, the proposals
    waiting; the company's list and its 待企业上报 count. More means a fixed read fell back to the ORM."""
    employer = cast.application(State.AWAITING_REVIEW).employer
    review = review_client(cast.reviewer())
    assert queries_of(review, "/review/") == 5
    assert queries_of(review, "/review/?state=awaiting_review&type=initial") == 5
    assert queries_of(office_client(cast.staff(employer)), "/office/") == 4


def test_a_reviewer_taken_out_of_the_group_loses_the_console_on_the_next_request() -> None:
    reviewer = cast.reviewer()
    client = review_client(reviewer)
    assert client.get("/review/").status_code == 200
    reviewer.groups.remove(Group.objects.get(name="审查"))
    r = client.get("/review/")
    assert r.status_code == 302 and r["Location"].startswith("/review/login/")


def test_a_removed_or_unconfirmed_device_signs_the_session_out_of_the_console() -> None:
    reviewer = cast.reviewer()
    client = review_client(reviewer)
    TOTPDevice.objects.filter(user=reviewer).update(confirmed=False)
    r = client.get("/review/")
    assert r.status_code == 302 and r["Location"].startswith("/review/login/")
    TOTPDevice.objects.filter(user=reviewer).update(confirmed=True)
    assert client.get("/review/").status_code == 302  # the session no longer names a device
    other = cast.reviewer("fuhe")
    client = review_client(other)
    TOTPDevice.objects.filter(user=other).delete()
    assert client.get("/review/").status_code == 302


def test_a_password_made_temporary_sends_the_holder_to_change_it_on_the_next_request() -> None:
    reviewer = cast.reviewer()
    client = review_client(reviewer)
    StaffAccount.objects.filter(user=reviewer).update(password_temporary=True)
    r = client.get("/review/")
    assert r.status_code == 302 and r["Location"] == "/review/password/"


def test_a_company_account_moved_or_its_company_closed_counts_on_the_next_request() -> None:
    employer = cast.application(State.AWAITING_EMPLOYER).employer
    other = cast.employer(2, "乙监理公司")
    staff = cast.staff(employer)
    client = office_client(staff)
    assert employer.name in client.get("/office/").content.decode()
    EmployerStaff.objects.filter(pk=staff.pk).update(employer=other)
    page = client.get("/office/").content.decode()
    assert other.name in page and employer.name not in page
    other.is_active = False
    other.save()
    r = client.get("/office/")
    assert r.status_code == 302 and r["Location"].startswith("/office/login/")
