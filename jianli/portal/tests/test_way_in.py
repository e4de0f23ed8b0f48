"""The first half of the seed: first use, catalogue, registered-user check, 用户注册, face, signed in."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from jianli import testing
from jianli.accounts.models import Applicant
from jianli.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor() -> Client:
    client = Client()
    client.post("/welcome/", {"nickname": "小李"})
    return client


def test_first_use_asks_for_avatar_and_nickname_before_anything_else():
    client = Client()
    response = client.get("/services/jianli/")
    assert response.status_code == 302 and response["Location"].startswith("/welcome/")
    page = client.get(response["Location"]).content.decode()
    assert "头像" in page and "昵称" in page
    response = client.post("/welcome/", {"nickname": ""})
    assert "请输入昵称" in response.content.decode()
    response = client.post(
        "/welcome/?next=/services/jianli/", {"nickname": "小李", "avatar": testing.cat_file()}
    )
    assert response.status_code == 302
    assert client.get("/profile/avatar/")["Content-Type"] == "image/jpeg"


def test_avatar_that_is_not_an_image_keeps_the_nickname():
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = Client().post(
        "/welcome/", {"nickname": "小李", "avatar": SimpleUploadedFile("a.jpg", b"MZ\x90\x00not an image")}
    )
    page = response.content.decode()
    assert "无法识别该图片" in page and 'value="小李"' in page


def test_catalogue_lists_the_item_and_each_business_type(visitor):
    page = visitor.get("/").content.decode()
    assert "监理工程师" in page
    page = visitor.get("/services/jianli/").content.decode()
    for label in ["初始注册", "延续注册", "变更注册", "注销注册", "证书更换"]:
        assert f"监理工程师执业资格认定（{label}）" in page
    page = visitor.get("/services/jianli/initial/").content.decode()
    assert "事项编码: 11100000000013338W1000117040000" in page
    assert "在线办理" in page and "不收费" in page and "注册监理工程师管理规定" in page


def test_unknown_person_is_offered_registration(visitor):
    response = visitor.post("/check/", {"name": "张三", "id_number": testing.id_number()})
    page = response.content.decode()
    assert "未查询到该用户，是否前往注册？" in page
    assert "取消" in page and 'href="/register/"' in page
    page = visitor.get("/register/").content.decode()
    assert 'value="张三"' in page and testing.id_number() in page


@pytest.mark.parametrize(
    "id_number, message",
    [
        ("1101011985", "身份证号码应为18位"),
        ("110101198502307771", "出生日期无效"),
        ("990101198503070121", "地址码无效"),
    ],
)
def test_each_bad_id_number_gets_its_own_message_and_the_name_is_kept(visitor, id_number, message):
    page = visitor.post("/check/", {"name": "张三", "id_number": id_number}).content.decode()
    assert message in page and 'value="张三"' in page and f'value="{id_number}"' in page


def test_eleventh_check_in_a_minute_is_refused_with_a_message(visitor):
    for _ in range(10):
        assert visitor.post("/check/", {"name": "张三", "id_number": testing.id_number()}).status_code == 200
    response = visitor.post("/check/", {"name": "张三", "id_number": testing.id_number()})
    assert response.status_code == 429
    assert "查询过于频繁" in response.content.decode()


def register(client: Client, *, id_number: str | None = None, photo: bytes | None = None) -> object:
    number = id_number or testing.id_number()
    client.post("/check/", {"name": "张三", "id_number": number})
    response = client.post("/register/", {"name": "张三", "id_number": number, "mobile": "13912345678", "action": "send_code"})
    match = re.search(r'id="demo-sms-code">(\d{6})<', response.content.decode())
    assert match is not None
    code = match.group(1)
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        "/register/",
        {
            "name": "张三",
            "id_number": number,
            "mobile": "13912345678",
            "sms_code": code,
            "id_photo": SimpleUploadedFile("me.jpg", photo or testing.astronaut(), "image/jpeg"),
            "action": "register",
        },
    )


def test_register_then_face_then_signed_in(visitor):
    response = register(visitor)
    assert response.status_code == 302 and response["Location"] == "/face/"
    page = visitor.get("/face/").content.decode()
    assert "住房和城乡建设部政务服务平台 申请使用" in page
    assert "人脸识别功能验证你的身份信息，请确保为本人操作" in page
    assert "下一步" in page and "意见反馈" in page and "《个人信息处理规则》" in page
    page = visitor.post("/face/", {"step": "consent", "consent": "on"}).content.decode()
    page = visitor.post("/face/", {"step": "finish", "scenario": "pass"}).content.decode()
    assert "已通过" in page
    assert visitor.session["applicant_id"] == Applicant.objects.get().pk
    assert AuditEvent.objects.filter(action="applicant_signed_in").count() == 1


def test_face_failure_says_why_and_does_not_sign_in(visitor):
    register(visitor)
    visitor.post("/face/", {"step": "consent", "consent": "on"})
    page = visitor.post("/face/", {"step": "finish", "scenario": "no_match"}).content.decode()
    assert "与证件照不是同一人" in page and "applicant_id" not in visitor.session


def test_registration_refuses_a_photo_without_a_face(visitor):
    page = register(visitor, photo=testing.cat()).content.decode()
    assert "证件照中未检测到人脸" in page
    assert Applicant.objects.count() == 0


def test_wrong_sms_code_is_reported_at_its_field(visitor):
    number = testing.id_number()
    visitor.post("/register/", {"name": "张三", "id_number": number, "mobile": "13912345678", "action": "send_code"})
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = visitor.post(
        "/register/",
        {"name": "张三", "id_number": number, "mobile": "13912345678", "sms_code": "000000",
         "id_photo": SimpleUploadedFile("me.jpg", testing.astronaut()), "action": "register"},
    ).content.decode()
    assert "验证码" in page and 'value="13912345678"' in page


def test_sixth_sms_in_an_hour_to_one_number_is_refused(visitor):
    for _ in range(5):
        visitor.post("/register/", {"mobile": "13912345678", "action": "send_code"})
    page = visitor.post("/register/", {"mobile": "13912345678", "action": "send_code"}).content.decode()
    assert "获取验证码次数已达上限" in page


def test_registered_person_goes_straight_to_face(visitor):
    register(visitor)
    cache.clear()
    other = Client()
    other.post("/welcome/", {"nickname": "x"})
    response = other.post("/check/", {"name": "张三", "id_number": testing.id_number()})
    assert response.status_code == 302 and response["Location"] == "/face/"


def test_database_holds_no_plaintext_id_number_or_mobile(visitor, django_db_blocker):
    register(visitor)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, id_hash, mobile FROM accounts_applicant")
        row = cursor.fetchone()
    assert testing.id_number() not in "".join(row)
    assert "13912345678" not in "".join(row)
    assert Applicant.objects.get().id_number == testing.id_number()


def test_profile_is_remembered_on_the_device_after_the_session_ends():
    client = Client()
    client.post("/welcome/", {"nickname": "小李"})
    client.cookies.pop("sessionid")
    response = client.get("/")
    assert response.status_code == 200 and "小李" in response.content.decode()
    assert "applicant_id" not in client.session  # remembered as a profile only: no one is signed in


def test_a_forged_device_cookie_is_ignored():
    client = Client()
    client.cookies["jianli_device"] = "1"
    assert client.get("/")["Location"].startswith("/welcome/")
