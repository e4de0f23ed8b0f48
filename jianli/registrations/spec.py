"""What each business type is: what 申报信息 asks for (fields, repeatable rows, attachments), the
statutory days, the grounds of refusal and the decision's words; and `Spec.clean`, the one input cleaner.

Declared once, read by the wizard pages, the summary, the catalogue and 常见问题, the API, the back offices (labels,
reasons), the clock and 补正 (which items exist). A field's `when` says whether it applies, given what has been
entered so far.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from jianli.errors import ServiceError
from jianli.registrations.models import BusinessType
from jianli.registrations.rules import QUALIFICATION_FRESH_YEARS, add_years
from jianli.text import parse_date

Data = dict[str, Any]

MAX_ROWS = 30  # rows of one repeatable group
MAX_TEXT = 1000  # characters of one field
MAX_CELL = 200  # characters of one cell of a row

# 《注册监理工程师管理规定》: materials incomplete are told all at once within this many working days of receipt
# (else they count as complete); the decision is due `Spec.decision_days` working days after receipt. Time in 补正
# does not count.
CORRECTION_NOTICE_DAYS = 5

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
    from_roster: bool = False  # filled from the qualification roster (资格库), never typed

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
    """An attachment the business type asks for; `condition` says in words when `when` holds (办事指南)."""

    name: str
    label: str
    required: bool = True
    when: Callable[[Data], bool] = always
    hint: str = ""
    condition: str = ""

    @property
    def material(self) -> str:
        """The line of 所需材料 in the catalogue."""
        if self.condition:
            return f"{self.label}（{self.condition}）"
        return self.label if self.required else f"{self.label}（如有）"


@dataclass(frozen=True)
class RefusalGround:
    """A ground for 不予注册: `label` is the reviewer's reason (and the decision's words); `notice` the line of
    申报须知 when the regulation lists it (the applicant confirms none applies), in the regulation's order."""

    code: str
    label: str
    notice: str = ""


REFUSAL_GROUNDS = [
    RefusalGround("capacity", "不具有完全民事行为能力", "（一）不具有完全民事行为能力的；"),
    RefusalGround(
        "penalty", "受刑事处罚或被吊销注册证书，自处罚执行完毕或决定之日起至申请注册之日不满规定年限",
        "（二）刑事处罚尚未执行完毕或者因从事工程监理或者相关业务受到刑事处罚，自刑事处罚执行完毕之日起至申请注册之日止不满2年的；",
    ),
    RefusalGround("continuing_education", "未达到继续教育要求", "（三）未达到监理工程师继续教育要求的；"),
    RefusalGround("double", "已在其他单位注册（同时在两个及以上单位注册）", "（四）在两个或者两个以上单位申请注册的；"),
    RefusalGround("age", "年龄超过65周岁", "（五）年龄超过65周岁的；"),
    RefusalGround("qualification", "不具备监理工程师职业资格或资格证书信息核验不符"),
    RefusalGround("employment", "与聘用单位不存在劳动关系或聘用单位信息不实"),
    RefusalGround("false_materials", "申请材料弄虚作假"),
    RefusalGround("correction_failed", "逾期未补正或补正后仍不符合要求"),
    RefusalGround("other", "法律、法规规定不予注册的其他情形", "（六）法律、法规规定不予注册的其他情形。"),
]
REFUSAL_CONDITIONS = [g.notice for g in REFUSAL_GROUNDS if g.notice]  # 申报须知
REJECT_REASONS = [(g.code, g.label) for g in REFUSAL_GROUNDS]  # the reviewer's choices


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
    decision_days: int  # working days from receipt (企业上报) to the decision, 补正 not counted

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

    def materials(self) -> list[str]:
        """所需材料 of the catalogue (办事指南), from the attachments asked for."""
        return [s.material for s in self.slots]

    def clean(self, data: Mapping[str, Any]) -> Data:
        """The one input cleaner (pages, API, 补正): only the spec's names; text trimmed; a repeatable group a list
        of rows with its columns (empty rows dropped); a multiple choice a list of its options. Nothing is judged
        here but the shape (what is wrong raises, by field); the rules are `submission.validate`'s."""
        items = {i.name: i for i in self.items}
        out: Data = {}
        problems: dict[str, str] = {}
        for name, value in data.items():
            item = items.get(name)
            if item is None:
                problems[name] = "没有这一项"
            elif isinstance(item, Rows):
                rows, problem = _clean_rows(item, value)
                if problem:
                    problems[name] = problem
                else:
                    out[name] = rows
            elif item.kind == "multi":
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    problems[name] = "应为文本列表"
                elif set(value) - {v for v, _ in item.options()}:
                    problems[name] = "不是可选的值"
                else:
                    out[name] = list(dict.fromkeys(value))
            elif not isinstance(value, str):
                problems[name] = "应为文本"
            else:
                out[name] = value.strip()[:MAX_TEXT]
        if problems:
            raise ServiceError("invalid", "请检查填写的信息。", fields=problems, status=422)
        return out


