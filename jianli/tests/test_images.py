"""Picture bombs: every way a picture comes in refuses one that declares too many pixels, before decoding it."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jianli import images, testing
from jianli.accounts.models import Profile
from jianli.api import credentials
from jianli.identity import faces
from jianli.identity.models import FaceVerification
from jianli.testing import b64, cast, on_canvas
from jianli.testing.cast import Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> Api:
    return Api()

# 13000×13000 declared in a 300-byte PNG: 507 MB once decoded to colour. Only the first rows are present,
# which is all a header check reads; the old code decoded (and failed on the missing rows, or ran out).
AVATAR_BOMB = testing.png_bomb(13000, 13000, complete=False)
FRAME_BOMB = testing.png_bomb(20000, 20000, complete=False)


def _bomb_file(data: bytes = AVATAR_BOMB) -> SimpleUploadedFile:
    return SimpleUploadedFile("a.png", data, "image/png")


def test_the_header_decides_and_names_the_limit():
    with pytest.raises(images.ServiceError) as refused:
        images.check(AVATAR_BOMB, field="avatar")
    assert refused.value.fields == {"avatar": "图片像素过多（不能超过2500万像素），请缩小或压缩后重新上传"}
    header = images.header(testing.astronaut(), field="avatar")
    assert (header.format, header.width, header.height) == ("JPEG", 512, 512)


def test_the_limit_is_a_setting_and_reaches_opencv(settings):
    assert os.environ["OPENCV_IO_MAX_IMAGE_PIXELS"] == str(settings.JIANLI_IMAGE_MAX_PIXELS)
    settings.JIANLI_IMAGE_MAX_PIXELS = 500 * 500
    with pytest.raises(images.ServiceError):
        images.check(testing.astronaut(), field="f")
    settings.JIANLI_IMAGE_MAX_PIXELS = 512 * 512
    images.check(testing.astronaut(), field="f")


def test_other_formats_are_not_opened_at_all():
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buf, "BMP")
    with pytest.raises(images.ServiceError) as refused:
        images.check(buf.getvalue(), field="avatar")
    assert "JPG或PNG" in refused.value.message


def test_the_face_model_refuses_a_bomb_without_decoding_it():
    with pytest.raises(faces.FaceCheckError):
        faces.decode(FRAME_BOMB)


def test_first_use_page_refuses_a_bomb_avatar_and_keeps_the_nickname():
    response = Client().post("/welcome/", {"nickname": "小李", "avatar": _bomb_file()})
    page = response.content.decode()
    assert response.status_code == 422
    assert "图片像素过多" in page and 'value="小李"' in page
    assert not Profile.objects.exists()


def test_api_profile_refuses_a_bomb_avatar_at_its_field(api):
    r = api.post("profile", {"nickname": "王", "avatar": b64(AVATAR_BOMB)})
    assert r.status_code == 422 and "图片像素过多" in r.json()["fields"]["avatar"]


def test_registration_refuses_a_bomb_id_photo_at_its_field():
    client = Client()
    client.post("/welcome/", {"nickname": "小李"})
    response = client.post(
        "/register/",
        {"name": "赵敏", "id_number": testing.id_number(dt.date(1990, 6, 1), 45), "mobile": "13912345678",
         "sms_code": "123456", "id_photo": _bomb_file()},
    )
    assert response.status_code == 422 and "图片像素过多" in response.content.decode()


def test_an_attachment_bomb_is_refused_with_the_reason():
    from jianli.registrations.uploads import check_upload

    with pytest.raises(images.ServiceError) as refused:
        check_upload(AVATAR_BOMB, filename="photo.png")
    assert "图片像素过多" in refused.value.fields["file"]


def _pending_token(api: Api) -> str:
    applicant = cast.applicant(photo=testing.astronaut())
    profile_token = credentials.profile_token_issue(profile=Profile.objects.create(nickname="小程序用户"))
    r = api.post("applicants/check", {"name": applicant.name, "id_number": applicant.id_number}, token=profile_token)
    return r.json()["pending_token"]


def test_api_face_frames_are_checked_before_the_provider(api, settings):
    settings.JIANLI_FACE_PROVIDER = "local"
    settings.JIANLI_FACE_LIVENESS = False
    pending = _pending_token(api)
    started = api.post("face-verifications", {"consent": True}, token=pending).json()
    r = api.post(
        f"face-verifications/{started['id']}/finish", {"images": {"frame_0": b64(FRAME_BOMB)}}, token=pending
    )
    assert r.status_code == 422 and "图片像素过多" in r.json()["fields"]["images.frame_0"]
    # Refused at the door: the attempt is still open and no failure was counted.
    assert FaceVerification.objects.get().status == FaceVerification.Status.PENDING


def test_face_page_frames_are_checked_before_the_provider(settings):
    settings.JIANLI_FACE_PROVIDER = "local"
    settings.JIANLI_FACE_LIVENESS = False
    applicant = cast.applicant(photo=testing.astronaut())
    client = Client()
    session = client.session
    session["pending_applicant_id"] = applicant.pk
    session.save()
    client.post("/face/", {"step": "consent", "consent": "on"})
    response = client.post("/face/", {"step": "finish", "frame_0": _bomb_file(FRAME_BOMB)})
    assert response.status_code == 422 and "图片像素过多" in response.content.decode()
    assert FaceVerification.objects.get().status == FaceVerification.Status.PENDING
    # A real frame still passes afterwards.
    frame = SimpleUploadedFile("f.jpg", on_canvas(testing.astronaut()), "image/jpeg")
    assert client.post("/face/", {"step": "finish", "frame_0": frame}).status_code == 200


def test_a_body_declared_too_large_is_refused_before_it_is_read(settings, api):
    settings.JIANLI_MAX_REQUEST_BYTES = 1000
    response = Client().post("/welcome/", {"nickname": "小李", "avatar": _bomb_file(b"x" * 2000)})
    assert response.status_code == 413 and "提交的内容过大" in response.content.decode()
    r = api.post("profile", {"nickname": "王", "avatar": "A" * 2000})
    assert r.status_code == 413 and r.json()["code"] == "too_large" and "不能超过1000字节" in r.json()["message"]
    assert Client().get("/services/jianli/").status_code == 302


def test_first_use_is_rate_limited_per_address_on_the_page_and_the_api_together(settings, api):
    settings.JIANLI_RATE_API_PROFILE_PER_ADDRESS = (2, 3600)
    assert Client().post("/welcome/", {"nickname": "甲"}).status_code == 302
    assert api.post("profile", {"nickname": "乙"}).status_code == 201
    response = Client().post("/welcome/", {"nickname": "丙", "avatar": _bomb_file()})
    assert response.status_code == 429 and "操作过于频繁" in response.content.decode()
    assert api.post("profile", {"nickname": "丁"}).status_code == 429
