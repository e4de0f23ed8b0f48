"""进度查询: the applicant's view of one application (four steps in the seed's legend), the lookup that answers
only about oneself, and 撤回业务."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from jianli import pii, ratelimit
from jianli.accounts.models import Applicant
from jianli.audit import events
from jianli.errors import ServiceError
from jianli.identifiers import normalise
from jianli.registrations import roles, workflow
from jianli.registrations.models import Application, BusinessType, State
from jianli.registrations.spec import SPECS

WITHDRAWABLE = (State.AWAITING_EMPLOYER, State.RETURNED, State.AWAITING_REVIEW)


class Node(models.TextChoices):
    """The seed's legend: ● 未进行 ● 正在进行 ● 未通过 ● 已完成."""

    PENDING = "pending", "未进行"
    ACTIVE = "active", "正在进行"
    FAILED = "failed", "未通过"
    DONE = "done", "已完成"


class EventLike(Protocol):
    action: str
    from_state: str
    to_state: str
    created_at: dt.datetime
    comment: str


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    node: Node
    day: dt.date | None = None
    note: str = ""


STEP_LABELS = (("submit", "提交申请"), ("report", "企业上报"), ("review", "部级审核"), ("done", "办结"))

NEXT_STEP = {
    State.AWAITING_EMPLOYER: "您的申请已提交，正等待聘用单位（经办企业）确认并上报。如长时间未上报，请联系单位经办人。",
    State.RETURNED: "聘用单位已将申请退回。请按退回原因修改信息（或选择正确的聘用单位）后重新提交；也可以撤回该申请。",
    State.AWAITING_REVIEW: "聘用单位已上报，正等待住房和城乡建设部审查。",
    State.IN_REVIEW: "住房和城乡建设部正在审查您的申请，请耐心等待。",
    State.IN_CORRECTION: "审查人员要求补正材料。请按下列事项一次性补正后提交，补正期间不计入办理时限。",
    State.APPROVED: "准予注册。注册结果将予以公告，电子证书可在“我的证照”中查看。",
    State.REJECTED: "不予注册。如对决定有异议，可依法申请行政复议或提起行政诉讼；条件具备后可重新申请。",
    State.WITHDRAWN: "该申请已撤回，记录保留，未删除任何内容。您可以随时重新申请。",
}


def next_step(application: Application) -> str:
    """What the applicant reads next; a decision is named as its business type's spec names it (准予注销注册…)."""
    text = NEXT_STEP.get(State(application.state), "")
    spec = SPECS[BusinessType(application.business_type)]
    if application.state == State.APPROVED:
        return text.replace("准予注册", spec.approved_words, 1)
    if application.state == State.REJECTED:
        return text.replace("不予注册", spec.rejected_words, 1)
    return text


def _day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment else None


def timeline(events_: Sequence[EventLike]) -> list[Step]:
    """The four steps of 图12, each in its legend state, read from the application's events (oldest first)."""
    state = State(events_[-1].to_state) if events_ else State.DRAFT
    submitted = next((e.created_at for e in events_ if e.action == workflow.Action.SUBMIT), None)
    reports = [e.created_at for e in events_ if e.action == workflow.Action.REPORT]
    reported = reports[-1] if reports else None
    last = events_[-1] if events_ else None
    nodes = {"submit": Node.PENDING, "report": Node.PENDING, "review": Node.PENDING, "done": Node.PENDING}
    days: dict[str, dt.date | None] = {"submit": _day(submitted), "report": _day(reported)}
    notes: dict[str, str] = {}
    if state != State.DRAFT:
        nodes["submit"] = Node.DONE
    if state == State.AWAITING_EMPLOYER:
        nodes["report"] = Node.ACTIVE
        notes["report"] = "待企业上报"
    elif state == State.RETURNED:
        nodes["report"] = Node.FAILED
        notes["report"] = "企业已退回"
        days["report"] = _day(last.created_at) if last else None
    elif state in (State.AWAITING_REVIEW, State.IN_REVIEW, State.IN_CORRECTION):
        nodes["report"] = Node.DONE
        nodes["review"] = Node.ACTIVE
        notes["review"] = State(state).label
    elif state in (State.APPROVED, State.REJECTED):
        nodes["report"] = Node.DONE
        nodes["review"] = Node.DONE if state == State.APPROVED else Node.FAILED
        notes["review"] = State(state).label
        nodes["done"] = Node.DONE
        days["done"] = days["review"] = _day(last.created_at) if last else None
        notes["done"] = State(state).label
    elif state == State.WITHDRAWN:
        # What was under way when the applicant withdrew stays 未进行; the case itself is concluded.
        was = State(last.from_state) if last else State.AWAITING_EMPLOYER
        if was == State.AWAITING_REVIEW:
            nodes["report"] = Node.DONE
        nodes["done"] = Node.DONE
        days["done"] = _day(last.created_at) if last else None
        notes["done"] = "已撤回"
    return [
        Step(key=key, label=label, node=nodes[key], day=days.get(key), note=notes.get(key, ""))
        for key, label in STEP_LABELS
    ]


