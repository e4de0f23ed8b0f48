"""`jianli seed --applications N`: a national-scale data set for measuring: employers, applicants (personal data
really encrypted, lookup hashes), applications in realistic states and business types with their events, the SMS
each transition sent, their attachments' metadata (no files), and for the approved ones the engineer's
registration and certificate; the per-state counters (StateCount) recounted from the rows at the end.

Rows are made once as tuples and written by COPY on PostgreSQL (text format, built here: a row is a few
microseconds of Python), by executemany elsewhere. Ids of rows that others point to are reserved from the
table's sequence first, so no row is read back. 10⁶ applications: see bench/README.md for the time it takes."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from tqdm import tqdm

from jianli import pii
from jianli.accounts.models import Applicant
from jianli.employers.models import Employer
from jianli.identifiers import make_id_number, make_uscc
from jianli.notifications.models import Message
from jianli.notifications.services import TEXTS
from jianli.registrations import counts, rules
from jianli.registrations.models import (
    ActorKind,
    Application,
    ApplicationEvent,
    Attachment,
    BusinessType,
    Certificate,
    Registration,
    State,
)
from jianli.registrations.spec import SPECS

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
OPEN = {State.AWAITING_EMPLOYER, State.RETURNED, State.AWAITING_REVIEW, State.IN_REVIEW, State.IN_CORRECTION}
REPORTED = {State.AWAITING_REVIEW, State.IN_REVIEW, State.IN_CORRECTION, State.APPROVED, State.REJECTED,
            State.WITHDRAWN}
CLAIMED = {State.IN_REVIEW, State.IN_CORRECTION}
DECIDED = {State.APPROVED, State.REJECTED}
SLOTS = {  # what each business type's applicant uploads (jianli.registrations.spec), as metadata only
    BusinessType.INITIAL: ["id_card", "qualification_certificate", "labour_contract"],
    BusinessType.RENEWAL: ["labour_contract", "ce_proof"],
    BusinessType.CHANGE: ["labour_contract", "termination_proof"],
    BusinessType.CANCELLATION: [],
    BusinessType.REPLACEMENT: ["loss_statement"],
}
DIVISIONS = ["110105", "310104", "440304", "510107", "320102", "330106", "420106", "610113"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["建国", "明", "静", "志强", "丽", "杰", "伟", "芳", "军", "磊", "洋", "艳", "勇", "娟", "涛", "敏"]
SCHOOLS = ["同济大学", "清华大学", "重庆大学", "东南大学", "湖南大学", "长安大学", "河海大学", "天津大学"]
SPECIALTIES = ["房屋建筑工程", "市政公用工程", "公路工程", "水利水电工程", "电力工程", "机电安装工程"]
CORRECTION = json.dumps([{"item": "labour_contract", "problem": "劳动合同缺少签字页"}], ensure_ascii=False)
BATCH = 10_000


def _cumulative(weighted: list[tuple[Any, int]]) -> tuple[list[Any], list[int]]:
    values, weights, total = [], [], 0
    for v, w in weighted:
        total += w
        values.append(v)
        weights.append(total)
    return values, weights


class Writer:
    """Rows into one table: COPY on PostgreSQL, executemany elsewhere. Datetimes are given as naive UTC (Django's
    connections work in UTC with USE_TZ; SQLite stores them as text)."""

    def __init__(self, model: Any, columns: list[str]) -> None:
        self.table = model._meta.db_table
        self.columns = columns
        self.pg = connection.vendor == "postgresql"

    def reserve(self, n: int) -> int:
        """The first of `n` consecutive ids no other row will take."""
        with connection.cursor() as c:
            if self.pg:
                c.execute("SELECT pg_get_serial_sequence(%s, 'id')", [self.table])
                seq = c.fetchone()[0]
                c.execute("SELECT setval(%s, nextval(%s) + %s - 1)", [seq, seq, max(n, 1)])
                return int(c.fetchone()[0]) - max(n, 1) + 1
            c.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {self.table}")
            return int(c.fetchone()[0])

    def write(self, rows: Iterable[tuple[Any, ...]]) -> None:
        cols = ", ".join(self.columns)
        with connection.cursor() as c:
            if not self.pg:
                marks = ", ".join(["%s"] * len(self.columns))
                c.executemany(f"INSERT INTO {self.table} ({cols}) VALUES ({marks})",
                              [tuple(str(v) if isinstance(v, dt.date) else v for v in r) for r in rows])
                return
            with c.cursor.copy(f"COPY {self.table} ({cols}) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row(r)  # formatted in C by psycopg; datetimes are naive UTC, the session's zone


class Command(BaseCommand):
    help = "生成大规模测试数据（企业、申请人、办件及其流转记录、短信、附件信息、注册和证书）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--applications", type=int, required=True)
        parser.add_argument("--applicants", type=int, default=0, help="默认为办件数的 30%")
        parser.add_argument("--employers", type=int, default=0, help="默认为办件数的 2%")
        parser.add_argument("--seed", type=int, default=19)

    def handle(self, *args: Any, **o: Any) -> None:
        n = o["applications"]
        started = time.monotonic()
        self.rnd = random.Random(o["seed"])
        self.now = timezone.now().replace(tzinfo=None)
        self.today = timezone.localdate()
        self.kid = pii.ring().primary
        self.reviewers = self._reviewers()
        self._employers(o["employers"] or max(1, n // 50))
        self._applicants(o["applicants"] or max(1, n * 3 // 10))
        loaded = [Application, ApplicationEvent, Message, Attachment, Registration, Certificate]
        with transaction.atomic(), _indexes_later(loaded):
            self._applications(n)
        total = counts.rebuild()
        if connection.vendor == "postgresql":
            with connection.cursor() as c:
                for model in (Employer, Applicant, Application, ApplicationEvent, Message, Attachment, Registration,
                              Certificate):
                    c.execute(f"ANALYZE {model._meta.db_table}")
        self.stdout.write(f"已生成 {n} 件办件（计数 {total}），用时 {time.monotonic() - started:.1f} 秒")

    def _reviewers(self) -> list[int]:
        group = Group.objects.get_or_create(name="审查")[0]
        ids = []
        for i in range(20):
            user, created = User.objects.get_or_create(username=f"seed-reviewer-{i:02d}", defaults={
                "is_staff": True, "first_name": f"审查员{i:02d}"})
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
                user.groups.add(group)
            ids.append(user.pk)
        return ids

    def _employers(self, n: int) -> None:
        w = Writer(Employer, ["id", "uscc", "name", "address", "contact_mobile", "is_active", "created_at"])
        first = w.reserve(n)
        self.employers: list[tuple[int, str, str]] = []
        rows = []
        for pk in range(first, first + n):
            uscc = make_uscc(DIVISIONS[pk % len(DIVISIONS)], f"MB{pk:07d}")
            name = f"{SURNAMES[pk % 20]}{GIVEN[pk % 16]}工程监理有限公司{pk}"
            self.employers.append((pk, uscc, name))
            rows.append((pk, uscc, name, f"建设路{pk % 999 + 1}号",
                         pii.encrypt_text(f"137{pk:08d}"[-11:], "employer.contact_mobile"), True, self.now))
        for chunk in _chunks(rows, BATCH):
            with transaction.atomic():
                w.write(chunk)

    def _applicants(self, n: int) -> None:
        w = Writer(Applicant, ["id", "name", "id_number", "id_hash", "mobile", "mobile_hash", "id_photo_path",
                               "id_photo_embedding", "verified_in_person_note", "created_at", "updated_at"])
        first = w.reserve(n)
        born0 = dt.date(1962, 1, 1)
        self.applicants = list(range(first, first + n))
        self.births: dict[int, dt.date] = {}
        self.message_mobiles: dict[int, str] = {}
        bar = tqdm(total=n, desc="申请人", disable=None)
        for chunk in _chunks(self.applicants, BATCH):
            rows = []
            for pk in chunk:
                born = born0 + dt.timedelta(days=pk // 900 % 12000)
                id_number = make_id_number(DIVISIONS[pk % 8], born, pk % 900 + 100)
                mobile = f"139{pk:08d}"[-11:]
                self.births[pk] = born
                # The messages' copy of the number is encrypted for its own purpose, once per person.
                self.message_mobiles[pk] = pii.encrypt_text(mobile, "message.mobile")
                rows.append((pk, SURNAMES[pk % 20] + GIVEN[pk // 20 % 16], pii.encrypt_text(id_number, "applicant.id_number"),
                             pii.lookup_hash(id_number), pii.encrypt_text(mobile, "applicant.mobile"),
                             pii.lookup_hash(mobile), "", "", "", self.now, self.now))
            with transaction.atomic():
                w.write(rows)
            bar.update(len(rows))
        bar.close()

    def _applications(self, n: int) -> None:
        rnd = self.rnd
        apps = Writer(Application, [
            "id", "number", "applicant_id", "employer_id", "business_type", "state", "data", "step", "version",
            "registration_id", "created_at", "updated_at", "submitted_at", "reported_at", "deadline", "paused_at",
            "claimed_by_id", "correction_items", "decided_at", "decision_reason", "decision_comment"])
        events = Writer(ApplicationEvent, ["application_id", "action", "from_state", "to_state", "actor_kind",
                                           "actor_user_id", "actor_label", "comment", "problems", "created_at"])
        messages = Writer(Message, ["application_id", "recipient_label", "mobile", "text", "status", "attempts",
                                    "next_attempt_at", "provider_id", "error", "created_at", "sent_at",
                                    "delivered_at", "request_id"])
        attachments = Writer(Attachment, ["application_id", "slot", "original_name", "content_type", "size",
                                          "sha256", "path", "is_current", "uploaded_at"])
        registrations = Writer(Registration, [
            "id", "number", "applicant_id", "employer_id", "specialties", "qualification_number", "valid_from",
            "valid_until", "status", "lapsed_on", "over_age_from", "created_at", "updated_at"])
        certificates = Writer(Certificate, ["number", "registration_id", "issued_on", "status"])
        first = apps.reserve(n)
        next_registration = registrations.reserve(len(self.applicants))
        registered: dict[int, int] = {}  # applicant → registration id
        names = {pk: SURNAMES[pk % 20] + GIVEN[pk // 20 % 16] for pk in self.applicants}
        # At most one open application per person (the service refuses a second): open ones go to people in turn.
        free = self.applicants[:]
        rnd.shuffle(free)
        states, state_w = _cumulative(STATES)
        types, type_w = _cumulative(TYPES)
        digests = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(64)]
        minutes = 60 * 24 * 365 * 3
        prefix = f"JLSD{int(time.time()) % 10**6:06d}"
        type_label = {t: t.label for t in BusinessType}
        approved_words = {t: SPECS[t].approved_words for t in BusinessType}
        rejected_words = {t: SPECS[t].rejected_words for t in BusinessType}
        bar = tqdm(total=n, desc="办件", disable=None)
        for start in range(first, first + n, BATCH):
            a_rows, e_rows, m_rows, f_rows, r_rows, c_rows = [], [], [], [], [], []
            for pk in range(start, min(first + n, start + BATCH)):
                state = rnd.choices(states, cum_weights=state_w)[0]
                kind = rnd.choices(types, cum_weights=type_w)[0]
                person = free.pop() if state in OPEN and free else rnd.choice(self.applicants)
                registration = registered.get(person)
                if registration is None and kind != BusinessType.INITIAL:
                    kind = BusinessType.INITIAL  # only a registered engineer renews, changes, cancels
                elif registration is not None and kind == BusinessType.INITIAL:
                    kind = BusinessType.CHANGE
                employer_id, uscc, employer_name = rnd.choice(self.employers)
                submitted = self.now - dt.timedelta(minutes=rnd.randint(60 * 24 * 30, minutes)
                                                    if state not in OPEN else rnd.randint(60, 60 * 24 * 40))
                reported = submitted + dt.timedelta(hours=24) if state in REPORTED else None
                decided = submitted + dt.timedelta(days=rnd.randint(5, 25)) if state in DECIDED else None
                reviewer = rnd.choice(self.reviewers) if state in CLAIMED or state in DECIDED else None
                number = f"{prefix}{pk:010d}"
                qualification = f"JL{submitted:%Y}{pk:010d}"
                specialty = SPECIALTIES[pk % 6]
                data = (f'{{"qualification_number": "{qualification}", "qualification_date": "{submitted:%Y}-03-20", '
                        f'"exam_category": "土木建筑工程", "specialties": ["{specialty}"], "employer": "{uscc}", '
                        f'"school": "{SCHOOLS[pk % 8]}", "major": "土木工程", "degree": "本科", '
                        f'"graduation_date": "2008-07-01", "title": "工程师", "work_history": [{{"start": '
                        f'"2008-07-01", "end": "", "employer": "{employer_name}", "position": "专业监理工程师"}}], '
                        f'"projects": [{{"name": "城市轨道交通站点工程", "role": "专业监理工程师", "year": "2021"}}]}}')
                if state == State.APPROVED and kind == BusinessType.INITIAL:
                    registration = registered[person] = next_registration
                    next_registration += 1
                    day = decided.date()  # type: ignore[union-attr]
                    until = rules.add_years(day, rules.VALIDITY_YEARS) - dt.timedelta(days=1)
                    lapsed = until < self.today
                    r_rows.append((registration, f"{uscc[2:4]}{day:%Y}{pk:08d}", person, employer_id,
                                   f'["{specialty}"]', qualification, day, until, "lapsed" if lapsed else "valid",
                                   until + dt.timedelta(days=1) if lapsed else None,
                                   rules.add_years(self.births[person], 65), self.now, self.now))
                    c_rows.append((f"JLZ{day:%Y}{pk:010d}", registration, day, "valid"))
                a_rows.append((
                    pk, number, person, employer_id, kind, state, data, 4, 1, registration, submitted, decided or
                    submitted, submitted, reported,
                    self.today + dt.timedelta(days=rnd.randint(-5, 20)) if state in REPORTED else None,
                    submitted + dt.timedelta(days=3) if state == State.IN_CORRECTION else None,
                    reviewer if state in CLAIMED else None,
                    CORRECTION if state == State.IN_CORRECTION else "[]", decided,
                    "不符合注册条件" if state == State.REJECTED else "",
                    "资格证书信息与资格库不一致" if state == State.REJECTED else "",
                ))
                for step, (action, src, dst, actor) in enumerate(PATH[state]):
                    at = submitted + dt.timedelta(hours=step * 24) if dst not in DECIDED else decided
                    label = names[person] if actor == ActorKind.APPLICANT else (
                        employer_name if actor == ActorKind.EMPLOYER else "")
                    e_rows.append((pk, action, src, dst, actor, reviewer if actor == ActorKind.REVIEWER else None,
                                   label, "", "[]", at))
                    template = TEXTS.get(action)
                    if template:
                        text = template.format(type=type_label[kind], number=number, employer=employer_name,
                                               approved=approved_words[kind], rejected=rejected_words[kind])
                        m_rows.append((pk, names[person], self.message_mobiles[person], text, "delivered", 1, at,
                                       f"seed-{pk}-{step}", "", at, at, at, ""))
                for i, slot in enumerate(SLOTS[kind]):
                    f_rows.append((pk, slot, f"{slot}.pdf", "application/pdf", 80_000 + (pk * 7919 + i) % 900_000,
                                   digests[(pk + i) % 64], f"attachments/{pk:012x}{i}{rnd.getrandbits(48):012x}."
                                   f"{self.kid}.bin", True, submitted))
            with transaction.atomic():
                registrations.write(r_rows)
                certificates.write(c_rows)
                apps.write(a_rows)
                events.write(e_rows)
                messages.write(m_rows)
                attachments.write(f_rows)
            bar.update(len(a_rows))
        bar.close()


@contextmanager
def _indexes_later(models: list[Any]) -> Iterator[None]:
    """On PostgreSQL, inside the caller's transaction: the tables' secondary indexes dropped and built again
    after the load (one sorted build is several times faster than millions of insertions into each), and the
    foreign-key triggers off (every row is made here against rows made here; checked once at the end)."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as c:
        c.execute("SET LOCAL synchronous_commit = off")
        try:
            with transaction.atomic():
                c.execute("SET LOCAL session_replication_role = replica")
            replica = True
        except DatabaseError:
            replica = False  # only a superuser may: the triggers then check each row, which is slower but the same
        c.execute("""SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s)
                     AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)""", [tables])
        indexes = c.fetchall()
        for name, _ in indexes:
            c.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as c:
        c.execute("SET CONSTRAINTS ALL IMMEDIATE")  # checks queued when the triggers stayed on, before DDL
        c.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _, definition in tqdm(indexes, desc="索引", disable=None):
            c.execute(definition)
        if replica:
            c.execute("SET LOCAL session_replication_role = DEFAULT")
        for model in models:
            for field in model._meta.concrete_fields:
                if field.remote_field is None:
                    continue
                target = field.remote_field.model._meta.db_table
                c.execute(f"SELECT count(*) FROM {model._meta.db_table} t WHERE t.{field.column} IS NOT NULL "
                          f"AND NOT EXISTS (SELECT 1 FROM {target} r WHERE r.id = t.{field.column})")
                if c.fetchone()[0]:
                    raise RuntimeError(f"{model._meta.db_table}.{field.column} points at missing rows")


def _chunks(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
