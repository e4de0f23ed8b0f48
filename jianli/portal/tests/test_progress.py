"""进度查询 and 撤回业务: the form, who gets an answer, the progress page in each state, withdrawal."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client

from jianli import testing
from jianli.accounts.models import Applicant
from jianli.audit.models import AuditEvent
from jianli.errors import Conflict, ServiceError
from jianli.registrations import services
from jianli.registrations.models import Application, State
from jianli.testing import cast

pytestmark = pytest.mark.django_db

NAME = "王建国"


def make_person(
    name: str = NAME, sequence: int = 12, mobile: str = "13912345678", born: dt.date = dt.date(1985, 3, 7)
) -> Applicant:
    return cast.applicant(sequence, name, born=born, mobile=mobile, nickname=name[:1] + "工")


def claim(app_id: int, user: User) -> Application:
    return services.application_claim(application_id=app_id, user=user)


def signed_in(applicant: Applicant) -> Client:
    client = Client()
    session = client.session
    session["applicant_id"] = applicant.pk
    session["profile_id"] = applicant.profile.pk
    session.save()
    return client


def query(client: Client, name: str, number: str, kind: str = "initial"):  # type: ignore[no-untyped-def]
    return client.post("/progress/", {"name": name, "id_number": number, "business_type": kind})


def test_form_is_prefilled_and_offers_exactly_the_five_types():
    me = make_person()
    page = signed_in(me).get("/progress/").content.decode()
    for label in ["姓名", "证件号码", "业务类型", "查询"]:
        assert label in page
    assert f'value="{NAME}"' in page and f'value="{testing.id_number()}"' in page
    options = [label for label in ["初始注册", "延续注册", "变更注册", "注销注册", "证书更换"] if f">{label}</option>" in page]
    assert len(options) == 5 and page.count("<option") == 5
    assert '<option value="initial" selected>初始注册</option>' in page


def test_anonymous_and_unverified_visitors_are_sent_to_sign_in():
    assert Client().get("/progress/").status_code == 302
    visitor = Client()
    visitor.post("/welcome/", {"nickname": "小李"})
    response = visitor.post("/progress/", {"name": NAME, "id_number": testing.id_number(), "business_type": "initial"})
    assert response.status_code == 302 and response["Location"].startswith("/check/")


def test_own_query_shows_the_progress_page():
    app = cast.application(State.AWAITING_EMPLOYER)
    client = signed_in(app.applicant)
    response = query(client, NAME, testing.id_number())
    assert response.status_code == 302 and response["Location"] == f"/progress/{app.pk}/"
    page = client.get(response["Location"]).content.decode()
    for text in ["监理工程师执业资格认定", "事项编码: 11100000000013338W1000117040000", "未进行", "正在进行", "未通过",
                 "已完成", "经办企业: 北京示范工程监理有限公司", "提交申请", "企业上报", "部级审核", "办结", "待企业上报",
                 app.number, "撤回业务"]:
        assert text in page, text
    assert dt.date.today().strftime("%Y/%m/%d") in page
    event = AuditEvent.objects.filter(action="progress_queried").get()
    assert event.detail == {"own": True, "business_type": "initial"}


def test_someone_elses_name_and_number_get_the_same_page_as_nobody():
    other = cast.application(State.AWAITING_EMPLOYER, make_person("李四", 34))
    me = make_person(NAME, 56, mobile="13812345678")
    client = signed_in(me)
    existing = query(client, "李四", testing.id_number(sequence=34))
    missing = query(client, "赵六", testing.id_number(sequence=78))
    assert existing.status_code == missing.status_code == 200
    a = existing.content.decode().replace(testing.id_number(sequence=34), "").replace("李四", "")
    b = missing.content.decode().replace(testing.id_number(sequence=78), "").replace("赵六", "")
    strip = lambda s: __import__("re").sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", s)  # noqa: E731
    assert strip(a) == strip(b)
    assert "未查询到办件信息" in a and other.number not in a
    assert client.get(f"/progress/{other.pk}/").status_code == 404
    assert list(AuditEvent.objects.filter(action="progress_queried").values_list("detail__own", flat=True)) == [
        False,
        False,
    ]


def test_right_number_with_a_wrong_name_is_not_an_answer():
    app = cast.application(State.AWAITING_EMPLOYER)
    response = query(signed_in(app.applicant), "王建", testing.id_number())
    assert "未查询到办件信息" in response.content.decode()


def test_other_and_nobody_do_the_same_queries():
    cast.application(State.AWAITING_EMPLOYER, make_person("李四", 34))
    me = make_person(NAME, 56, mobile="13812345678")
    client = signed_in(me)
    query(client, "热身", testing.id_number(sequence=90))
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(conn) as other:
        query(client, "李四", testing.id_number(sequence=34))
    with CaptureQueriesContext(conn) as nobody:
        query(client, "赵六", testing.id_number(sequence=78))
    import re

    def shape(captured) -> list[str]:  # type: ignore[no-untyped-def]
        return [re.sub(r"'[^']*'|\d+", "?", q["sql"]) for q in captured.captured_queries]

    assert shape(other) == shape(nobody)


def test_rate_limit_per_address(settings):
    settings.JIANLI_RATE_PROGRESS_PER_ADDRESS = (3, 3600)
    me = make_person()
    client = signed_in(me)
    for _ in range(3):
        assert query(client, "李四", testing.id_number(sequence=34)).status_code == 200
    response = query(client, NAME, testing.id_number())
    assert response.status_code == 429 and "查询过于频繁" in response.content.decode()


def test_reviewer_may_query_anyone_and_the_read_is_audited():
    app = cast.application(State.AWAITING_REVIEW)
    client = Client()
    client.force_login(cast.reviewer("审查员甲"))
    response = query(client, NAME, testing.id_number())
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "待审查" in page and "撤回业务" not in page
    assert AuditEvent.objects.filter(action="personal_data_viewed", application_id=app.pk).exists()


def test_staff_without_review_group_is_not_let_in():
    cast.application(State.AWAITING_REVIEW)
    client = Client()
    client.force_login(User.objects.create_user("someone", password="x-Secret-123"))
    assert client.post("/progress/", {"name": NAME, "id_number": testing.id_number()}).status_code == 302


def test_empty_fields_are_reported_at_the_field_and_keep_what_was_typed():
    client = signed_in(make_person())
    page = client.post("/progress/", {"name": "张", "id_number": "", "business_type": "renewal"}).content.decode()
    assert "请输入证件号码" in page and 'value="张"' in page and '<option value="renewal" selected>' in page


@pytest.mark.parametrize(
    "state, texts, absent",
    [
        (State.AWAITING_EMPLOYER, ["待企业上报", "撤回业务", "等待聘用单位"], ["预计"]),
        (State.RETURNED, ["企业已退回", "退回原因", "劳动合同不是本单位的", "修改后重新提交", "撤回业务"], []),
        (State.AWAITING_REVIEW, ["待审查", "撤回业务", "预计 {deadline} 前办结"], []),
        (State.IN_REVIEW, ["审查中", "预计 {deadline} 前办结"], ["撤回业务"]),
        (State.IN_CORRECTION, ["补正中", "补正事项", "劳动合同：缺少单位盖章页", "/apply/correction/"], ["撤回业务"]),
        (State.APPROVED, ["准予注册"], ["撤回业务", "预计"]),
        (State.REJECTED, ["不予注册", "不予注册理由", "年龄超过65周岁"], ["撤回业务", "预计"]),
        (State.WITHDRAWN, ["已撤回", "重新申请"], ["撤回业务</a>"]),
    ],
)
def test_progress_page_in_each_state(state, texts, absent):
    app = cast.application(state)
    page = signed_in(app.applicant).get(f"/progress/{app.pk}/").content.decode()
    deadline = f"{app.deadline:%Y}年{app.deadline.month}月{app.deadline.day}日" if app.deadline else ""
    for text in texts:
        text = text.format(deadline=deadline)
        assert text in page, text
    for text in absent:
        assert text not in page, text


def test_messages_sent_are_listed_masked():
    app = cast.application(State.AWAITING_REVIEW)
    from jianli.notifications.models import Message

    Message.objects.create(application=app, recipient_label=NAME, mobile="13912345678", text="您的申请已上报。")
    page = signed_in(app.applicant).get(f"/progress/{app.pk}/").content.decode()
    assert "139****5678" in page and "13912345678" not in page and "您的申请已上报。" in page


def test_earlier_applications_of_the_type_are_listed():
    first = cast.application(State.WITHDRAWN)
    second = cast.application(State.AWAITING_EMPLOYER, first.applicant)
    client = signed_in(first.applicant)
    response = query(client, NAME, testing.id_number())
    assert response["Location"] == f"/progress/{second.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "以往的初始注册申请" in page and first.number in page


def test_withdraw_confirms_then_keeps_the_application():
    app = cast.application(State.AWAITING_REVIEW)
    client = signed_in(app.applicant)
    page = client.get(f"/progress/{app.pk}/withdraw/").content.decode()
    assert "不会删除任何内容" in page and "立即重新提交新的申请" in page
    response = client.post(f"/progress/{app.pk}/withdraw/", {"expected_state": "awaiting_review"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == State.WITHDRAWN and Application.objects.filter(pk=app.pk).exists()
    page = client.get(f"/progress/{app.pk}/").content.decode()
    assert "已撤回" in page and "撤回业务</a>" not in page


def test_withdraw_after_the_state_moved_gives_the_conflict_message():
    app = cast.application(State.AWAITING_REVIEW)
    client = signed_in(app.applicant)
    claim(app.pk, cast.reviewer("审查员甲"))
    response = client.post(f"/progress/{app.pk}/withdraw/", {"expected_state": "awaiting_review"}, follow=True)
    assert "已被他人处理" in response.content.decode()
    app.refresh_from_db()
    assert app.state == State.IN_REVIEW


def test_nobody_else_can_withdraw():
    app = cast.application(State.AWAITING_EMPLOYER)
    stranger = make_person("李四", 34, "13812345678")
    response = signed_in(stranger).post(f"/progress/{app.pk}/withdraw/", {"expected_state": "awaiting_employer"})
    assert response.status_code == 404
    with pytest.raises(ServiceError):
        services.application_withdraw(application=app, applicant=stranger, expected_state=app.state, request=None)
    app.refresh_from_db()
    assert app.state == State.AWAITING_EMPLOYER


def test_withdraw_service_refuses_after_a_decision():
    app = cast.application(State.APPROVED)
    with pytest.raises(Conflict):
        services.application_withdraw(
            application=app, applicant=app.applicant, expected_state=State.APPROVED, request=None
        )


def race_once(app: Application, user: User) -> dict[str, str]:
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def run(key: str, action) -> None:  # type: ignore[no-untyped-def]
        barrier.wait()
        try:
            action()
            results[key] = "ok"
        except Conflict:
            results[key] = "conflict"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=("withdraw", lambda: services.application_withdraw(
            application=app, applicant=app.applicant, expected_state="awaiting_review", request=None))),
        threading.Thread(target=run, args=("claim", lambda: claim(app.pk, user))),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="needs row locks (PostgreSQL)")
def test_withdraw_and_claim_race_exactly_one_wins():
    user = cast.reviewer("审查员甲")
    for i in range(5):
        app = cast.application(State.AWAITING_REVIEW, make_person(sequence=100 + i * 2))
        results = race_once(app, user)
        assert sorted(results.values()) == ["conflict", "ok"], results
        app.refresh_from_db()
        assert app.state == (State.WITHDRAWN if results["withdraw"] == "ok" else State.IN_REVIEW)
        assert (app.claimed_by_id is None) == (results["withdraw"] == "ok")


def test_own_number_typed_with_spaces_is_still_ones_own():
    app = cast.application(State.AWAITING_EMPLOYER)
    number = testing.id_number()
    spaced = f" {number[:6]} {number[6:14]} {number[14:]} ".lower()
    assert query(signed_in(app.applicant), NAME, spaced).status_code == 302
