"""Rules about the person: age (五), the qualification in the roster (资格库), and continuing education (三)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Protocol

from django.conf import settings

from jianli import identifiers, pii
from jianli.accounts import fixed_reads
from jianli.accounts.models import Applicant
from jianli.registrations.models import BusinessType, Qualification
from jianli.registrations.read_once import answer
from jianli.registrations.rules.refusal import (
    MAX_AGE,
    QUALIFICATION_CATEGORY,
    QUALIFICATION_FRESH_YEARS,
    RULE_AGE,
    RULE_CONTINUING_EDUCATION,
    RULE_QUALIFICATION,
    Refusal,
    add_years,
    contact,
)


class HasIdNumber(Protocol):
    """Whatever carries an ID number (an applicant, or a test's stand-in): the age rule reads nothing else."""

    @property
    def id_number(self) -> str: ...


def check_age(*, applicant: HasIdNumber, today: dt.date) -> Refusal | None:
    """Refuse when the applicant is older than 65 full years on the application day.

    Interpretation: "年龄超过65周岁" is read as in Chinese legal practice, where a full year of age is reached
    the day after the birthday (最高人民法院：周岁自生日的第二日起算). So on the 65th birthday itself the
    applicant is not yet *over* 65 and may apply; from the next day on, the rule refuses.
    """
    if identifiers.age_on(applicant.id_number, today - dt.timedelta(days=1)) < MAX_AGE:
        return None
    return Refusal(
        code="too_old",
        rule=RULE_AGE,
        message="根据您的身份证号码，您的年龄已超过65周岁，不予注册。",
        next_step="如您目前持有有效注册，可申请注销注册；如对年龄有疑问，请咨询" + contact() + "。",
        apply_for=BusinessType.CANCELLATION.value,
    )


def continuing_education_hours() -> tuple[int, int]:
    """(compulsory, elective) hours per registration period: JIANLI_CONTINUING_EDUCATION_HOURS, split evenly
    (48 compulsory + 48 elective hours by default)."""
    total = int(settings.JIANLI_CONTINUING_EDUCATION_HOURS)
    return total - total // 2, total // 2


def check_continuing_education(*, data: Mapping[str, object], needed: bool) -> dict[str, str]:
    """Field errors when the continuing-education hours typed fall short of the requirement."""
    if not needed:
        return {}
    compulsory, elective = continuing_education_hours()
    errors = {}
    for name, label, minimum in (
        ("ce_compulsory_hours", "继续教育必修课学时", compulsory),
        ("ce_elective_hours", "继续教育选修课学时", elective),
    ):
        try:
            hours = int(str(data.get(name) or "").strip())
        except ValueError:
            hours = 0
        if hours < minimum:
            errors[name] = f"{label}应不少于{minimum}学时（{RULE_CONTINUING_EDUCATION}，不予注册）"
    return errors


def check_roster_match(*, applicant: Applicant, data: Mapping[str, object]) -> dict[str, str]:
    """Field errors when the typed 资格证书编号 or 取得日期 differ from the roster's record (资格库)."""
    q = find_qualification(applicant=applicant)
    if q is None:
        return {"qualification_number": qualification_refusal().message}
    errors = {}
    if str(data.get("qualification_number") or "").strip().upper() != q.certificate_number.upper():
        errors["qualification_number"] = "资格证书编号与监理工程师职业资格库中的记录不符，请按资格证书核对填写"
    if str(data.get("qualification_date") or "").strip() != q.obtained_on.isoformat():
        errors["qualification_date"] = "资格证书取得日期与监理工程师职业资格库中的记录不符，请按资格证书核对填写"
    return errors


ROSTER_ENTRIES = fixed_reads.Select(Qualification, where=("id_hash", "name"), order=("-obtained_on", "-id"))


def _matching_qualifications(applicant: Applicant) -> list[Qualification]:
    id_hash = getattr(applicant, "id_hash", "") or pii.lookup_hash(applicant.id_number)
    name = applicant.name.strip()
    return answer(("roster", id_hash, name), lambda: ROSTER_ENTRIES.rows(id_hash, name))


def find_qualification(*, applicant: Applicant) -> Qualification | None:
    """The applicant's 土木建筑工程 entry in the roster: same ID number (by its lookup hash) and same name."""
    found = _matching_qualifications(applicant)
    return next((q for q in found if q.category == QUALIFICATION_CATEGORY), None)


def check_qualification(*, applicant: Applicant) -> Refusal | None:
    found = _matching_qualifications(applicant)
    if any(q.category == QUALIFICATION_CATEGORY for q in found):
        return None
    if found:
        return Refusal(
            code="qualification_other_category",
            rule=RULE_QUALIFICATION,
            message=f"您的监理工程师职业资格专业类别为{found[0].category}，本系统受理{QUALIFICATION_CATEGORY}"
            "专业的注册申请。",
            next_step=f"{found[0].category}专业请向相应行业主管部门申请注册；如资格信息有误，请联系{contact()}。",
        )
    return qualification_refusal()


def qualification_refusal() -> Refusal:
    return Refusal(
        code="qualification_not_found",
        rule=RULE_QUALIFICATION,
        message="在监理工程师职业资格库中未查询到与您的姓名和身份证号码相符的资格证书。",
        next_step=f"请确认您取得的是{QUALIFICATION_CATEGORY}专业的监理工程师职业资格，且资格证书已在住房和城乡建设部"
        f"登记；姓名或身份证号码有变更的，请联系{contact()}核实。",
    )


def needs_continuing_education(*, qualification: Qualification, today: dt.date) -> bool:
    """Initial registration later than 3 years after the qualification needs proof of continuing education.

    On the day exactly 3 years after `obtained_on` the applicant is still within the 3 years (False).
    """
    return today > add_years(qualification.obtained_on, QUALIFICATION_FRESH_YEARS)
