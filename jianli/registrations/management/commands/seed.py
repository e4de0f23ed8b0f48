"""`jianli seed --applications N`: a national-scale data set for measuring (employers, applicants with encrypted
personal data, applications in realistic states with their events). COPY on PostgreSQL, bulk_create elsewhere."""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from jianli import pii
from jianli.accounts.models import Applicant
from jianli.demo import make_id_number, make_uscc
from jianli.employers.models import Employer
from jianli.registrations import counts
from jianli.registrations.models import ActorKind, Application, ApplicationEvent, BusinessType, State

# Share of each state at national scale: most applications are long decided.
STATES = [(State.APPROVED, 70), (State.REJECTED, 4), (State.WITHDRAWN, 3), (State.AWAITING_EMPLOYER, 5),
          (State.RETURNED, 1), (State.AWAITING_REVIEW, 9), (State.IN_REVIEW, 5), (State.IN_CORRECTION, 3)]
TYPES = [(BusinessType.INITIAL, 50), (BusinessType.CHANGE, 30), (BusinessType.RENEWAL, 15),
         (BusinessType.CANCELLATION, 4), (BusinessType.REPLACEMENT, 1)]
PATH = {  # the events that lead to each state
    State.AWAITING_EMPLOYER: [("submit", State.DRAFT, State.AWAITING_EMPLOYER, ActorKind.APPLICANT)],
    State.RETURNED: [("submit", State.DRAFT, State.AWAITING_EMPLOYER, ActorKind.APPLICANT),
                     ("return", State.AWAITING_EMPLOYER, State.RETURNED, ActorKind.EMPLOYER)],
    State.AWAITING_REVIEW: [("submit", State.DRAFT, State.AWAITING_EMPLOYER, ActorKind.APPLICANT),
                            ("report", State.AWAITING_EMPLOYER, State.AWAITING_REVIEW, ActorKind.EMPLOYER)],
}
PATH[State.WITHDRAWN] = PATH[State.AWAITING_REVIEW] + [
    ("withdraw", State.AWAITING_REVIEW, State.WITHDRAWN, ActorKind.APPLICANT)]
PATH[State.IN_REVIEW] = PATH[State.AWAITING_REVIEW] + [
    ("claim", State.AWAITING_REVIEW, State.IN_REVIEW, ActorKind.REVIEWER)]
PATH[State.IN_CORRECTION] = PATH[State.IN_REVIEW] + [
    ("request_correction", State.IN_REVIEW, State.IN_CORRECTION, ActorKind.REVIEWER)]
PATH[State.APPROVED] = PATH[State.IN_REVIEW] + [("approve", State.IN_REVIEW, State.APPROVED, ActorKind.REVIEWER)]
PATH[State.REJECTED] = PATH[State.IN_REVIEW] + [("reject", State.IN_REVIEW, State.REJECTED, ActorKind.REVIEWER)]
REPORTED = {State.AWAITING_REVIEW, State.IN_REVIEW, State.IN_CORRECTION, State.APPROVED, State.REJECTED,
            State.WITHDRAWN}
BATCH = 5000


def _pick(weighted: list[tuple[Any, int]], rnd: random.Random) -> Any:
    return rnd.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


