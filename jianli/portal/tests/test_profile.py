"""信息修改: nickname and avatar, mobile with an SMS code, 证件照 against a fresh capture; name and ID stay."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jianli import testing
from jianli.accounts.models import Applicant, Profile
from jianli.audit.models import AuditEvent
from jianli.portal.tests.test_progress import NAME, make_person, signed_in

pytestmark = pytest.mark.django_db


def upload(data: bytes, name: str = "x.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "image/jpeg")


def test_page_shows_masked_identity_and_how_to_change_name_or_number():
    me = make_person()
    page = signed_in(me).get("/profile/").content.decode()
    assert "信息修改" in page and NAME in page and me.masked_id_number in page
    assert testing.id_number() not in page and "13912345678" not in page and "139****5678" in page
    assert "姓名和身份证号码不能在线修改" in page and "服务窗口" in page
    assert 'name="name"' not in page and 'name="id_number"' not in page


def test_nickname_and_avatar_change():
    me = make_person()
    client = signed_in(me)
    response = client.post("/profile/", {"action": "nickname", "nickname": "老王", "avatar": testing.cat_file()})
    assert response.status_code == 302
    profile = Profile.objects.get(applicant=me)
    assert profile.nickname == "老王" and profile.avatar
    assert AuditEvent.objects.filter(action="profile_changed", applicant_id=me.pk).exists()


def test_empty_nickname_is_refused_at_its_field():
    client = signed_in(make_person())
    page = client.post("/profile/", {"action": "nickname", "nickname": " "}).content.decode()
    assert "请输入昵称" in page


def test_mobile_change_needs_the_code_sent_to_the_new_number(settings):
    settings.DEMO = True
    me = make_person()
    client = signed_in(me)
    page = client.post("/profile/", {"action": "send_code", "mobile": "13700001111"}).content.decode()
    code = re.search(r'id="demo-sms-code">(\d{6})<', page).group(1)
    assert 'value="13700001111"' in page
    wrong = client.post("/profile/", {"action": "mobile", "mobile": "13700001111", "sms_code": "000000"})
    assert wrong.status_code == 422 and "验证码不正确" in wrong.content.decode()
    assert client.post("/profile/", {"action": "mobile", "mobile": "13700001111", "sms_code": code}).status_code == 302
    me.refresh_from_db()
    assert me.mobile == "13700001111"
    event = AuditEvent.objects.get(action="profile_changed", applicant_id=me.pk)
    assert event.detail == {"fields": ["mobile"]}
    assert "13700001111" not in str(event.detail)
    from jianli.notifications.models import Message

    notice = Message.objects.filter(text__contains="手机号码已变更").get()
    assert notice.mobile == "13912345678" and "137****1111" in notice.text


def test_bad_mobile_is_reported():
    page = signed_in(make_person()).post("/profile/", {"action": "send_code", "mobile": "1234"}).content.decode()
    assert "手机号码" in page and 'value="1234"' in page


def test_photo_change_with_a_matching_fresh_capture():
    me = make_person()
    client = signed_in(me)
    response = client.post(
        "/profile/", {"action": "photo", "id_photo": upload(testing.astronaut()), "capture": upload(testing.astronaut())}
    )
    assert response.status_code == 302
    me.refresh_from_db()
    assert me.id_photo() is not None
    assert AuditEvent.objects.filter(action="profile_changed", detail__fields=["id_photo"]).exists()


def test_photo_change_refuses_another_persons_capture():
    me = make_person()
    response = signed_in(me).post(
        "/profile/",
        {"action": "photo", "id_photo": upload(testing.astronaut()), "capture": upload(testing.grace_hopper())},
    )
    assert response.status_code == 422 and "不是同一人" in response.content.decode()
    assert Applicant.objects.get(pk=me.pk).id_photo_path == ""


def test_photo_without_a_face_and_missing_capture_are_both_reported():
    page = signed_in(make_person()).post(
        "/profile/", {"action": "photo", "id_photo": upload(testing.cat())}
    ).content.decode()
    assert "证件照中未检测到人脸" in page and "请现场拍摄一张本人正脸照片" in page


def test_profile_only_visitor_can_change_nickname_but_not_mobile():
    visitor = Client()
    visitor.post("/welcome/", {"nickname": "小李"})
    page = visitor.get("/profile/").content.decode()
    assert "昵称" in page and "更换手机号码" not in page and "验证身份" in page
    response = visitor.post("/profile/", {"action": "send_code", "mobile": "13700001111"})
    assert response.status_code == 302 and response["Location"].startswith("/check/")


def test_photo_change_attempts_are_limited():
    client = signed_in(make_person())
    for _ in range(5):
        client.post("/profile/", {"action": "photo", "id_photo": upload(testing.cat())})
    response = client.post("/profile/", {"action": "photo", "id_photo": upload(testing.cat())})
    assert response.status_code == 429 and "过于频繁" in response.content.decode()
