from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone

from jianli import pii


class Kind(models.TextChoices):
    RECEIPT = "receipt", "受理回执"
    CORRECTION = "correction", "补正告知书"
    APPROVAL = "approval", "准予决定书"
    REJECTION = "rejection", "不予决定书"


class Document(models.Model):
    """A document of the procedure (文书), issued once per application and kind, kept as an encrypted PDF."""

    application = models.ForeignKey("registrations.Application", on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("文书", max_length=20, choices=Kind.choices)
    title = models.CharField("标题", max_length=40)
    number = models.CharField("文书编号", max_length=40, unique=True)
    pdf_path = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    encrypted_files: ClassVar[dict[str, str]] = {"pdf_path": "document.pdf"}

    class Meta:
        verbose_name = verbose_name_plural = "文书"
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "kind"], name="one_document_per_kind")]

    def __str__(self) -> str:
        return f"{self.title} {self.number}"

    def read_pdf(self) -> bytes:
        return pii.read_file(self.pdf_path, "document.pdf")