class Command(BaseCommand):
    help = "生成大规模测试数据（企业、申请人、办件及其流转记录）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--applications", type=int, required=True)
        parser.add_argument("--applicants", type=int, default=0, help="默认为办件数的 30%")
        parser.add_argument("--employers", type=int, default=0, help="默认为办件数的 2%")
        parser.add_argument("--seed", type=int, default=19)

    def handle(self, *args: Any, **o: Any) -> None:
        n = o["applications"]
        started = time.monotonic()
        rnd = random.Random(o["seed"])
        employers = self._employers(o["employers"] or max(1, n // 50))
        applicants = self._applicants(o["applicants"] or max(1, n * 3 // 10))
        self._applications(n, employers, applicants, rnd)
        counts.rebuild()
        self.stdout.write(f"已生成 {n} 件办件，用时 {time.monotonic() - started:.1f} 秒")

    def _employers(self, n: int) -> list[int]:
        base = Employer.objects.count()
        rows = (Employer(uscc=make_uscc("110105", f"MB{base + i:07d}"), name=f"测试监理有限公司{base + i}")
                for i in range(n))
        for chunk in _chunks(tqdm(rows, total=n, desc="企业", disable=None), BATCH):
            Employer.objects.bulk_create(chunk)
        return list(Employer.objects.order_by("-pk").values_list("pk", flat=True)[:n])

    def _applicants(self, n: int) -> list[int]:
        base = Applicant.objects.count()
        born0 = dt.date(1960, 1, 1)

        def rows() -> Iterator[Applicant]:
            for i in range(base, base + n):
                id_number = make_id_number("110101", born0 + dt.timedelta(days=i // 900), i % 900 + 100)
                mobile = f"139{i:08d}"
                yield Applicant(name=f"测试{i}", id_number=id_number, id_hash=pii.lookup_hash(id_number),
                                mobile=mobile, mobile_hash=pii.lookup_hash(mobile))

        for chunk in _chunks(tqdm(rows(), total=n, desc="申请人", disable=None), BATCH):
            Applicant.objects.bulk_create(chunk)
        return list(Applicant.objects.order_by("-pk").values_list("pk", flat=True)[:n])

    def _applications(self, n: int, employers: list[int], applicants: list[int], rnd: random.Random) -> None:
        now = timezone.now()
        today = timezone.localdate()
        prefix = f"JLSD{int(time.time()) % 10**6:06d}"
        bar = tqdm(total=n, desc="办件", disable=None)
        for start in range(0, n, BATCH):
            apps, paths = [], []
            for i in range(start, min(n, start + BATCH)):
                state = _pick(STATES, rnd)
                submitted = now - dt.timedelta(minutes=rnd.randint(1, 60 * 24 * 365 * 3))
                reported = submitted + dt.timedelta(hours=rnd.randint(1, 72)) if state in REPORTED else None
                apps.append(Application(
                    number=f"{prefix}{i:010d}", applicant_id=rnd.choice(applicants), employer_id=rnd.choice(employers),
                    business_type=_pick(TYPES, rnd), state=state, data={"title": "工程师", "school": "同济大学"},
                    version=1, created_at=submitted, updated_at=submitted, submitted_at=submitted, reported_at=reported,
                    deadline=today + dt.timedelta(days=rnd.randint(-5, 20)) if state in REPORTED else None,
                    decided_at=submitted + dt.timedelta(days=10) if state in (State.APPROVED, State.REJECTED) else None,
                ))
                paths.append(PATH[state])
            with transaction.atomic():
                ids = self._insert_applications(apps)
                events = [
                    (pk, action, src, dst, kind, apps[k].submitted_at + dt.timedelta(hours=step))
                    for k, pk in enumerate(ids) for step, (action, src, dst, kind) in enumerate(paths[k])
                ]
                self._insert_events(events)
            bar.update(len(apps))
        bar.close()

    def _insert_applications(self, apps: list[Application]) -> list[int]:
        if connection.vendor != "postgresql":
            return [a.pk for a in Application.objects.bulk_create(apps)]
        cols = ["number", "applicant_id", "employer_id", "business_type", "state", "data", "step", "version",
                "created_at", "updated_at", "submitted_at", "reported_at", "deadline", "decided_at",
                "correction_items", "decision_reason", "decision_comment"]
        table = Application._meta.db_table
        with connection.cursor() as c:
            with c.cursor.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                for a in apps:
                    copy.write_row([a.number, a.applicant_id, a.employer_id, a.business_type, a.state,
                                    json.dumps(a.data, ensure_ascii=False), 1, a.version, a.created_at, a.updated_at,
                                    a.submitted_at, a.reported_at, a.deadline, a.decided_at, "[]", "", ""])
            c.execute(f"SELECT number, id FROM {table} WHERE number = ANY(%s)", [[a.number for a in apps]])
            by_number = dict(c.fetchall())
        return [by_number[a.number] for a in apps]

    def _insert_events(self, events: list[tuple[Any, ...]]) -> None:
        if connection.vendor != "postgresql":
            ApplicationEvent.objects.bulk_create(
                ApplicationEvent(application_id=pk, action=a, from_state=s, to_state=t, actor_kind=k, created_at=at)
                for pk, a, s, t, k, at in events
            )
            return
        cols = ["application_id", "action", "from_state", "to_state", "actor_kind", "actor_label", "comment",
                "problems", "created_at"]
        with connection.cursor() as c, c.cursor.copy(
            f"COPY {ApplicationEvent._meta.db_table} ({', '.join(cols)}) FROM STDIN"
        ) as copy:
            for pk, a, s, t, k, at in events:
                copy.write_row([pk, a, s, t, k, "", "", "[]", at])


def _chunks(rows: Any, size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
