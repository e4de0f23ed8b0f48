"""~20,000 generated applications and the plans PostgreSQL chooses for the list pages' queries.

Used by tests/scale/test_plans.py (PostgreSQL only) and bench/explain.py (prints the plans with timings).
The queries are the ones the pages and the API really run: captured from requests, then EXPLAINed.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jianli import pii, testing
from jianli.accounts.models import Applicant, Profile
from jianli.audit.models import AuditEvent
from jianli.employers.models import Employer
from jianli.registrations.models import Application, BusinessType, State

STATES = [  # (state, weight): most applications are decided, a tenth wait for review
    (State.APPROVED, 55), (State.REJECTED, 5), (State.WITHDRAWN, 5), (State.AWAITING_REVIEW, 10),
    (State.IN_REVIEW, 5), (State.IN_CORRECTION, 3), (State.AWAITING_EMPLOYER, 10), (State.RETURNED, 4),
    (State.DRAFT, 3),
]
NOT_REPORTED = {State.DRAFT, State.AWAITING_EMPLOYER, State.RETURNED}


@dataclass
class World:
    big_employer: Employer
    applicant: Applicant


def generate(rows: int = 20_000, *, employers: int = 50, people: int = 4_000, seed: int = 7) -> World:
    """`rows` applications; one employer in five files a fifth of them (a big company)."""
    rnd = random.Random(seed)
    emps = Employer.objects.bulk_create(
        Employer(uscc=testing.uscc(9_000 + i), name=f"规模测试监理公司{i}") for i in range(employers)
    )
    applicants = []
    for i in range(people):
        number = testing.id_number(dt.date(1960 + i % 40, 1 + i % 12, 1 + i % 28), i % 1000)
        mobile = f"139{i:08d}"
        applicants.append(Applicant(name=f"申请人{i}", id_number=number, mobile=mobile,
                                    id_hash=pii.lookup_hash(f"{number}#{i}"), mobile_hash=pii.lookup_hash(mobile)))
    applicants = Applicant.objects.bulk_create(applicants, batch_size=1000)
    now = timezone.now()
    states, weights = zip(*STATES, strict=True)
    types = list(BusinessType)
    drafts: set[tuple[int, str]] = set()
    apps = []
    for i in range(rows):
        state = rnd.choices(states, weights)[0]
        person = applicants[rnd.randrange(people)]
        kind = rnd.choice(types)
        if state == State.DRAFT:
            if (person.pk, kind) in drafts:
                state = State.APPROVED
            else:
                drafts.add((person.pk, kind))
        submitted = None if state == State.DRAFT else now - dt.timedelta(minutes=rnd.randrange(3 * 365 * 24 * 60))
        reported = None if state in NOT_REPORTED else submitted
        apps.append(Application(
            number=None if state == State.DRAFT else f"JLX{i:012d}", applicant=person, business_type=kind,
            employer=emps[0] if rnd.random() < 0.2 else emps[rnd.randrange(employers)], state=state, data={},
            version=1, submitted_at=submitted, reported_at=reported,
            deadline=(reported.date() + dt.timedelta(days=28)) if reported else None,
        ))
    Application.objects.bulk_create(apps, batch_size=2000)
    AuditEvent.objects.bulk_create(
        (AuditEvent(created_at=now - dt.timedelta(minutes=rnd.randrange(3 * 365 * 24 * 60)), action="personal_data_viewed",
                    actor_kind="reviewer", applicant_id=a.applicant_id, application_id=a.pk, detail={"what": "application"})
         for a in apps),
        batch_size=2000,
    )
    with connection.cursor() as c:
        c.execute("ANALYZE audit_auditevent")
        c.execute("ANALYZE registrations_application")
        c.execute("ANALYZE accounts_applicant")
        c.execute("ANALYZE employers_employer")
    return World(emps[0], applicants[0])


@dataclass
class Plan:
    name: str
    sql: str
    plan: str
    ms: float
    is_count: bool = False

    @property
    def sorts_applications(self) -> bool:
        """A Sort node over application rows: the index did not give the order."""
        return "Sort Key: registrations_application." in self.plan or "Sort Key: submitted_at" in self.plan


def _list_queries(queries: list[dict[str, str]]) -> list[tuple[str, bool]]:
    """The page's queries over applications that list rows in an order, and its counts (flagged True)."""
    out = []
    for q in queries:
        sql = q["sql"]
        if 'FROM "registrations_application"' not in sql and 'FROM "audit_auditevent"' not in sql:
            continue
        if "COUNT(" in sql:
            out.append((sql, True))
        elif "ORDER BY" in sql:
            out.append((sql, False))
    return out


