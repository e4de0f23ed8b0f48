"""人脸识别 with the camera, in Chromium with a fake camera that plays a Y4M file made from a packaged photo."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from jianli import testing
from jianli.accounts.models import Applicant
from jianli.identity.models import FaceVerification
from jianli.testing import cast
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, new_phone_page, shot

pytestmark = pytest.mark.e2e


def write_y4m(photo: bytes, path: Path, frames: int = 10) -> Path:
    """Raw Y4M (4:2:0, 640×480): header, then per frame "FRAME\\n" + Y + subsampled Cb + Cr."""
    image = Image.open(io.BytesIO(photo)).convert("RGB")
    image = image.crop((64, 0, 384, 240)).resize((640, 480))  # the astronaut's face at about 180 px
    y, cb, cr = image.convert("YCbCr").split()
    chroma = [c.resize((320, 240), Image.BILINEAR).tobytes() for c in (cb, cr)]
    frame = b"FRAME\n" + y.tobytes() + chroma[0] + chroma[1]
    path.write_bytes(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n" + frame * frames)
    return path


@pytest.fixture
def camera_page(playwright_instance, live_server, transactional_db, tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.JIANLI_FACE_PROVIDER = "local"
    settings.JIANLI_FACE_LIVENESS = False
    video = write_y4m(testing.astronaut(), tmp_path / "astronaut.y4m")
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
              f"--use-file-for-fake-video-capture={video}"],
    )
    page = new_phone_page(browser, live_server, permissions=["camera"])
    yield page
    page.context.close()
    browser.close()


def registered(photo: bytes) -> Applicant:
    return cast.applicant(photo=photo, profile=False)


def to_face_page(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/welcome/")
    page.fill("#id_nickname", "小张")
    page.get_by_role("button", name="保存").click()
    page.goto("/check/")
    page.fill("#id_name", "张三")
    page.fill("#id_id_number", testing.id_number())
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_text("人脸识别功能验证你的身份信息，请确保为本人操作")).to_be_visible()


def test_the_camera_frame_of_the_registered_person_passes(camera_page):
    page = camera_page
    registered(testing.astronaut())
    to_face_page(page)
    shot(page, "face-01-intro")
    page.check("#id_consent")
    page.get_by_role("button", name="下一步").click()
    start = page.locator("#camera-start")
    expect(start).to_be_visible()
    expect(start).to_be_enabled()
    expect(page.locator("#camera-steps")).to_contain_text("正视")
    expect(page.locator("#fallback")).to_be_hidden()
    page.wait_for_timeout(500)
    shot(page, "face-02-camera")
    start.click()
    expect(page.get_by_role("heading", name="已通过")).to_be_visible(timeout=30000)
    shot(page, "face-03-passed")
    attempt = FaceVerification.objects.get()
    assert (attempt.provider, attempt.status) == ("local", "passed") and attempt.score >= 0.5


def test_someone_else_in_front_of_the_camera_is_told_why_and_how_many_tries_are_left(camera_page):
    page = camera_page
    registered(testing.grace_hopper())
    to_face_page(page)
    page.check("#id_consent")
    page.get_by_role("button", name="下一步").click()
    expect(page.locator("#camera-start")).to_be_enabled()
    page.locator("#camera-start").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("识别未通过：与证件照不是同一人", timeout=30000)
    expect(alert).to_contain_text("本小时内还可尝试 4 次")
    expect(page.get_by_text("现场核验").first).to_be_visible()
    shot(page, "face-04-failure")


def test_without_a_camera_the_upload_fallback_says_liveness_cannot_pass(phone, settings):
    settings.JIANLI_FACE_PROVIDER = "local"
    settings.JIANLI_FACE_LIVENESS = True
    page = phone
    registered(testing.astronaut())
    to_face_page(page)
    page.check("#id_consent")
    page.get_by_role("button", name="下一步").click()
    expect(page.locator("#fallback")).to_be_visible()
    expect(page.locator("#id_frame_0")).to_have_attribute("capture", "user")
    expect(page.get_by_text("上传照片无法通过活体检测")).to_be_visible()
    expect(page.locator("#camera-error")).to_be_visible()
    shot(page, "face-05-no-camera")


def test_with_liveness_every_prompt_is_shown_and_a_still_picture_is_not_live(camera_page, settings):
    settings.JIANLI_FACE_LIVENESS = True
    page = camera_page
    registered(testing.astronaut())
    to_face_page(page)
    page.check("#id_consent")
    page.get_by_role("button", name="下一步").click()
    steps = page.locator("#camera-steps li")
    expect(steps.first).to_be_visible()
    labels = steps.all_inner_texts()
    assert "正视" in labels and ({"向左转头", "向右转头"} & set(labels))
    expect(page.locator("#camera-start")).to_be_enabled()
    page.locator("#camera-start").click()
    expect(page.locator("#camera-prompt")).to_have_text(labels[0])
    expect(steps.first).to_have_class("current")
    expect(page.locator("#camera-count")).to_contain_text("秒后拍摄")
    expect(page.locator("#camera-start")).to_be_hidden()
    shot(page, "face-06-prompt")
    expect(page.get_by_role("alert")).to_contain_text("识别未通过：未通过活体检测", timeout=30000)
    attempt = FaceVerification.objects.get()
    assert attempt.reason == "not_live" and len(attempt.challenge) == len(labels)
    assert attempt.score is not None and attempt.score >= 0.5  # every frame arrived and matched; none turned


def test_after_five_failures_in_an_hour_the_page_is_locked_with_the_assisted_route(phone, settings):
    import datetime as dt

    from django.utils import timezone

    settings.JIANLI_FACE_PROVIDER = "local"
    page = phone
    applicant = registered(testing.astronaut())
    for i in range(5):
        FaceVerification.objects.create(
            applicant=applicant, provider="local", nonce=f"n{i}", status="failed", reason="no_match",
            created_at=timezone.now() - dt.timedelta(minutes=30 - i), expires_at=timezone.now(),
            claimed_at=timezone.now() - dt.timedelta(minutes=30 - i),
        )
    to_face_page(page)
    expect(page.get_by_role("alert")).to_contain_text("人脸识别已暂时锁定")
    expect(page.get_by_role("alert")).to_contain_text("1小时内识别失败次数已达上限，请于")
    expect(page.get_by_role("button", name="下一步")).to_be_disabled()
    expect(page.get_by_text("其他核验方式")).to_be_visible()
    shot(page, "face-07-locked")


def test_tencent_shows_the_biz_token_for_the_mini_program_and_finishes_on_the_server(phone, settings):
    from jianli.identity.tests import fakes

    with fakes.tencent() as (url, state):
        settings.JIANLI_FACE_PROVIDER = "tencent"
        settings.JIANLI_TENCENT_ENDPOINT = url + "/"
        settings.JIANLI_TENCENT_SECRET_ID, settings.JIANLI_TENCENT_SECRET_KEY = fakes.SECRET_ID, fakes.SECRET_KEY
        settings.JIANLI_TENCENT_RULE_ID = fakes.RULE_ID
        page = phone
        registered(testing.astronaut())
        to_face_page(page)
        page.check("#id_consent")
        page.get_by_role("button", name="下一步").click()
        expect(page.get_by_text("wx.startVerify")).to_be_visible()
        expect(page.locator(".face-token code")).not_to_be_empty()
        shot(page, "face-08-tencent")
        page.get_by_role("button", name="完成").click()
        expect(page.get_by_role("heading", name="已通过")).to_be_visible()
        assert state.calls == ["DetectAuth", "GetDetectInfoEnhanced"]
