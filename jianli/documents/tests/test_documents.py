"""Documents of the procedure (issue 17 item 3): made after commit by a task at the right transitions, their text
per business type (read back from the PDF with pdftotext), downloadable by the applicant and by staff (audited)."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from django.test import Client
from django.utils import timezone

from jianli.audit.models import AuditEvent
from jianli.documents import pdf, texts
from jianli.documents.models import Document, Kind
from jianli.registrations import services
from jianli.registrations.models import Application, BusinessType, State
from jianli.testing import cast
from jianli.testing.cast import review_client


def pdf_text(content: bytes, tmp_path) -> str:  # type: ignore[no-untyped-def]
    source = tmp_path / "document.pdf"
    source.write_bytes(content)
    out = subprocess.run(["pdftotext", "-layout", str(source), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())  # Chinese lines wrap anywhere: compare without white space


@pytest.fixture
def world(transactional_db):  # type: ignore[no-untyped-def]
    """Real commits: documents are made by a task after the transition commits."""
    emp = cast.employer(1, "北京华建工程监理有限公司")
    person = cast.applicant(name="王建国")
    return {"emp": emp, "staff": cast.staff(emp), "reviewer": cast.reviewer(), "approver": cast.reviewer("fuhe", "复核"),
            "person": person}


def test_receipt_when_the_ministry_receives_it_and_only_once(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = cast.submitted(world["person"], world["emp"])
    assert not Document.objects.filter(application=app).exists()  # submitted, not yet received by the ministry
    services.application_report(application_id=app.pk, staff=world["staff"])
    (doc,) = Document.objects.filter(application=app)
    assert doc.kind == Kind.RECEIPT and doc.title == "受理回执"
    app.refresh_from_db()
    text = pdf_text(doc.read_pdf(), tmp_path)
    assert "受理回执" in text and str(app.number) in text and "王建国" in text and "北京华建工程监理有限公司" in text
    assert "20个工作日" in text and "5个工作日内" in text and "一次性告知" in text
    assert app.number and texts.day(app.deadline) in text

    # 补正, resubmitted with a changed employer fact: the employer reports again, no second receipt
    services.application_claim(application_id=app.pk, user=world["reviewer"])
    services.application_request_correction(application_id=app.pk, user=world["reviewer"], problems=[
        {"kind": "field", "name": "school", "message": "毕业院校与学历证书不一致"},
        {"kind": "attachment", "name": "labour_contract", "message": "劳动合同缺少单位盖章页"},
        {"kind": "rows", "name": "projects", "message": "请补充工程业绩的完成年份"},
    ], comment="请一并核对职称信息")
    notice = Document.objects.get(application=app, kind=Kind.CORRECTION)
    text = pdf_text(notice.read_pdf(), tmp_path)
    assert "补正告知书" in text and "一次性告知" in text and "第三十二条" in text
    for words in ("毕业院校：毕业院校与学历证书不一致", "与聘用单位签订的劳动合同：劳动合同缺少单位盖章页",
                  "工程业绩：请补充工程业绩的完成年份", "请一并核对职称信息"):
        assert words in text
    Application.objects.filter(pk=app.pk).update(state=State.AWAITING_EMPLOYER)
    services.application_report(application_id=app.pk, staff=world["staff"])
    assert Document.objects.filter(application=app, kind=Kind.RECEIPT).count() == 1


def test_approval_and_rejection_decisions_through_the_workflow(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = cast.submitted(world["person"], world["emp"])
    cast.in_review(app, world["staff"], world["reviewer"])
    services.application_approve(application_id=app.pk, user=world["reviewer"])
    doc = Document.objects.get(application=app, kind=Kind.APPROVAL)
    assert doc.title == "准予注册决定书"
    text = pdf_text(doc.read_pdf(), tmp_path)
    app.refresh_from_db()
    assert "准予注册决定书" in text and "决定：准予注册" in text and "第三十八条第一款" in text
    assert app.registration is not None and app.registration.number in text and "我的证照" in text
    assert "行政复议" not in text

    other = cast.submitted(cast.applicant(14, "李乙"), world["emp"])
    cast.in_review(other, world["staff"], world["reviewer"])
    services.application_rejection_propose(application_id=other.pk, user=world["reviewer"], reason="age",
                                 comment="申请之日年龄已超过65周岁")
    assert not Document.objects.filter(application=other, kind=Kind.REJECTION).exists()  # only proposed
    services.application_rejection_confirm(application_id=other.pk, user=world["approver"])
    doc = Document.objects.get(application=other, kind=Kind.REJECTION)
    text = pdf_text(doc.read_pdf(), tmp_path)
    assert doc.title == "不予注册决定书" and "决定：不予注册" in text and "第三十八条第二款" in text
    assert "年龄超过65周岁" in text and "申请之日年龄已超过65周岁" in text
    assert "60日内向中华人民共和国住房和城乡建设部申请行政复议" in text
    assert "6个月内依法向有管辖权的人民法院提起行政诉讼" in text


def test_a_closed_application_gets_no_refusal_document(world) -> None:  # type: ignore[no-untyped-def]
    app = cast.submitted(world["person"], world["emp"])
    services.application_close(application_id=app.pk, reason="注册已注销，该申请终止办理。")
    assert not Document.objects.filter(application=app).exists()


EXPECTED = {
    BusinessType.INITIAL: ("准予注册决定书", "决定：准予注册", "不予注册决定书", "决定：不予注册"),
    BusinessType.RENEWAL: ("准予延续注册决定书", "延续注册后，注册有效期至", "不予延续注册决定书", "决定：不予延续注册"),
    BusinessType.CHANGE: ("准予变更注册决定书", "变更注册后，注册有效期不变", "不予变更注册决定书", "决定：不予变更注册"),
    BusinessType.CANCELLATION: ("准予注销注册决定书", "自本决定作出之日起注销", "不予注销注册决定书",
                                "决定：不予注销注册"),
    BusinessType.REPLACEMENT: ("准予补发证书决定书", "原注册证书自本决定作出之日起作废", "不予补发证书决定书",
                               "决定：不予补发证书"),
}


@pytest.mark.parametrize("business_type", list(BusinessType))
def test_decision_words_per_business_type(world, tmp_path, business_type: BusinessType) -> None:  # type: ignore[no-untyped-def]
    person = world["person"]
    registration = cast.registration(person, world["emp"], valid_until=timezone.localdate() + dt.timedelta(days=60))
    app = Application.objects.create(
        applicant=person, business_type=business_type, employer=world["emp"], registration=registration,
        state=State.APPROVED, number=f"JL20261202{business_type.value[:4].upper()}",
        submitted_at=timezone.now(), reported_at=timezone.now(), decided_at=timezone.now(),
        decision_reason="continuing_education", decision_comment="继续教育学时不足",
    )
    approval = pdf_text(pdf.render(texts.text_of(Kind.APPROVAL, app)), tmp_path)
    title, words, rejected_title, rejected_words = EXPECTED[business_type]
    assert approval.startswith("中华人民共和国住房和城乡建设部" + title) and words in approval
    assert registration.number in approval
    if business_type != BusinessType.INITIAL:
        assert "准予注册决定书" not in approval and "决定：准予注册。" not in approval
    refusal = pdf_text(pdf.render(texts.text_of(Kind.REJECTION, app)), tmp_path)
    assert rejected_title in refusal and rejected_words in refusal
    assert "未达到继续教育要求" in refusal and "继续教育学时不足" in refusal
    assert "行政复议" in refusal and "行政诉讼" in refusal


def test_redress_time_limits_are_settings(world, tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.JIANLI_APPEAL_REVIEW_DAYS = 45
    settings.JIANLI_APPEAL_COURT = "北京市第一中级人民法院"
    assert "45日内" in texts.redress() and "北京市第一中级人民法院" in texts.redress()


def test_applicant_downloads_own_documents_and_staff_downloads_are_audited(world) -> None:  # type: ignore[no-untyped-def]
    app = cast.submitted(world["person"], world["emp"])
    services.application_report(application_id=app.pk, staff=world["staff"])
    client = Client()
    cast.sign_in(client, world["person"])
    page = client.get(f"/progress/{app.pk}/").content.decode()
    assert "办理文书" in page and f"/progress/{app.pk}/documents/receipt.pdf" in page
    r = client.get(f"/progress/{app.pk}/documents/receipt.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert client.get(f"/progress/{app.pk}/documents/approval.pdf").status_code == 404
    assert client.get(f"/progress/{app.pk}/documents/nonsense.pdf").status_code == 404

    stranger = cast.applicant(name="赵丙", sequence=16)
    other = Client()
    cast.sign_in(other, stranger)
    assert other.get(f"/progress/{app.pk}/documents/receipt.pdf").status_code == 404

    staff = review_client(world["reviewer"])
    assert f"/review/applications/{app.number}/documents/receipt.pdf" in staff.get(
        f"/review/applications/{app.number}/").content.decode()
    before = AuditEvent.objects.filter(application_id=app.pk).count()
    r = staff.get(f"/review/applications/{app.number}/documents/receipt.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    latest = AuditEvent.objects.filter(application_id=app.pk).order_by("-id").first()
    assert AuditEvent.objects.filter(application_id=app.pk).count() == before + 1
    assert latest is not None and "document:receipt" in str(latest.detail)


def test_documents_are_stored_encrypted(world, settings) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.storage import default_storage

    app = cast.submitted(world["person"], world["emp"])
    services.application_report(application_id=app.pk, staff=world["staff"])
    doc = Document.objects.get(application=app)
    with default_storage.open(doc.pdf_path, "rb") as f:
        raw = f.read()
    assert not raw.startswith(b"%PDF") and doc.read_pdf().startswith(b"%PDF")
