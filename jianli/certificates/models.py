from __future__ import annotations

import secrets
from typing import ClassVar

from django.db import models
from django.utils import timezone

from jianli import pii


def new_token() -> str:
    # 128 random bits: the verification address cannot be guessed or derived from the certificate number.
    return secrets.token_urlsafe(16)


class ElectronicCertificate(models.Model):
    """The electronic form of a registration certificate (电子证书): its verification token and its signed PDF.

    The PDF is made on demand and kept while its fingerprint (everything printed on it) is unchanged, so a change,
    a replacement or a cancellation shows on the next download without signing a PDF at every decision.
    """

    certificate = models.OneToOneField(
        "registrations.Certificate", on_delete=models.PROTECT, related_name="electronic"
    )
    token = models.CharField("核验码", max_length=32, unique=True, default=new_token)
    pdf_path = models.CharField(max_length=200, blank=True)
    pdf_fingerprint = models.CharField(max_length=64, blank=True)
    generated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    encrypted_files: ClassVar[dict[str, str]] = {"pdf_path": "certificate.pdf"}

    class Meta:
        verbose_name = verbose_name_plural = "电子证书"

    def __str__(self) -> str:
        return f"电子证书 {self.certificate_id}"

    def store_pdf(self, content: bytes, fingerprint: str) -> str:
        """Store a new PDF (encrypted: it carries the photo); returns the path of the one it replaces."""
        old = self.pdf_path
        self.pdf_path = pii.save_file(content, "certificate.pdf")
        self.pdf_fingerprint = fingerprint
        self.generated_at = timezone.now()
        return old

    def read_pdf(self) -> bytes:
        return pii.read_file(self.pdf_path, "certificate.pdf")
