"""After 准予注册: the applicant downloads the electronic certificate from 我的证照; its PAdES signature validates
(pyhanko), its QR code (read by zbarimg from a pdftoppm render) opens the verification page, which says 有效, and
after a 注销注册 is approved the same address says 已注销. `JIANLI_SCREENSHOTS=1` also renders both PDFs into
docs/certificate/."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from jianli import testing
from jianli.certificates.tests.helpers import cancel, qr_text, signature_status
from jianli.registrations import calendar
from jianli.registrations.models import Application, Registration, State
from jianli.testing import cast
from jianli.testing.cast import code, device_for
from tests.e2e.conftest import ARTIFACTS, new_phone_page, shot
from tests.e2e.test_apply import sign_in_by_face

pytestmark = pytest.mark.e2e
# The committed pictures are rewritten only when asked (JIANLI_SCREENSHOTS=1); else they go to artifacts/.
DOCS = (Path(__file__).resolve().parents[2] / "docs" / "certificate" if os.environ.get("JIANLI_SCREENSHOTS")
        else ARTIFACTS / "docs" / "certificate")


def _download(phone, tmp_path: Path, name: str) -> bytes:  # type: ignore[no-untyped-def]
    phone.goto("/certificates/")
    with phone.expect_download() as download:
        phone.get_by_role("link", name="下载电子证书（PDF）").first.click()
    path = tmp_path / name
    download.value.save_as(str(path))
    return path.read_bytes()


def _render(pdf: bytes, tmp_path: Path, name: str) -> None:
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", str(source), str(tmp_path / name)], check=True)
    if os.environ.get("JIANLI_SCREENSHOTS"):
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copy(tmp_path / f"{name}.png", DOCS / f"{name}.png")


def test_certificate_download_signature_qr_and_verification(browser, live_server, transactional_db, tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.SITE_URL = live_server.url
    calendar.load_all()
    emp = cast.employer(1, "北京华建工程监理有限公司")
    staff = cast.staff(emp, "jingban", is_admin=True)
    reviewer = cast.reviewer("shencha")
    person = cast.applicant(name="王建国", photo=testing.astronaut())
    app = cast.in_review(cast.submitted(person, emp), staff, reviewer)

    review = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", base_url=live_server.url)
    review.set_default_timeout(15000)
    page = review.new_page()
    page.goto("/review/login/")
    page.fill("#id_username", "shencha")
    page.fill("#id_password", cast.PASSWORD)
    page.fill("#id_token", code(device_for(reviewer)))
    page.get_by_role("button", name="登录").click()
    page.goto(f"/review/applications/{app.number}/")
    page.fill("#id_comment_a", "材料齐全，符合注册条件。")
    page.get_by_role("button", name="准予注册").click()
    expect(page.get_by_text("已准予注册")).to_be_visible()
    review.close()
    assert Application.objects.get(pk=app.pk).state == State.APPROVED
    registration = Registration.objects.get(applicant=person)

    phone = new_phone_page(browser, live_server)
    sign_in_by_face(phone, person, "initial")
    phone.goto("/")
    phone.get_by_role("link", name="我的证照").click()
    expect(phone.get_by_role("heading", name="我的证照")).to_be_visible()
    expect(phone.get_by_text(registration.current_certificate.number)).to_be_visible()
    shot(phone, "certificate-mine")
    pdf = _download(phone, tmp_path, "certificate.pdf")
    status = signature_status(pdf)
    assert status.bottom_line, status.pretty_print_details()
    _render(pdf, tmp_path, "certificate-valid")

    url = qr_text(pdf, tmp_path)
    assert url.startswith(f"{live_server.url}/verify/")
    visitor = new_phone_page(browser, live_server)
    visitor.goto(url)
    expect(visitor.locator(".verdict")).to_have_text("核验结果：有效")
    expect(visitor.get_by_text(registration.number)).to_be_visible()
    assert person.id_number not in visitor.content() and person.mobile not in visitor.content()
    shot(visitor, "certificate-verify-valid")

    cancel(registration)
    visitor.goto(url)
    expect(visitor.locator(".verdict")).to_have_text("核验结果：已注销")
    shot(visitor, "certificate-verify-cancelled")
    cancelled = _download(phone, tmp_path, "cancelled.pdf")
    assert signature_status(cancelled).bottom_line
    assert qr_text(cancelled, tmp_path) == url
    _render(cancelled, tmp_path, "certificate-cancelled")
    phone.context.close()
    visitor.context.close()
