"""The service catalogue: the item 监理工程师执业资格认定 and what each business type needs (conditions;
materials and days are the spec's)."""

from __future__ import annotations

from dataclasses import dataclass

from jianli.registrations.models import BusinessType
from jianli.registrations.spec import REFUSAL_CONDITIONS, SPECS

__all__ = ["AUTHORITY", "ENTRIES", "ITEM_NAME", "LEGAL_BASIS", "REFUSAL_CONDITIONS", "Entry"]

ITEM_NAME = "监理工程师执业资格认定"
AUTHORITY = "住房和城乡建设部"
LEGAL_BASIS = [
    "《注册监理工程师管理规定》（建设部令第147号，住房和城乡建设部令第32号修正）",
    "《监理工程师职业资格制度规定》（建人规〔2020〕3号）",
]



@dataclass(frozen=True)
class Entry:
    business_type: BusinessType
    summary: str
    conditions: list[str]

    @property
    def materials(self) -> list[str]:
        return SPECS[self.business_type].materials()

    @property
    def time_limit_days(self) -> int:
        return SPECS[self.business_type].decision_days

    @property
    def title(self) -> str:
        return f"{ITEM_NAME}({self.business_type.label})"

    @property
    def list_title(self) -> str:
        return f"{ITEM_NAME}（{self.business_type.label}）"


ENTRIES = {
    e.business_type: e
    for e in [
        Entry(
            BusinessType.INITIAL,
            "取得监理工程师职业资格证书后，首次申请注册执业。",
            [
                "取得监理工程师职业资格证书（土木建筑工程专业）",
                "受聘于一个建设工程勘察、设计、施工、监理、招标代理、造价咨询等单位",
                "达到继续教育要求（取得资格证书超过3年的，须提供继续教育证明）",
                "没有本规定不予注册的情形",
            ],
        ),
        Entry(
            BusinessType.RENEWAL,
            "注册有效期为3年，有效期满需继续执业的，应在期满30日前申请延续注册。",
            ["注册有效期届满30日前提出申请", "在注册有效期内达到继续教育要求", "与聘用单位的劳动关系有效"],
        ),
        Entry(
            BusinessType.CHANGE,
            "在注册有效期内变更聘用单位或注册专业，变更后仍延续原注册有效期。",
            ["已与原聘用单位解除劳动关系（变更单位时）", "注册专业不超过两个"],
        ),
        Entry(
            BusinessType.CANCELLATION,
            "本人申请或出现注册失效情形时，申请注销注册；注销后注册证书作废。",
            ["持有有效注册", "具有法定注销情形"],
        ),
        Entry(
            BusinessType.REPLACEMENT,
            "注册证书遗失、污损或信息变更，申请更换证书；原证书同时作废。",
            ["持有有效注册"],
        ),
    ]
}
