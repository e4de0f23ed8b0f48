"""The shape of a refusal and the wording every rule shares: the rules' names as the regulation words them, the
business type's label, whom to ask, and calendar years."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from jianli.registrations.models import BusinessType

RENEWAL_DAYS_BEFORE_EXPIRY = 30
VALIDITY_YEARS = 3
# Business types that change an existing registration: only one of them may be open at a time.
CHANGES_REGISTRATION = ("renewal", "change", "cancellation", "replacement")
MAX_AGE = 65
QUALIFICATION_FRESH_YEARS = 3
QUALIFICATION_CATEGORY = "土木建筑工程"

RULE_AGE = "（五）年龄超过65周岁的"
RULE_TWO_EMPLOYERS = "（四）在两个或者两个以上单位申请注册的"
RULE_ONE_OPEN = "同一业务在办结前不能重复申请"
RULE_INITIAL_ONCE = "已取得有效注册的，不能再申请初始注册"
RULE_NEEDS_REGISTRATION = "延续注册、变更注册、注销注册和证书更换须有有效注册"
RULE_RENEWAL_WINDOW = "延续注册应在注册有效期届满30日前提出申请"
RULE_EXPIRED = "注册有效期届满未延续注册的，注册失效，须重新申请初始注册"
RULE_QUALIFICATION = "初始注册须取得监理工程师职业资格证书"
RULE_RENEWAL_TOO_EARLY = "延续注册应在注册有效期届满前规定期限内提出申请"
RULE_RENEWAL_EMPLOYER = "延续注册的聘用单位应与注册的聘用单位一致，聘用单位变化的应先办理变更注册"
RULE_ONE_CHANGE = "同一注册在办结前只能办理一件延续、变更、注销或证书更换申请"
RULE_BASIS = "所依据的注册已注销或失效的，申请终止办理"
RULE_CONTINUING_EDUCATION = "（三）未达到监理工程师继续教育要求的"


@dataclass(frozen=True)
class Refusal:
    code: str
    rule: str
    message: str
    next_step: str
    apply_for: str = ""  # a business type
    open_application: int | None = None  # an application's id


def label(business_type: str) -> str:
    return BusinessType(business_type).label


def contact() -> str:
    name, phone, *_ = settings.JIANLI_CONTACTS[0]
    return f"{name}（{phone}）"


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
