"""Make the fuzz run's credentials and a few objects to act on; print them as shell assignments."""

from __future__ import annotations

import datetime as dt
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.api_contract.fuzz_settings")
django.setup()


def main() -> None:
    from django.contrib.auth.models import Group, User

    from jianli import testing
    from jianli.accounts.models import Applicant, Profile
    from jianli.api import credentials
    from jianli.employers.models import Employer, EmployerStaff
    from jianli.testing import cast

    employer = Employer.objects.create(uscc=testing.uscc(9), name="模糊测试监理有限公司")
    user = User.objects.create_user("fuzz-integration", first_name="对接")
    user.groups.add(Group.objects.get_or_create(name="审查")[0])
    EmployerStaff.objects.create(user=user, employer=employer)
    key = credentials.api_key_create(
        name="fuzz", scopes=[f"employer:{employer.pk}", "ministry:review", "ministry:decide"], user=user
    )[0]
    applicant = Applicant(
        name="模糊", id_number=testing.id_number(dt.date(1980, 2, 2), 77), mobile="13800000077"
    )
    applicant.set_id_photo(testing.grace_hopper())
    applicant.save()
    profile = Profile.objects.create(nickname="模糊", applicant=applicant)
    pair = credentials.token_pair_issue(applicant=applicant, profile=profile)
    pending, pending_row = credentials.pending_token_issue(applicant=applicant, profile=profile)
    from jianli.identity import services as identity

    applications = [cast.submitted(applicant, employer)]  # one open initial registration at a time
    verification, _ = identity.verification_start(credential=pending_row.digest, applicant=applicant)
    print(f"ACCESS={pair.access_token}")
    print(f"PENDING={pending}")
    print(f"KEY={key}")
    print(f"FUZZ_APPLICATION_ID={applications[0].pk}")
    print(f"FUZZ_VERIFICATION_ID={verification.public_id}")


if __name__ == "__main__":
    main()
