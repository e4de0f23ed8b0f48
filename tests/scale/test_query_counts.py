"""National scale: no page or API list runs a query per row. Each test builds N rows, counts the queries of
one request, builds 2N more and counts again: the count must not grow with the rows."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jianli.api import credentials
from jianli.audit.models import AuditEvent
from jianli.notifications.models import Message
from jianli.registrations.models import (
    ActorKind,
    Application,
    ApplicationEvent,
    ApplicationVersion,
    Attachment,
    BusinessType,
    State,
)
from jianli.testing import cast
from jianli.testing.cast import office_client, review_client

pytestmark = pytest.mark.django_db

N = 5
_serial = itertools.count(1)


def add_applications(n: int, *, employer, applicant, state: State = State.AWAITING_REVIEW,  # type: ignore[no-untyped-def]
                     claimed_by=None, business_type: BusinessType = BusinessType.INITIAL) -> list[Application]:
    """n submitted and reported applications, each with an employer, an applicant and a reviewer."""
    now = timezone.now()
    rows = []
    for _ in range(n):
        i = next(_serial)
        rows.append(Application(
            number=f"JLSCALE{i:010d}", applicant=applicant, employer=employer, business_type=business_type,
            state=state, data=cast.initial_data(employer), version=1, claimed_by=claimed_by,
            submitted_at=now - dt.timedelta(minutes=i), reported_at=now - dt.timedelta(minutes=i),
            deadline=timezone.localdate() + dt.timedelta(days=10),
        ))
    return Application.objects.bulk_create(rows)


def add_history(app: Application, n: int, user) -> None:  # type: ignore[no-untyped-def]
    """n events (each by a user), messages, attachments and versions on one application."""
    ApplicationEvent.objects.bulk_create(
        ApplicationEvent(application=app, action="claim", from_state=State.AWAITING_REVIEW, to_state=State.IN_REVIEW,
                         actor_kind=ActorKind.REVIEWER, actor_user=user, actor_label="张审查")
        for _ in range(n)
    )
    Message.objects.bulk_create(
        Message(application=app, recipient_label="申请人", mobile="13800138000", text="您的申请已受理") for _ in range(n)
    )
    Attachment.objects.bulk_create(
        Attachment(application=app, slot=f"slot{next(_serial)}", original_name="a.pdf", content_type="application/pdf",
                   size=10, sha256=f"{next(_serial):064d}", path="x", is_current=True)
        for _ in range(n)
    )
    start = ApplicationVersion.objects.filter(application=app).count()
    ApplicationVersion.objects.bulk_create(
        ApplicationVersion(application=app, version=start + k + 1, data={**app.data, "school": f"学校{k}"},
                           attachments={}, employer_id_at=app.employer_id)
        for k in range(n)
    )


def assert_flat(build: Callable[[int], Any], request: Callable[[], Any]) -> tuple[int, int]:
    """Queries of `request` after N rows and after 3N rows: equal, or the page runs a query per row."""
    build(N)
    request()  # warm caches (content types, sessions) so both counts measure the same work
    with CaptureQueriesContext(connection) as small:
        request()
    build(2 * N)
    with CaptureQueriesContext(connection) as large:
        request()
    assert len(large) <= len(small), "\n".join(q["sql"] for q in large.captured_queries)
    return len(small), len(large)


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    emp = cast.employer(1, "北京华建工程监理有限公司")
    staff = cast.staff(emp)
    reviewer = cast.reviewer("shencha", "审查", "复核")
    person = cast.applicant(name="王建国", sequence=12)
    return emp, staff, reviewer, person


def _new_applicant():  # type: ignore[no-untyped-def]
    return cast.applicant(name="李娜", sequence=next(_serial) % 900 + 100)


def test_office_list(world) -> None:  # type: ignore[no-untyped-def]
    emp, staff, _, _ = world
    client = office_client(staff)

    def build(n: int) -> None:
        for _ in range(n):
            add_applications(1, employer=emp, applicant=_new_applicant(), state=State.AWAITING_EMPLOYER)

    def get() -> None:
        r = client.get("/office/")
        assert r.status_code == 200

    assert_flat(build, get)


@pytest.mark.parametrize("query", ["", "?state=in_review", "?type=initial&employer=华建", "?mine=1", "?due=soon",
                                   "?sort=deadline", "?sort=-submitted", "?reviewer=1"])
def test_review_queue(world, query: str) -> None:  # type: ignore[no-untyped-def]
    emp, _, reviewer, _ = world
    client = review_client(reviewer)

    def build(n: int) -> None:
        for _ in range(n):
            person = _new_applicant()
            add_applications(1, employer=emp, applicant=person)
            add_applications(1, employer=emp, applicant=person, state=State.IN_REVIEW, claimed_by=reviewer)

    def get() -> None:
        r = client.get(f"/review/{query}")
        assert r.status_code == 200

    assert_flat(build, get)


def test_review_queue_deep_keyset_page(world) -> None:  # type: ignore[no-untyped-def]
    emp, _, reviewer, person = world
    client = review_client(reviewer)
    add_applications(75, employer=emp, applicant=person)
    r = client.get("/review/?type=initial")
    cursor = r.context["page"].next_cursor
    for _ in range(2):
        r = client.get("/review/", {"type": "initial", "after": cursor})
        cursor = r.context["page"].next_cursor
    with CaptureQueriesContext(connection) as deep:
        r = client.get("/review/", {"type": "initial", "after": cursor})
    assert r.status_code == 200 and len(r.context["page"].rows) == 15
    with CaptureQueriesContext(connection) as first:
        client.get("/review/?type=initial")
    assert len(deep) <= len(first)


def test_review_detail(world) -> None:  # type: ignore[no-untyped-def]
    emp, _, reviewer, person = world
    client = review_client(reviewer)
    app = add_applications(1, employer=emp, applicant=person, state=State.IN_REVIEW, claimed_by=reviewer)[0]
    others = [cast.reviewer(f"r{i}") for i in range(3 * N)]

    def build(n: int) -> None:
        for _ in range(n):
            add_history(app, 1, others[next(_serial) % len(others)])

    def get() -> None:
        r = client.get(f"/review/applications/{app.number}/")
        assert r.status_code == 200

    assert_flat(build, get)


def test_review_detail_context(world) -> None:  # type: ignore[no-untyped-def]
    """The case page's context (other open and past cases of the person) costs the same however many."""
    emp, _, reviewer, person = world
    client = review_client(reviewer)
    app = add_applications(1, employer=emp, applicant=person, state=State.IN_REVIEW, claimed_by=reviewer)[0]

    def build(n: int) -> None:
        add_applications(n, employer=emp, applicant=person, state=State.APPROVED)
        add_applications(n, employer=emp, applicant=person, state=State.AWAITING_REVIEW,
                         business_type=BusinessType.CHANGE)

    def get() -> None:
        r = client.get(f"/review/applications/{app.number}/")
        assert r.status_code == 200

    assert_flat(build, get)