def _clean_rows(group: Rows, value: Any) -> tuple[list[dict[str, str]], str]:
    columns = [c.name for c in group.columns]
    if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
        return [], f"{group.label}应为多条记录，每条一个对象"
    if any(set(r) - set(columns) for r in value):
        return [], f"{group.label}含有不支持的项目"
    if any(not isinstance(v, str | None) for r in value for v in r.values()):
        return [], f"{group.label}的每一项应为文本"
    rows = [{c: str(r.get(c) or "").strip()[:MAX_CELL] for c in columns} for r in value]
    rows = [r for r in rows if any(r.values())]
    if len(rows) > MAX_ROWS:
        return [], f"{group.label}最多填写{MAX_ROWS}条"
    return rows, ""


def qualification_is_old(data: Data) -> bool:
    """Qualification obtained more than 3 years ago: continuing education must be shown."""
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
            Field("qualification_number", "资格证书编号", section="资格信息", from_roster=True),
            Field("qualification_date", "资格证书取得日期", "date", section="资格信息", from_roster=True),
            Field("exam_category", "考试专业类别", "select", ["土木建筑工程"], section="资格信息", from_roster=True),
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
            Slot("ce_proof", "继续教育证明", when=qualification_is_old, condition="取得资格证书超过3年的"),
        ],
        decision_days=20,
    ),
    BusinessType.RENEWAL: Spec(
        BusinessType.RENEWAL,
        [
            Field("employer", "聘用单位", "employer", hint="如有变化请先办理变更注册", section="聘用单位"),
            *[Field(f.name, f.label, f.kind, hint=f.hint, section="继续教育") for f in CE_FIELDS],
        ],
        [Slot("labour_contract", "与聘用单位签订的劳动合同"), Slot("ce_proof", "继续教育证明")],
        decision_days=10,
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
            Slot("labour_contract", "与新聘用单位签订的劳动合同", when=_changes("employer"), condition="变更聘用单位时"),
            Slot("termination_proof", "与原聘用单位解除劳动关系证明（或退休证明）", when=_changes("employer"),
                 condition="变更聘用单位时"),
        ],
        decision_days=10,
    ),
    BusinessType.CANCELLATION: Spec(
        BusinessType.CANCELLATION,
        [
            Field("cancellation_reason", "注销原因", "select", CANCELLATION_REASONS, section="注销原因"),
            Field("reason_detail", "情况说明", "textarea", required=False, section="注销原因"),
        ],
        [Slot("reason_proof", "注销原因证明材料", required=False, hint="如有请上传")],
        decision_days=10,
    ),
    BusinessType.REPLACEMENT: Spec(
        BusinessType.REPLACEMENT,
        [
            Field("replacement_reason", "更换原因", "select", REPLACEMENT_REASONS, section="更换原因"),
            Field("reason_detail", "情况说明", "textarea", required=False, section="更换原因"),
        ],
        [
            Slot("loss_statement", "遗失声明", when=lambda d: d.get("replacement_reason") == "遗失",
                 condition="证书遗失时"),
            Slot("damaged_scan", "污损证书扫描件", when=lambda d: d.get("replacement_reason") == "污损",
                 condition="证书污损时"),
            Slot("change_proof", "信息变更证明材料", when=lambda d: d.get("replacement_reason") == "信息变更",
                 condition="信息变更时"),
        ],
        decision_days=10,
    ),
}
