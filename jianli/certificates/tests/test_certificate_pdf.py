"""The electronic certificate: a signed PDF with a QR code to the live verification page."""

from __future__ import annotations

import pytest

from jianli.certificates import services
from jianli.certificates.models import ElectronicCertificate
from jianli.certificates.tests.helpers import cancel, qr_text, registered, signature_status
from jianli.registrations.models import Certificate

pytestmark = pytest.mark.django_db


def test_certificate_pdf_is_signed_and_its_qr_opens_the_verification_page(tmp_path, settings):
    settings.SITE_URL = "https://jianli.example.cn"
    registration = registered()
    certificate = registration.current_certificate
    pdf = services.certificate_pdf(certificate)
    status = signature_status(pdf)
    assert status.bottom_line, status.pretty_print_details()
    assert status.intact and status.valid and status.trusted
    token = ElectronicCertificate.objects.get(certificate=certificate).token
    assert qr_text(pdf, tmp_path) == f"https://jianli.example.cn/verify/{token}"


def test_the_pdf_is_kept_while_nothing_printed_changes_and_made_again_when_something_does():
    registration = registered()
    certificate = registration.current_certificate
    first = services.certificate_pdf(certificate)
    assert services.certificate_pdf(Certificate.objects.get(pk=certificate.pk)) == first
    registration.specialties = ["市政公用工程"]
    registration.save()
    again = services.certificate_pdf(Certificate.objects.get(pk=certificate.pk))
    assert again != first
    assert signature_status(again).bottom_line


def test_a_cancelled_certificate_says_so_on_the_pdf_and_the_verification_page(client, tmp_path):
    registration = registered()
    certificate = registration.current_certificate
    services.certificate_pdf(certificate)
    token = ElectronicCertificate.objects.get(certificate=certificate).token
    assert "有效" in client.get(f"/verify/{token}").content.decode()
    cancel(registration)
    certificate.refresh_from_db()
    assert services.verdict(certificate) == services.Verdict.CANCELLED
    page = client.get(f"/verify/{token}").content.decode()
    assert "核验结果：<strong>已注销</strong>" in page
    pdf = services.certificate_pdf(certificate)
    text = _pdf_text(pdf, tmp_path)
    assert "本证书已注销" in text


def _pdf_text(pdf: bytes, tmp_path) -> str:  # type: ignore[no-untyped-def]
    import subprocess

    source = tmp_path / "c.pdf"
    source.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(source), "-"], capture_output=True, text=True, check=True).stdout


def test_the_verification_token_is_random_and_not_the_certificate_number():
    registration = registered()
    certificate = registration.current_certificate
    electronic = services.electronic_for(certificate)
    assert len(electronic.token) >= 22
    assert certificate.number not in electronic.token and registration.number not in electronic.token
    assert services.electronic_for(certificate).token == electronic.token
