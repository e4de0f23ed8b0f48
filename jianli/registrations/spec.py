"""What each business type asks for in 申报信息 (domain.md §5): fields, repeatable rows and attachments.

Declared once, used by the wizard pages, the summary, the API, the back offices (labels) and 补正 (which items
exist). A field's `when` says whether it applies, given what has been entered so far.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from jianli.registrations.models import BusinessType

Data = dict[str, Any]

SPECIALTIES = [
    "房屋建筑工程", "冶炼工程", "矿山工程", "化工石油工程", "水利水电工程", "电力工程", "农林工程",
    "铁路工程", "公路工程", "港口与航道工程", "航天航空工程", "通信工程", "市政公用工程", "机电安装工程",
]
DEGREES = ["中专", "大专", "本科", "硕士研究生", "博士研究生"]
TITLES = ["助理工程师", "工程师", "高级工程师", "正高级工程师", "无"]
CHANGE_ITEMS = [("employer", "聘用单位"), ("specialty", "注册专业")]
CANCELLATION_REASONS = [
    "本人申请",
    "与聘用单位解除劳动关系",
    "聘用单位破产、被吊销营业执照或资质",
    "年龄超过65周岁",
    "死亡或丧失民事行为能力（由聘用单位或家属申请）",
    "法律、法规规定的其他情形",
]
REPLACEMENT_REASONS = ["遗失", "污损", "信息变更"]


def always(data: Data) -> bool:
    return True


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"  # text | date | select | multi | number | employer | textarea
    choices: list[str] | list[tuple[str, str]] = field(default_factory=list)
    required: bool = True
    hint: str = ""
    max_choices: int = 0
    when: Callable[[Data], bool] = always
    section: str = ""

    def options(self) -> list[tuple[str, str]]:
        return [c if isinstance(c, tuple) else (c, c) for c in self.choices]


@dataclass(frozen=True)
class Rows:
    """A repeatable group (work history, projects): a list of dicts."""

    name: str
    label: str
    columns: list[Field]
    min_rows: int = 1
    section: str = ""
    when: Callable[[Data], bool] = always


@dataclass(frozen=True)
class Slot:
    """An attachment the business type asks for."""

    name: str
    label: str
    required: bool = True
    when: Callable[[Data], bool] = always
    hint: str = ""


# What the decision is called for each business type (decision, SMS and progress texts read it from the spec).
DECISION_WORDS: dict[str, tuple[str, str]] = {
    BusinessType.INITIAL: ("准予注册", "不予注册"),
    BusinessType.RENEWAL: ("准予延续注册", "不予延续注册"),
    BusinessType.CHANGE: ("准予变更注册", "不予变更注册"),
    BusinessType.CANCELLATION: ("准予注销注册", "不予注销注册"),
    BusinessType.REPLACEMENT: ("准予补发证书", "不予补发证书"),
}


@dataclass(frozen=True)
class Spec:
    business_type: BusinessType
    items: list[Field | Rows]
    slots: list[Slot]

    @property
    def approved_words(self) -> str:
        return DECISION_WORDS[self.business_type][0]

    @property
    def rejected_words(self) -> str:
        return DECISION_WORDS[self.business_type][1]

    def fields(self) -> list[Field]:
        return [i for i in self.items if isinstance(i, Field)]

    def labels(self) -> dict[str, str]:
        out = {i.name: i.label for i in self.items}
        out.update({s.name: s.label for s in self.slots})
        return out


def qualification_is_old(data: Data) -> bool:
    """Qualification obtained more than 3 years ago: continuing education must be shown."""
    from jianli.registrations.rules import QUALIFICATION_FRESH_YEARS, add_years
    from jianli.text import parse_date

    obtained = parse_date(str(data.get("qualification_date") or ""))
    if obtained is None:
        return False
    return timezone.localdate() > add_years(obtained, QUALIFICATION_FRESH_YEARS)


def _changes(item: str) -> Callable[[Data], bool]:
    return lambda data: item in (data.get("change_items") or [])


CE_FIELDS = [
    Field("ce_compulsory_hours", "继续教育必修课学时", "number", hint="本注册周期内，应不少于48学时"),
    Field("ce_elective_hours", "继续教育选修课学时", "number", hint="本注册周期内，应不少于48学时"),
]

SPECS: dict[BusinessType, Spec] = {
    BusinessType.INITIAL: Spec(
        BusinessType.INITIAL,
        [
            Field("qualification_number", "资格证书编号", section="资格信息"),
            Field("qualification_date", "资格证书取得日期", "date", section="资格信息"),
            Field("exam_category", "考试专业类别", "select", ["土木建筑工程"], section="资格信息"),
            Field("specialties", "注册专业", "multi", SPECIALTIES, max_choices=2, hint="最多选择两个", section="注册专业"),
            Field("employer", "聘用单位", "employer", hint="输入统一社会信用代码或单位全称", section="聘用单位"),
            Field("school", "毕业院校", section="学历"),
            Field("major", "所学专业", section="学历"),
            Field("degree", "学历", "select", DEGREES, section="学历"),
            Field("graduation_date", "毕业时间", "date", section="学历"),
            Field("title", "职称", "select", TITLES, section="职称"),
            Field("title_certificate_number", "职称证书编号", required=False, section="职称",
                  when=lambda d: d.get("title") not in (None, "", "无")),
            Rows(
                "work_history",
                "工作经历",
                [Field("start", "开始年月", "date"), Field("end", "结束年月", "date", required=False),
                 Field("employer", "工作单位"), Field("position", "职务/岗位")],
                section="工作经历",
            ),
            Rows(
                "projects",
                "工程业绩",
                [Field("name", "工程名称"), Field("role", "担任职务"), Field("year", "完成年份", "number")],
                section="工程业绩",
            ),
            *[
                Field(f.name, f.label, f.kind, hint=f.hint, section="继续教育", when=qualification_is_old)
                for f in CE_FIELDS
            ],
        ],
        [
            Slot("id_card", "身份证（正反面，一个文件）"),
            Slot("qualification_certificate", "职业资格证书"),
            Slot("labour_contract", "与聘用单位签订的劳动合同"),
            Slot("title_certificate", "职称证书", required=False),
            Slot("ce_proof", "继续教育证明", when=qualification_is_old),
        ],
    ),
    BusinessType.RENEWAL: Spec(
        BusinessType.RENEWAL,
        [
            Field("employer", "聘用单位", "employer", hint="如有变化请先办理变更注册", section="聘用单位"),
            *[Field(f.name, f.label, f.kind, hint=f.hint, section="继续教育") for f in CE_FIELDS],
        ],
        [Slot("labour_contract", "与聘用单位签订的劳动合同"), Slot("ce_proof", "继续教育证明")],
    ),
    BusinessType.CHANGE: Spec(
        BusinessType.CHANGE,
        [
            Field("change_items", "变更事项", "multi", CHANGE_ITEMS, section="变更事项"),
            Field("employer", "新聘用单位", "employer", hint="输入统一社会信用代码或单位全称", section="变更事项",
                  when=_changes("employer")),
            Field("leave_date", "与原聘用单位解除劳动关系日期", "date", section="变更事项", when=_changes("employer")),
            Field("specialties", "变更后的注册专业", "multi", SPECIALTIES, max_choices=2, hint="最多选择两个",
                  section="变更事项", when=_changes("specialty")),
        ],
        [
            Slot("labour_contract", "与新聘用单位签订的劳动合同", when=_changes("employer")),
            Slot("termination_proof", "与原聘用单位解除劳动关系证明（或退休证明）", when=_changes("employer")),
        ],
    ),
    BusinessType.CANCELLATION: Spec(
        BusinessType.CANCELLATION,
        [
            Field("cancellation_reason", "注销原因", "select", CANCELLATION_REASONS, section="注销原因"),
            Field("reason_detail", "情况说明", "textarea", required=False, section="注销原因"),
        ],
        [Slot("reason_proof", "注销原因证明材料", required=False, hint="如有请上传")],
    ),
    BusinessType.REPLACEMENT: Spec(
        BusinessType.REPLACEMENT,
        [
            Field("replacement_reason", "更换原因", "select", REPLACEMENT_REASONS, section="更换原因"),
            Field("reason_detail", "情况说明", "textarea", required=False, section="更换原因"),
        ],
        [
            Slot("loss_statement", "遗失声明", when=lambda d: d.get("replacement_reason") == "遗失"),
            Slot("damaged_scan", "污损证书扫描件", when=lambda d: d.get("replacement_reason") == "污损"),
            Slot("change_proof", "信息变更证明材料", when=lambda d: d.get("replacement_reason") == "信息变更"),
        ],
    ),
}
