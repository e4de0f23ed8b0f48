"""The face page: failure reasons, attempts left, the hourly lock, in-person verification lifting it, the admin."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from jianli import testing
from jianli.audit.models import AuditEvent
from jianli.identity import services
from jianli.identity.models import FaceVerification
from jianli.testing import on_canvas


@pytest.fixture
def visitor(make_applicant):  # type: ignore[no-untyped-def]
    applicant = make_applicant()
    client = Client()
    session = client.session
    session["pending_applicant_id"] = applicant.pk
    session.save()
    client.applicant = applicant  # type: ignore[attr-defined]
    return client


def fail_once(client: Client) -> str:
    client.post("/face/", {"step": "consent", "consent": "on"})
    return client.post("/face/", {"step": "finish", "scenario": "not_live"}).content.decode()


def fail_five_times(client: Client) -> str:
    """Five failures: one credential has four checks an hour, so the fifth comes after checking 姓名 and 身份证号码
    again (which gives the session a fresh credential)."""
    for n in range(5):
        if n == 4:
            session = client.session
            session.pop("face_credential")
            session.save()
        page = fail_once(client)
    return page


def test_each_failure_names_the_reason_the_advice_and_the_attempts_left(visitor):
    page = fail_once(visitor)
    assert "识别未通过：未通过活体检测" in page
    assert services.ADVICE["not_live"] in page
    assert "本小时内还可尝试 <strong>4</strong> 次" in page
    assert "现场核验" in page and "010-58933876" in page


def test_the_fifth_failure_in_an_hour_locks_for_the_rest_of_the_hour(visitor):
    page = fail_five_times(visitor)
    assert "1小时内识别失败次数已达上限" in page and "后再试" in page
    assert "现场核验" in page
    response = visitor.post("/face/", {"step": "consent", "consent": "on"})
    assert response.status_code == 429
    assert "携带身份证件到服务窗口现场核验" in response.content.decode()
    assert FaceVerification.objects.count() == 5


def test_the_lock_ends_an_hour_after_the_oldest_counted_failure(visitor):
    fail_five_times(visitor)
    oldest = timezone.now() - dt.timedelta(minutes=50)
    FaceVerification.objects.filter(pk=FaceVerification.objects.order_by("pk").first().pk).update(claimed_at=oldest)
    assert services.locked_until(visitor.applicant) == oldest + dt.timedelta(hours=1)
    FaceVerification.objects.update(claimed_at=timezone.now() - dt.timedelta(minutes=61))
    assert services.attempts_left(visitor.applicant) == 5


def test_in_person_verification_lifts_the_lock_and_is_audited(visitor):
    fail_five_times(visitor)
    staff = User.objects.create_user("counter", is_staff=True)
    services.applicant_verify_in_person(applicant=visitor.applicant, by_user=staff, reason="核对身份证原件")
    assert services.attempts_left(visitor.applicant) == 5
    assert services.verified_in_person_recently(visitor.applicant)
    event = AuditEvent.objects.get(action="verified_in_person")
    assert (event.actor_kind, event.actor_label, event.detail["reason"]) == ("staff", "counter", "核对身份证原件")
    page = visitor.get("/face/").content.decode()
    assert "disabled" not in page.split('name="step" value="consent"')[1].split("</form>")[0]


def test_in_person_verification_needs_a_reason(make_applicant):
    with pytest.raises(services.ServiceError):
        services.applicant_verify_in_person(applicant=make_applicant(), by_user=None, reason="  ")


def test_the_admin_shows_masked_numbers_and_records_in_person_verification_with_a_reason(make_applicant):
    applicant = make_applicant()
    from jianli.testing.cast import PASSWORD, ops_client

    client = ops_client(User.objects.create_superuser("ops", password=PASSWORD))
    listing = client.get("/ops/admin/accounts/applicant/").content.decode()
    detail = client.get(f"/ops/admin/accounts/applicant/{applicant.pk}/change/").content.decode()
    for page in (listing, detail):
        assert applicant.masked_id_number in page and applicant.id_number not in page and "13912345678" not in page
    assert AuditEvent.objects.filter(action="personal_data_viewed", applicant_id=applicant.pk).exists()
    ask = client.post(
        "/ops/admin/accounts/applicant/", {"action": "verify_in_person", "_selected_action": [applicant.pk]}
    ).content.decode()
    assert "现场核验说明" in ask and applicant.masked_id_number in ask
    client.post(
        "/ops/admin/accounts/applicant/",
        {"action": "verify_in_person", "_selected_action": [applicant.pk], "apply": "1", "reason": "窗口核对原件"},
    )
    applicant.refresh_from_db()
    assert applicant.verified_in_person_at is not None and "窗口核对原件" in applicant.verified_in_person_note
    assert AuditEvent.objects.get(action="verified_in_person").actor_label == "ops"


def test_local_capture_page_lists_the_prompts_and_offers_the_file_fallback(visitor, settings):
    settings.JIANLI_FACE_PROVIDER = "local"
    settings.JIANLI_FACE_LIVENESS = True
    page = visitor.post("/face/", {"step": "consent", "consent": "on"}).content.decode()
    assert "正视" in page and ("向左转头" in page or "向右转头" in page)
    assert 'accept="image/*" capture="user"' in page
    assert "上传照片无法通过活体检测" in page and "现场核验" in page
    assert "js/face.js" in page


def test_local_upload_without_liveness_passes_and_signs_in(visitor, settings):
    settings.JIANLI_FACE_PROVIDER = "local"
    settings.JIANLI_FACE_LIVENESS = False
    visitor.post("/face/", {"step": "consent", "consent": "on"})
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = visitor.post(
        "/face/", {"step": "finish", "frame_0": SimpleUploadedFile("f.jpg", on_canvas(testing.astronaut()), "image/jpeg")}
    ).content.decode()
    assert "已通过" in page and visitor.session["applicant_id"] == visitor.applicant.pk


def test_provider_pages_show_the_token_and_a_finish_button(visitor, settings):
    from jianli.identity.tests import fakes

    with fakes.tencent() as (url, _state):
        settings.JIANLI_FACE_PROVIDER = "tencent"
        settings.JIANLI_TENCENT_ENDPOINT = url + "/"
        settings.JIANLI_TENCENT_SECRET_ID, settings.JIANLI_TENCENT_SECRET_KEY = fakes.SECRET_ID, fakes.SECRET_KEY
        settings.JIANLI_TENCENT_RULE_ID = fakes.RULE_ID
        page = visitor.post("/face/", {"step": "consent", "consent": "on"}).content.decode()
        assert "BizToken" in page and "wx.startVerify" in page and ">完成</button>" in page
        assert "已通过" in visitor.post("/face/", {"step": "finish"}).content.decode()


def test_an_outage_at_start_says_so_without_a_500(visitor, settings):
    settings.JIANLI_FACE_PROVIDER = "tencent"
    settings.JIANLI_TENCENT_SECRET_ID = ""
    response = visitor.post("/face/", {"step": "consent", "consent": "on"})
    assert response.status_code == 503 and "服务暂不可用" in response.content.decode()


def test_the_face_form_still_needs_its_csrf_token(make_applicant):
    applicant = make_applicant()
    client = Client(enforce_csrf_checks=True)
    session = client.session
    session["pending_applicant_id"] = applicant.pk
    session.save()
    assert client.post("/face/", {"step": "consent", "consent": "on"}).status_code == 403
