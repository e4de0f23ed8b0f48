"""信息修改: nickname and avatar, mobile with an SMS code, 证件照 face-checked against a live capture; name and ID stay."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jianli import testing
from jianli.accounts.models import Applicant, Profile
from jianli.audit.models import AuditEvent
from jianli.identity.models import FaceVerification
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


def test_photo_change_goes_through_the_face_check_and_changes_on_a_pass(settings):
    me = make_person()
    client = signed_in(me)
    page = client.post("/profile/photo/", {"action": "photo", "id_photo": upload(testing.astronaut())})
    text = page.content.decode()
    assert page.status_code == 200 and "模拟识别通过" in text and "与您新上传的证件照比对" in text
    assert Applicant.objects.get(pk=me.pk).id_photo_path == ""  # nothing changes before the check passes
    response = client.post("/profile/photo/", {"step": "finish", "scenario": "pass"})
    assert response.status_code == 302 and response["Location"] == "/profile/"
    assert "证件照已更换" in client.get("/profile/").content.decode()
    me.refresh_from_db()
    assert me.id_photo() is not None
    assert AuditEvent.objects.filter(action="profile_changed", detail__fields=["id_photo"]).exists()
    verification = FaceVerification.objects.get(applicant=me)
    assert verification.purpose == "photo_change" and verification.status == "passed"
    # Finishing again changes nothing more.
    path = me.id_photo_path
    client.post("/profile/photo/", {"step": "finish", "scenario": "pass"})
    assert Applicant.objects.get(pk=me.pk).id_photo_path == path


def test_photo_change_refused_when_the_capture_is_someone_else():
    me = make_person()
    client = signed_in(me)
    client.post("/profile/photo/", {"action": "photo", "id_photo": upload(testing.astronaut())})
    response = client.post("/profile/photo/", {"step": "finish", "scenario": "no_match"})
    text = response.content.decode()
    assert response.status_code == 422 and "证件照未更换：现场拍摄的人脸与新证件照不是同一人" in text
    assert "本小时内还可尝试 4 次" in text
    assert Applicant.objects.get(pk=me.pk).id_photo_path == ""
    assert not AuditEvent.objects.filter(action="profile_changed").exists()
    assert FaceVerification.objects.get(applicant=me).status == "failed"
    # The candidate is gone: finishing again (or replaying the old form) cannot change the photo.
    client.post("/profile/photo/", {"step": "finish", "scenario": "pass"})
    assert Applicant.objects.get(pk=me.pk).id_photo_path == ""


def test_photo_without_a_face_is_refused_before_any_capture():
    me = make_person()
    client = signed_in(me)
    response = client.post("/profile/photo/", {"action": "photo", "id_photo": upload(testing.cat())})
    text = response.content.decode()
    assert response.status_code == 422 and "证件照中未检测到人脸" in text and "模拟识别通过" not in text
    assert not FaceVerification.objects.filter(applicant=me).exists()
    missing = client.post("/profile/photo/", {"action": "photo"})
    assert missing.status_code == 422 and "请上传新的证件照" in missing.content.decode()


def test_a_sign_in_verification_cannot_change_the_photo_and_vice_versa():
    me = make_person()
    client = signed_in(me)
    client.post("/profile/photo/", {"action": "photo", "id_photo": upload(testing.astronaut())})
    photo_check = FaceVerification.objects.get(applicant=me)
    session = client.session
    session["face_verification_id"] = photo_check.pk
    session.save()
    # The sign-in page does not finish a photo-change attempt.
    client.post("/face/", {"step": "finish", "scenario": "pass"})
    assert FaceVerification.objects.get(pk=photo_check.pk).status == "pending"


def test_photo_change_counts_against_the_hourly_face_limit(settings):
    settings.JIANLI_FACE_ATTEMPTS_PER_HOUR = 1
    client = signed_in(make_person())
    client.post("/profile/photo/", {"action": "photo", "id_photo": upload(testing.astronaut())})
    client.post("/profile/photo/", {"step": "finish", "scenario": "no_match"})
    response = client.post("/profile/photo/", {"action": "photo", "id_photo": upload(testing.astronaut())})
    assert response.status_code == 429 and "失败已达上限" in response.content.decode()


def test_photo_page_needs_a_signed_in_applicant():
    visitor = Client()
    visitor.post("/welcome/", {"nickname": "小李"})
    response = visitor.post("/profile/photo/", {"action": "photo", "id_photo": upload(testing.astronaut())})
    assert response.status_code == 302 and response["Location"].startswith("/check/")
    assert signed_in(make_person()).get("/profile/photo/").status_code == 302


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
        client.post("/profile/photo/", {"action": "photo", "id_photo": upload(testing.cat())})
    response = client.post("/profile/photo/", {"action": "photo", "id_photo": upload(testing.cat())})
    assert response.status_code == 429 and "过于频繁" in response.content.decode()
