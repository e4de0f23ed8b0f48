"""`jianli check-identifiers`: stored ID numbers, mobiles and 统一社会信用代码 that are not their ASCII spelling.

Rows written before identifiers were NFKC-normalised and held to ASCII digits may hold full-width or other
scripts' digits: the same person twice, or a number no lookup finds. Reports them (masked) and exits non-zero;
fixing one is a decision for staff, who can see who it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jianli.accounts.models import Applicant
from jianli.employers.models import Employer
from jianli.identifiers import is_ascii_identifier, mask_id_number, mask_mobile
from jianli.notifications.models import Message


def _masked(value: str) -> str:
    return mask_mobile(value) if len(value) == 11 else mask_id_number(value)


def offending_rows() -> Iterator[tuple[str, int, str, str]]:
    """(table, pk, field, masked value) of every stored identifier that is not ASCII after normalisation."""
    for applicant in Applicant.objects.only("pk", "id_number", "mobile").iterator(chunk_size=500):
        for field in ("id_number", "mobile"):
            value = getattr(applicant, field)
            if not is_ascii_identifier(value):
                yield "applicant", applicant.pk, field, _masked(value)
    for employer in Employer.objects.only("pk", "uscc", "contact_mobile").iterator(chunk_size=500):
        if not is_ascii_identifier(employer.uscc):
            yield "employer", employer.pk, "uscc", _masked(employer.uscc)
        if employer.contact_mobile and not is_ascii_identifier(employer.contact_mobile):
            yield "employer", employer.pk, "contact_mobile", _masked(employer.contact_mobile)
    for message in Message.objects.only("pk", "mobile").iterator(chunk_size=500):
        if not is_ascii_identifier(message.mobile):
            yield "message", message.pk, "mobile", _masked(message.mobile)


class Command(BaseCommand):
    help = "Report stored ID numbers, mobiles and USCCs that are not ASCII after NFKC normalisation."

    def handle(self, *args: Any, **options: Any) -> None:
        found = 0
        for table, pk, field, masked in offending_rows():
            found += 1
            self.stdout.write(f"{table} {pk} {field}: {masked!r}")
        if found:
            raise CommandError(f"{found} stored identifier(s) are not ASCII after normalisation")
        self.stdout.write("all stored identifiers are ASCII")
