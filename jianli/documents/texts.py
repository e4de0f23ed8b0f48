"""What each document says (受理回执, 补正告知书, 准予/不予…决定书), per business type: the decision words come from the spec.

A document is a title, a number, the addressee, paragraphs, a table of facts and, for a decision, the legal ground
and (for a refusal) how to seek 行政复议 or 行政诉讼 and within what time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from jianli.documents.models import Kind
from jianli.registrations import calendar, clock
from jianli.registrations.catalogue import AUTHORITY, ITEM_NAME
from jianli.registrations.models import Application, BusinessType, Certificate
from jianli.registrations.rejection import REJECT_REASON_LABELS
from jianli.registrations.spec import CORRECTION_NOTICE_DAYS, SPECS

REGULATION = "《注册监理工程师管理规定》"
LICENSING_LAW = "《中华人民共和国行政许可法》"
PREFIX = {Kind.RECEIPT: "SL", Kind.CORRECTION: "BZ", Kind.APPROVAL: "ZY", Kind.REJECTION: "BY"}


@dataclass(frozen=True)
class DocumentText:
    kind: Kind
    title: str
    number: str
    addressee: str
    paragraphs: list[str]
    items: list[str] = field(default_factory=list)  # a numbered list (补正事项)
    after_items: list[str] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)
    issued_on: dt.date = field(default_factory=timezone.localdate)


def day(d: dt.date | dt.datetime | None) -> str:
    if d is None:
        return "—"
    if isinstance(d, dt.datetime):
        d = timezone.localdate(d)
    return f"{d.year}年{d.month}月{d.day}日"


def _type_label(a: Application) -> str:
    return BusinessType(a.business_type).label


def _base_facts(a: Application) -> list[tuple[str, str]]:
    return [
        ("事项名称", ITEM_NAME),
        ("事项编码", settings.JIANLI_ITEM_CODE),
        ("业务类型", _type_label(a)),
        ("办件编号", a.number or ""),
        ("申请人", a.applicant.name),
        ("聘用单位", a.employer.name if a.employer else "—"),
        ("提交时间", day(a.submitted_at)),
    ]


def document_number(kind: Kind, a: Application) -> str:
    return f"{PREFIX[kind]}{a.number}"


def receipt(a: Application) -> DocumentText:
    received = clock.received_on(a)
    limit = clock.DECISION_DAYS[a.business_type]
    deadline = calendar.add_working_days(received, limit) if received else None
    return DocumentText(
        Kind.RECEIPT, "受理回执", document_number(Kind.RECEIPT, a), f"{a.applicant.name}：",
        [
            f"你申请的{ITEM_NAME}（{_type_label(a)}）事项，经{a.employer.name if a.employer else '聘用单位'}确认上报，"
            f"本机关已于{day(received)}收到（办件编号{a.number}），现予受理。",
            f"申请材料不齐全或者不符合法定形式的，本机关将在收到申请之日起{CORRECTION_NOTICE_DAYS}个工作日内（{day(clock.correction_notice_due(a))}前）"
            "一次性告知需要补正的全部内容；逾期不告知的，自收到申请材料之日起即为受理。",
            f"本事项的办理时限为{limit}个工作日，本机关将于{day(deadline)}前作出决定；"
            "申请人补正材料所需时间不计算在办理时限内。办理进度可在“进度查询”中查看。",
        ],
        facts=[*_base_facts(a), ("收到日期", day(received)), ("办理时限", f"{limit}个工作日"),
               ("预计办结", day(deadline)), ("实施机关", AUTHORITY), ("收费标准", "不收费")],
    )


def correction(a: Application) -> DocumentText:
    from jianli.registrations.workflow import Action  # cycle: the workflow writes these documents

    event = a.events.filter(action=Action.REQUEST_CORRECTION).order_by("-created_at", "-id").first()
    problems = event.problems if event else list(a.correction_items)
    comment = event.comment if event else ""
    items = [f"{p.get('label') or p.get('name')}：{p.get('message', '')}" for p in problems]
    after = []
    if comment:
        after.append(f"其他说明：{comment}")
    after.append("请按上述事项一次性补正后，通过原办理渠道（“进度查询”中的“去补正”）重新提交。补正期间不计算在办理时限内；"
                 "补正材料提交后，本机关继续审查。补正后仍不符合要求的，本机关将依法作出不予办理的决定。")
    return DocumentText(
        Kind.CORRECTION, "补正告知书", document_number(Kind.CORRECTION, a), f"{a.applicant.name}：",
        [
            f"你于{day(a.submitted_at)}提交、本机关于{day(clock.received_on(a))}收到的{ITEM_NAME}（{_type_label(a)}）申请"
            f"（办件编号{a.number}），经审查，申请材料不齐全或者不符合法定形式。根据{LICENSING_LAW}第三十二条第一款"
            "第（四）项的规定，现一次性告知你需要补正的全部内容如下：",
        ],
        items=items,
        after_items=after,
        facts=[*_base_facts(a), ("告知日期", day(event.created_at if event else timezone.now()))],
        issued_on=timezone.localdate(event.created_at) if event else timezone.localdate(),
    )


def _issued_certificate(a: Application) -> Certificate | None:
    registration = a.registration
    if registration is None:
        return None
    own = registration.certificates.filter(number__endswith=f"{a.pk:010d}").first()
    return own or registration.certificates.order_by("-issued_on", "-id").first()


def approval(a: Application) -> DocumentText:
    words = SPECS[BusinessType(a.business_type)].approved_words
    registration = a.registration
    certificate = _issued_certificate(a)
    decided = a.decided_at or timezone.now()
    kind = a.business_type
    facts = _base_facts(a) + [("决定日期", day(decided))]
    if registration is not None:
        facts += [("注册号", registration.number)]
    body = {
        BusinessType.INITIAL: "你的初始注册申请符合注册条件，不存在不予注册的情形",
        BusinessType.RENEWAL: "你的延续注册申请符合延续注册的条件",
        BusinessType.CHANGE: "你的变更注册申请符合变更注册的条件",
        BusinessType.CANCELLATION: "你的注销注册申请符合注销注册的情形",
        BusinessType.REPLACEMENT: "你的证书更换（补发证书）申请符合补发注册证书的条件",
    }[BusinessType(kind)]
    paragraphs = [
        f"你于{day(a.submitted_at)}提交的{ITEM_NAME}（{_type_label(a)}）申请（办件编号{a.number}），经审查，{body}。"
        f"根据{LICENSING_LAW}第三十八条第一款和{REGULATION}的规定，本机关决定：{words}。",
    ]
    if registration is not None:
        if kind == BusinessType.CANCELLATION:
            paragraphs.append(
                f"你的注册（注册号{registration.number}）自本决定作出之日起注销，"
                f"注册证书{('（证书编号' + certificate.number + '）') if certificate else ''}同时作废，不得继续以注册监理工程师名义执业。"
            )
        else:
            specialties = "、".join(registration.specialties) or "—"
            facts += [("注册专业", specialties), ("聘用单位（注册）", registration.employer.name),
                      ("有效期", f"{day(registration.valid_from)}至{day(registration.valid_until)}")]
            if certificate is not None:
                facts.append(("证书编号", certificate.number))
            if kind == BusinessType.RENEWAL:
                paragraphs.append(f"延续注册后，注册有效期至{day(registration.valid_until)}。")
            elif kind == BusinessType.CHANGE:
                paragraphs.append("变更注册后，注册有效期不变。")
            elif kind == BusinessType.REPLACEMENT:
                paragraphs.append("原注册证书自本决定作出之日起作废，以新证书为准。")
            paragraphs.append("电子证书可在“我的证照”中查看和下载，扫描证书上的二维码可核验证书状态。")
    return DocumentText(Kind.APPROVAL, f"{words}决定书", document_number(Kind.APPROVAL, a), f"{a.applicant.name}：",
                        paragraphs, facts=facts, issued_on=timezone.localdate(decided))


def redress() -> str:
    return (f"如不服本决定，可以自收到本决定书之日起{settings.JIANLI_APPEAL_REVIEW_DAYS}日内向"
            f"{settings.JIANLI_APPEAL_REVIEW_BODY}申请行政复议，或者自收到本决定书之日起"
            f"{settings.JIANLI_APPEAL_LITIGATION_MONTHS}个月内依法向{settings.JIANLI_APPEAL_COURT}提起行政诉讼。")


def rejection(a: Application) -> DocumentText:
    words = SPECS[BusinessType(a.business_type)].rejected_words
    decided = a.decided_at or timezone.now()
    reason = REJECT_REASON_LABELS.get(a.decision_reason, "")
    why = "；".join(x for x in (reason, a.decision_comment.strip()) if x) or "不符合规定的条件"
    return DocumentText(
        Kind.REJECTION, f"{words}决定书", document_number(Kind.REJECTION, a), f"{a.applicant.name}：",
        [
            f"你于{day(a.submitted_at)}提交的{ITEM_NAME}（{_type_label(a)}）申请（办件编号{a.number}），经审查，"
            f"不符合规定，理由如下：{why.rstrip('。')}。",
            f"根据{LICENSING_LAW}第三十八条第二款和{REGULATION}的规定，本机关决定：{words}。",
            redress(),
        ],
        facts=[*_base_facts(a), ("决定日期", day(decided))],
        issued_on=timezone.localdate(decided),
    )


BUILDERS = {Kind.RECEIPT: receipt, Kind.CORRECTION: correction, Kind.APPROVAL: approval, Kind.REJECTION: rejection}


def text_of(kind: Kind, a: Application) -> DocumentText:
    return BUILDERS[kind](a)