@dataclass(frozen=True)
class Reason:
    title: str
    text: str
    items: list[str]


def reason_of(application: Application, events_: Sequence[EventLike]) -> Reason | None:
    """Why the application was returned, sent to 补正 or refused, from the last such event and the row."""
    titles = {
        State.RETURNED: ("return", "退回原因"),
        State.IN_CORRECTION: ("request_correction", "补正事项"),
        State.REJECTED: ("reject", "不予注册理由"),
    }
    if application.state not in titles:
        return None
    action, title = titles[State(application.state)]
    event = next((e for e in reversed(events_) if e.action == action), None)
    text = event.comment if event else ""
    items = [_problem_text(p) for p in (getattr(event, "problems", None) or [])]
    if application.state == State.IN_CORRECTION and application.correction_items:
        items = [_problem_text(p) for p in application.correction_items]
    if application.state == State.REJECTED:
        text = "；".join(t for t in (application.decision_reason, application.decision_comment or text) if t)
    return Reason(title=title, text=text, items=[i for i in items if i])


def _problem_text(problem: object) -> str:
    if isinstance(problem, dict):
        parts = [str(problem.get(k, "")) for k in ("label", "field", "slot", "message", "text") if problem.get(k)]
        return "：".join(dict.fromkeys(parts))
    return str(problem)


def may_withdraw(application: Application) -> bool:
    return application.state in WITHDRAWABLE and application.claimed_by_id is None


def progress_lookup(
    *, request: HttpRequest, name: str, id_number: str, business_type: str
) -> list[Application]:
    """The person's applications of that type (newest first), or [] — also for anyone but oneself.

    Answering about someone else would make this a way to look people up, so for a signed-in applicant the
    typed name and number are only compared with their own, in memory, and the same single query runs
    whether the other person exists or not.
    """
    ratelimit.enforce(
        "progress-addr",
        ratelimit.client_address(request),
        _rate(),
        "查询过于频繁，请稍后再试。",
    )
    errors: dict[str, str] = {}
    name = " ".join((name or "").split())
    id_number = normalise(id_number)
    if not name:
        errors["name"] = "请输入姓名"
    if not id_number:
        errors["id_number"] = "请输入证件号码"
    if business_type not in BusinessType.values:
        errors["business_type"] = "请选择业务类型"
    if errors:
        raise ServiceError("invalid", "请检查填写的信息", fields=errors, status=422)
    typed_hash = pii.lookup_hash(id_number)
    me: Applicant | None = getattr(request, "applicant", None)
    applicant_id = 0
    own = False
    if me is not None:
        own = me.id_hash == typed_hash and me.name == name
        applicant_id = me.pk if own else 0
    elif roles.is_review_staff(getattr(request, "user", None)):
        found = Applicant.objects.filter(id_hash=typed_hash, name=name).values_list("pk", flat=True).first()
        applicant_id = found or 0
    result = list(
        Application.objects.filter(applicant_id=applicant_id, business_type=business_type)
        .exclude(state=State.DRAFT)
        .order_by("-submitted_at", "-id")
    )
    events.progress_queried(request, own=own, business_type=business_type)
    return result


def _rate() -> tuple[int, int]:
    return settings.JIANLI_RATE_PROGRESS_PER_ADDRESS