def explain(sql: str) -> tuple[str, float]:
    with connection.cursor() as c:
        c.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING ON) {sql}")
        lines = [row[0] for row in c.fetchall()]
    ms = float(re.search(r"Execution Time: ([\d.]+)", "\n".join(lines)).group(1))  # type: ignore[union-attr]
    return "\n".join(lines), ms


def deep_cursor(business_type: str, fraction: float = 0.8) -> str:
    """The queue's cursor `fraction` of the way through the open applications of one type."""
    qs = Application.objects.filter(
        state__in=[State.AWAITING_REVIEW, State.IN_REVIEW, State.IN_CORRECTION], business_type=business_type
    ).exclude(reported_at=None).order_by("submitted_at", "id")
    app = qs[int(qs.count() * fraction)]
    return f"{app.submitted_at.isoformat()}_{app.pk}"  # type: ignore[union-attr]


def capture(name: str, call) -> list[Plan]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        r = call()
        assert r.status_code in (200, 302), (name, r.status_code)
    plans = []
    for sql, is_count in _list_queries(ctx.captured_queries):
        plan, ms = explain(sql)
        plans.append(Plan(f"{name}{' (count)' if is_count else ''}", sql, plan, ms, is_count))
    assert any(not p.is_count for p in plans), f"{name}: no list query captured"
    return plans


def collect(world: World) -> list[Plan]:
    from jianli.api import credentials
    from jianli.testing import cast
    from jianli.testing.cast import office_client, review_client

    reviewer = cast.reviewer("plan-reviewer", "审查", "复核")
    staff = cast.staff(world.big_employer, "plan-staff")
    review, office = review_client(reviewer), office_client(staff)
    Profile.objects.create(nickname="规模", applicant=world.applicant)
    mine = Application.objects.filter(applicant=world.applicant).exclude(state=State.DRAFT).first()
    if mine is None:
        mine = Application.objects.create(applicant=world.applicant, business_type=BusinessType.INITIAL,
                                          state=State.APPROVED, submitted_at=timezone.now(), number="JLXMINE")
    person = Client()
    cast.sign_in(person, world.applicant)
    staff_key = credentials.api_key_create(name="plan", scopes=[f"employer:{world.big_employer.pk}"],
                                           user=staff.user)[0]
    review_key = credentials.api_key_create(name="plan", scopes=["ministry:review"], user=reviewer)[0]
    deep, shallow = deep_cursor(BusinessType.INITIAL), deep_cursor(BusinessType.INITIAL, 0.2)
    out: list[Plan] = []
    out += capture("review queue, first page", lambda: review.get("/review/"))
    out += capture("review queue, deep keyset page, type filter",
                   lambda: review.get("/review/", {"type": "initial", "after": deep}))
    out += capture("review queue, keyset page at 20%, type filter",
                   lambda: review.get("/review/", {"type": "initial", "after": shallow}))
    out += capture("review queue, state=awaiting_review", lambda: review.get("/review/", {"state": "awaiting_review"}))
    out += capture("review queue, submitted in one month",
                   lambda: review.get("/review/", {"from": "2025-03-01", "to": "2025-03-31"}))
    number = Application.objects.exclude(number=None).values_list("number", flat=True).first()
    out += capture("audit search, one month", lambda: review.post("/review/audit/", {"from": "2025-03-01",
                                                                                     "to": "2025-03-31"}))
    out += capture("audit search, by application number", lambda: review.post("/review/audit/", {"number": number or ""}))
    out += capture("office list, big employer", lambda: office.get("/office/"))
    out += capture("office list, big employer, state=approved", lambda: office.get("/office/", {"state": "approved"}))
    out += capture("progress page (earlier applications)", lambda: person.get(f"/progress/{mine.pk}/"))
    out += capture("api employer list, all", lambda: office.get("/api/v1/employer/applications?state=all",
                                                                HTTP_X_API_KEY=staff_key))
    out += capture("api review list", lambda: office.get("/api/v1/review/applications", HTTP_X_API_KEY=review_key))
    return out
