"""Registrations made the way the service makes them: an application approved by a reviewer."""

from __future__ import annotations

from jianli import testing
from jianli.accounts.models import Applicant
from jianli.employers.models import Employer
from jianli.registrations import services
from jianli.registrations.models import Application, BusinessType, Registration
from jianli.testing import cast


def approve(app: Application, staff_n: int = 0) -> Application:
    emp = app.employer
    assert emp is not None
    staff = emp.staff.first() or cast.staff(emp, f"jingban{app.pk}")
    user = cast.reviewer(f"shencha{app.pk}")
    cast.in_review(app, staff, user)
    return services.application_approve(application_id=app.pk, user=user)


def registered(person: Applicant | None = None, emp: Employer | None = None) -> Registration:
    person = person or cast.applicant(name="王建国", photo=testing.astronaut())
    emp = emp or cast.employer(1, "北京华建工程监理有限公司")
    approve(cast.submitted(person, emp))
    return Registration.objects.get(applicant=person)


def cancel(registration: Registration) -> Application:
    app = cast.submitted(
        registration.applicant, registration.employer, BusinessType.CANCELLATION,
        data={"reason": "本人申请"}, registration=registration,
    )
    return approve(app)


def signature_status(pdf: bytes):  # type: ignore[no-untyped-def]
    """pyhanko's validator on the PDF's one signature, trusting only the configured (or demo) root."""
    from concurrent.futures import ThreadPoolExecutor
    from io import BytesIO

    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from jianli.certificates import signing

    _, _, der = pem.unarmor(signing.trust_root_pem())
    context = ValidationContext(trust_roots=[x509.Certificate.load(der)])
    reader = PdfFileReader(BytesIO(pdf))
    (signature,) = reader.embedded_signatures
    # pyhanko runs its own event loop: a thread keeps it apart from Playwright's in browser tests.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(validate_pdf_signature, signature, context).result()


def qr_text(pdf: bytes, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """The PDF's first page rendered (pdftoppm) and its QR code read (zbarimg), both Debian's tools."""
    import subprocess

    source = tmp_path / "certificate.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-singlefile", str(source), str(tmp_path / "page")], check=True)
    out = subprocess.run(["zbarimg", "--raw", "-q", str(tmp_path / "page.png")], capture_output=True, text=True)
    return out.stdout.strip()
