"""Business-type facts are declared once, on the spec, and every place that states them reads them there: the
catalogue page and API, 常见问题, the clock, the reviewer's reasons, 申报须知; and `Spec.clean` is the one input
cleaner of the pages, the API and 补正."""

from __future__ import annotations

import pytest
from django.test import Client

from jianli import help
from jianli.errors import ServiceError
from jianli.portal.tests.test_progress import make_person, signed_in
from jianli.registrations import clock, rejection
from jianli.registrations.catalogue import ENTRIES, REFUSAL_CONDITIONS
from jianli.registrations.models import BusinessType
from jianli.registrations.spec import CORRECTION_NOTICE_DAYS, MAX_ROWS, REFUSAL_GROUNDS, REJECT_REASONS, SPECS

pytestmark = pytest.mark.django_db


def _faq(question: str) -> str:
    return next(a for q, a in help.FAQ if q == question)


def test_the_faq_states_the_spec_days_for_every_business_type() -> None:
    answer = _faq("审核需要多长时间？")
    assert f"收到申请后{CORRECTION_NOTICE_DAYS}个工作日内一次性告知" in answer
    for kind, spec in SPECS.items():
        said = answer.index(kind.label)
        assert answer[said:].split("作出决定")[0].endswith(f"一般在{spec.decision_days}个工作日内"), kind
    page = Client().get("/faq/").content.decode()
    assert "注销注册和证书更换一般在10个工作日内作出决定" in page


def test_the_catalogue_page_and_api_read_days_and_materials_from_the_spec() -> None:
    client = signed_in(make_person())
    body = Client().get("/api/v1/catalogue").json()
    by_type = {t["business_type"]: t for t in body["entries"]}
    for kind, spec in SPECS.items():
        assert ENTRIES[kind].time_limit_days == spec.decision_days == clock.DECISION_DAYS[kind]
        assert ENTRIES[kind].materials == [s.material for s in spec.slots]
        assert by_type[kind.value]["time_limit_days"] == spec.decision_days
        assert by_type[kind.value]["materials"] == spec.materials()
        page = client.get(f"/services/jianli/{kind.value}/").content.decode()
        assert f"{spec.decision_days}个工作日" in page
        for material in spec.materials():
            assert material in page
    assert body["refusal_conditions"] == REFUSAL_CONDITIONS
    assert "继续教育证明（取得资格证书超过3年的）" in ENTRIES[BusinessType.INITIAL].materials


def test_refusal_grounds_are_one_list_for_the_notice_and_the_reviewer() -> None:
    assert [n[:3] for n in REFUSAL_CONDITIONS] == ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"]
    assert rejection.REJECT_REASON_LABELS == dict(REJECT_REASONS)
    assert {code for code, _ in REJECT_REASONS} == {g.code for g in REFUSAL_GROUNDS}
    assert len(REJECT_REASONS) == len({code for code, _ in REJECT_REASONS})


def test_clean_keeps_the_shape_and_names_what_is_wrong() -> None:
    spec = SPECS[BusinessType.INITIAL]
    data = spec.clean({
        "school": "  同济大学 ", "specialties": ["房屋建筑工程", "房屋建筑工程"],
        "projects": [{"name": " 某大厦 ", "role": "总监", "year": None}, {"name": "", "role": "", "year": ""}],
    })
    assert data == {
        "school": "同济大学", "specialties": ["房屋建筑工程"],
        "projects": [{"name": "某大厦", "role": "总监", "year": ""}],
    }
    with pytest.raises(ServiceError) as e:
        spec.clean({
            "salary": "1", "school": 5, "specialties": ["火星工程"], "projects": "某大厦",
            "work_history": [{"start": "2020-01-01", "boss": "某人"}],
        })
    assert e.value.status == 422
    assert e.value.fields == {
        "salary": "没有这一项", "school": "应为文本", "specialties": "不是可选的值",
        "projects": "工程业绩应为多条记录，每条一个对象", "work_history": "工作经历含有不支持的项目",
    }
    with pytest.raises(ServiceError) as e:
        spec.clean({"projects": [{"name": f"工程{i}"} for i in range(MAX_ROWS + 1)]})
    assert e.value.fields == {"projects": f"工程业绩最多填写{MAX_ROWS}条"}
