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
    applicant = Applicant(name="张三", id_number=testing.id_number(), mobile="13912345678")
    applicant.set_id_photo(photo)
    applicant.save()
    return applicant


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