def test_review_search_by_name(world) -> None:  # type: ignore[no-untyped-def]
    emp, _, reviewer, _ = world
    client = review_client(reviewer)

    def build(n: int) -> None:
        for _ in range(n):
            add_applications(1, employer=emp, applicant=_new_applicant())

    def post() -> None:
        r = client.post("/review/search/", {"q": "李"})
        assert r.status_code == 200 and r.context["found"].rows

    assert_flat(build, post)


def test_review_team_load(world) -> None:  # type: ignore[no-untyped-def]
    from jianli.review import work

    emp, _, reviewer, person = world
    reviewer.groups.add(Group.objects.get_or_create(name=work.TEAM_LEAD_GROUP)[0])
    client = review_client(reviewer)

    def build(n: int) -> None:
        for _ in range(n):
            someone = cast.reviewer(f"load{next(_serial)}")
            add_applications(2, employer=emp, applicant=person, state=State.IN_REVIEW, claimed_by=someone)

    def get() -> None:
        r = client.get("/review/team/")
        assert r.status_code == 200

    assert_flat(build, get)


def test_progress_page(world) -> None:  # type: ignore[no-untyped-def]
    emp, _, reviewer, person = world
    client = Client()
    cast.sign_in(client, person)
    app = add_applications(1, employer=emp, applicant=person, state=State.IN_REVIEW, claimed_by=reviewer)[0]

    def build(n: int) -> None:
        add_history(app, n, reviewer)
        add_applications(n, employer=emp, applicant=person, state=State.APPROVED)

    def get() -> None:
        r = client.get(f"/progress/{app.pk}/")
        assert r.status_code == 200, r.status_code

    assert_flat(build, get)


def test_audit_search(world) -> None:  # type: ignore[no-untyped-def]
    emp, _, reviewer, person = world
    client = review_client(reviewer)
    app = add_applications(1, employer=emp, applicant=person)[0]

    def build(n: int) -> None:
        AuditEvent.objects.bulk_create(
            AuditEvent(action="personal_data_viewed", actor_kind="reviewer", actor_id=reviewer.pk, actor_label="张审查",
                       applicant_id=person.pk, application_id=app.pk, detail={"what": "application"})
            for _ in range(n)
        )

    def get() -> None:
        r = client.get("/review/audit/", {"number": app.number or ""})
        assert r.status_code == 200

    assert_flat(build, get)


def test_api_applicant_list(world) -> None:  # type: ignore[no-untyped-def]
    emp, _, reviewer, person = world
    token = credentials.token_pair_issue(applicant=person, profile=person.profile).access_token
    client = Client()

    def build(n: int) -> None:
        add_applications(n, employer=emp, applicant=person, state=State.AWAITING_EMPLOYER)

    def get() -> None:
        r = client.get("/api/v1/applications", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert r.status_code == 200

    assert_flat(build, get)


def test_api_employer_list(world) -> None:  # type: ignore[no-untyped-def]
    emp, staff, _, _ = world
    key = credentials.api_key_create(name="OA", scopes=[f"employer:{emp.pk}"], user=staff.user)[0]
    client = Client()

    def build(n: int) -> None:
        for _ in range(n):
            add_applications(1, employer=emp, applicant=_new_applicant(), state=State.AWAITING_EMPLOYER)

    def get() -> None:
        r = client.get("/api/v1/employer/applications", HTTP_X_API_KEY=key)
        assert r.status_code == 200, r.content

    assert_flat(build, get)


def test_api_review_list(world) -> None:  # type: ignore[no-untyped-def]
    emp, _, reviewer, _ = world
    key = credentials.api_key_create(name="部", scopes=["ministry:review"], user=reviewer)[0]
    client = Client()

    def build(n: int) -> None:
        for _ in range(n):
            add_applications(1, employer=emp, applicant=_new_applicant())

    def get() -> None:
        r = client.get("/api/v1/review/applications", HTTP_X_API_KEY=key)
        assert r.status_code == 200, r.content

    assert_flat(build, get)
