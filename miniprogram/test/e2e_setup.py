"""The e2e journey's world on the server's fresh database: an employer with an OA key, a reviewer with a
review/decide key, and the ministry's qualification record of the applicant who will register. Prints JSON."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.api_contract.fuzz_settings")
django.setup()


def main() -> None:
    from jianli import pii, testing
    from jianli.api import credentials
    from jianli.registrations.models import Qualification
    from jianli.testing import cast

    employer = cast.employer(7, "北京华建工程监理有限公司")
    staff = cast.staff(employer, "oa")
    reviewer = cast.reviewer("miniprogram-reviewer")
    number = testing.id_number(dt.date(1988, 8, 8), 61)
    Qualification.objects.create(
        certificate_number="JL2024110100061", name="周杰", id_hash=pii.lookup_hash(number),
        category="土木建筑工程", obtained_on=dt.date(2024, 10, 20),
    )
    print(json.dumps({
        "name": "周杰",
        "id_number": number,
        "mobile": "13700001111",
        "qualification_number": "JL2024110100061",
        "employer_uscc": employer.uscc,
        "employer_key": credentials.api_key_create(name="OA", scopes=[f"employer:{employer.pk}"], user=staff.user)[0],
        "reviewer_key": credentials.api_key_create(
            name="审查", scopes=["ministry:review", "ministry:decide"], user=reviewer
        )[0],
        "id_photo": base64.b64encode(testing.grace_hopper()).decode(),
        "pdf": base64.b64encode(testing.pdf_bytes()).decode(),
    }))


if __name__ == "__main__":
    main()
