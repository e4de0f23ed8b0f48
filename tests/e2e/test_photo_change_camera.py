"""信息修改 → 更换证件照 with the camera: the live frames are compared with the NEW photo (Chromium, fake camera)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jianli import testing
from jianli.accounts.models import Applicant
from jianli.identity.models import FaceVerification
from tests.e2e.conftest import shot
from tests.e2e.test_face_camera import camera_page, registered, to_face_page  # noqa: F401  (fixture)

pytestmark = pytest.mark.e2e


def signed_in_on_profile(page) -> Applicant:  # type: ignore[no-untyped-def]
    applicant = registered(testing.astronaut())
    to_face_page(page)
    page.check("#id_consent")
    page.get_by_role("button", name="下一步").click()
    expect(page.locator("#camera-start")).to_be_enabled()
    page.locator("#camera-start").click()
    expect(page.get_by_role("heading", name="已通过")).to_be_visible(timeout=30000)
    page.goto("/profile/")
    return applicant


def choose_new_photo(page, photo: bytes) -> None:  # type: ignore[no-untyped-def]
    page.set_input_files("#id_id_photo", {"name": "new.jpg", "mimeType": "image/jpeg", "buffer": photo})
    page.get_by_role("button", name="下一步：人脸识别").click()
    expect(page.get_by_text("与您新上传的证件照比对")).to_be_visible()
    expect(page.locator("#camera-start")).to_be_enabled()


def test_the_new_photo_of_the_person_in_front_of_the_camera_is_taken(camera_page):  # noqa: F811
    page = camera_page
    applicant = signed_in_on_profile(page)
    before = applicant.id_photo_path
    choose_new_photo(page, testing.astronaut())
    shot(page, "photo-change-01-camera")
    page.locator("#camera-start").click()
    expect(page.get_by_text("证件照已更换")).to_be_visible(timeout=30000)
    shot(page, "photo-change-02-changed")
    applicant.refresh_from_db()
    assert applicant.id_photo_path != before
    assert FaceVerification.objects.filter(purpose="photo_change", status="passed").count() == 1


def test_a_new_photo_of_someone_else_is_refused_with_the_reason(camera_page):  # noqa: F811
    page = camera_page
    applicant = signed_in_on_profile(page)
    before = applicant.id_photo_path
    choose_new_photo(page, testing.grace_hopper())
    page.locator("#camera-start").click()
    expect(page.locator("#id_photo-error")).to_contain_text("证件照未更换：现场拍摄的人脸与新证件照不是同一人", timeout=30000)
    expect(page.locator("#id_photo-error")).to_contain_text("本小时内还可尝试 4 次")
    shot(page, "photo-change-03-refused")
    applicant.refresh_from_db()
    assert applicant.id_photo_path == before


def test_a_photo_without_a_face_is_refused_before_the_camera(camera_page):  # noqa: F811
    page = camera_page
    signed_in_on_profile(page)
    page.set_input_files("#id_id_photo", {"name": "cat.jpg", "mimeType": "image/jpeg", "buffer": testing.cat()})
    page.get_by_role("button", name="下一步：人脸识别").click()
    expect(page.locator("#id_photo-error")).to_contain_text("证件照中未检测到人脸")
    assert not FaceVerification.objects.filter(purpose="photo_change").exists()
