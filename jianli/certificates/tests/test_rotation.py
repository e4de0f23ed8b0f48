"""A stored certificate PDF moves to the newest key with everything else (`jianli rotate-pii`)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.storage import default_storage

from jianli.certificates import services
from jianli.testing import cast
from jianli.tests.test_pii_rotation import K1, K2, LOOKUP, rotate

pytestmark = pytest.mark.django_db


def test_rotation_re_encrypts_the_stored_pdf(settings):
    settings.PII_KEYS, settings.PII_LOOKUP_KEY = K1, LOOKUP
    person = cast.applicant()
    registration = cast.registration(person, cast.employer(), valid_until=dt.date(2030, 1, 1))
    electronic = services.electronic_for(registration.current_certificate)
    electronic.store_pdf(b"%PDF-1.7 certificate", "fingerprint")
    electronic.save()
    old = electronic.pdf_path
    settings.PII_KEYS = f"{K2},{K1}"
    rotate()
    settings.PII_KEYS = K2
    electronic.refresh_from_db()
    assert electronic.pdf_path != old and not default_storage.exists(old)
    assert electronic.read_pdf() == b"%PDF-1.7 certificate"
