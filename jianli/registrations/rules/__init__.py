"""Who may apply for what, and when (《注册监理工程师管理规定》: the conditions, the six refusal cases, validity and lapse).

Each `check_*` returns None when the applicant may go on, or a `Refusal` that says which rule stops them, why,
and what to do instead. `eligibility()` is asked by the 申报须知 page before anything is typed and again by
submission (pages and API alike), so they refuse alike; at approval `decision_refusal()` asks what may have changed
since (the back office never calls `eligibility()` itself).
The next step is named, not linked: `apply_for` (a business type to apply for instead) or `open_application`
(the open application to look at); each interface turns it into its own link.

The rules live by subject: `refusal` (the Refusal and the rules' wording), `person` (age, qualification,
continuing education) and `registration` (open applications, employers, the registration and its renewal);
this module combines them and keeps every name importable as `rules.<name>`.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from jianli.accounts.models import Applicant
from jianli.registrations.models import Application, BusinessType
from jianli.registrations.rules.person import (
    check_age,
    check_continuing_education,
    check_qualification,
    check_roster_match,
    continuing_education_hours,
    find_qualification,
    needs_continuing_education,
    qualification_refusal,
)
from jianli.registrations.rules.refusal import (
    CHANGES_REGISTRATION,
    MAX_AGE,
    QUALIFICATION_CATEGORY,
    QUALIFICATION_FRESH_YEARS,
    RENEWAL_DAYS_BEFORE_EXPIRY,
    RULE_AGE,
    RULE_BASIS,
    RULE_CONTINUING_EDUCATION,
    RULE_EXPIRED,
    RULE_INITIAL_ONCE,
    RULE_NEEDS_REGISTRATION,
    RULE_ONE_CHANGE,
    RULE_ONE_OPEN,
    RULE_QUALIFICATION,
    RULE_RENEWAL_EMPLOYER,
    RULE_RENEWAL_TOO_EARLY,
    RULE_RENEWAL_WINDOW,
    RULE_TWO_EMPLOYERS,
    VALIDITY_YEARS,
    Refusal,
    add_years,
    contact,
)
from jianli.registrations.rules.registration import (
    check_basis,
    check_one_change_at_a_time,
    check_one_employer,
    check_open_application,
    check_registration_for_type,
    check_renewal_employer,
    check_renewal_window,
    current_registration,
    open_application,
    renewal_deadline,
    renewal_opens_on,
    renewed_validity,
)

__all__ = [
    "CHANGES_REGISTRATION", "MAX_AGE", "QUALIFICATION_CATEGORY", "QUALIFICATION_FRESH_YEARS",
    "RENEWAL_DAYS_BEFORE_EXPIRY", "RULE_AGE", "RULE_BASIS", "RULE_CONTINUING_EDUCATION", "RULE_EXPIRED",
    "RULE_INITIAL_ONCE", "RULE_NEEDS_REGISTRATION", "RULE_ONE_CHANGE", "RULE_ONE_OPEN", "RULE_QUALIFICATION",
    "RULE_RENEWAL_EMPLOYER", "RULE_RENEWAL_TOO_EARLY", "RULE_RENEWAL_WINDOW", "RULE_TWO_EMPLOYERS", "VALIDITY_YEARS",
    "Refusal", "add_years", "check_age", "check_basis", "check_continuing_education", "check_one_change_at_a_time",
    "check_one_employer", "check_open_application", "check_qualification", "check_registration_for_type",
    "check_renewal_employer", "check_renewal_window", "check_roster_match", "contact", "continuing_education_hours",
    "current_registration", "decision_refusal", "eligibility", "field_problems", "find_qualification",
    "needs_continuing_education", "open_application", "qualification_refusal", "renewal_deadline",
    "renewal_opens_on", "renewed_validity",
]


def field_problems(*, application: Application, today: dt.date) -> dict[str, str]:
    """Field errors from the roster and the continuing-education requirement (submission and decision alike).

    Initial registration: the typed qualification must match the roster, and whether continuing education is
    due is decided from the roster's 取得日期. Renewal: continuing education of the period is always due."""
    data = application.data or {}
    if application.business_type == BusinessType.INITIAL:
        errors = check_roster_match(applicant=application.applicant, data=data)
        q = find_qualification(applicant=application.applicant)
        needed = q is not None and needs_continuing_education(qualification=q, today=today)
        return {**errors, **check_continuing_education(data=data, needed=needed)}
    if application.business_type == BusinessType.RENEWAL:
        return check_continuing_education(data=data, needed=True)
    return {}


def decision_refusal(*, application: Application, today: dt.date) -> Refusal | None:
    """The rules checked again when the reviewer approves: the basis still there, the renewal's window (on the
    day it was filed) and employer, and no other employer open at once."""
    refusal = check_basis(application=application, today=today)
    if refusal:
        return refusal
    reg = current_registration(applicant=application.applicant)
    if application.business_type == BusinessType.RENEWAL and reg is not None:
        filed = timezone.localdate(application.submitted_at) if application.submitted_at else today
        refusal = check_renewal_window(registration=reg, today=filed) or check_renewal_employer(
            registration=reg, employer_id=application.employer_id
        )
        if refusal:
            return refusal
    return check_one_employer(application=application, employer_id=application.employer_id)


def eligibility(*, applicant: Applicant, business_type: str, today: dt.date) -> Refusal | None:
    """The first refusal for this applicant and business type on `today`, or None. At most three queries.

    Order: age (not for cancellation, which over-65s need), an open application of the same type, the
    registration the type acts on (renewal: its time window), and for initial registration the roster.
    """
    business_type = BusinessType(business_type).value
    if business_type != BusinessType.CANCELLATION:
        refusal = check_age(applicant=applicant, today=today)
        if refusal:
            return refusal
    refusal = check_open_application(applicant=applicant, business_type=business_type)
    if refusal:
        return refusal
    refusal = check_one_change_at_a_time(applicant=applicant, business_type=business_type)
    if refusal:
        return refusal
    reg = current_registration(applicant=applicant)
    refusal = check_registration_for_type(
        applicant=applicant, business_type=business_type, today=today, registration=reg
    )
    if refusal:
        return refusal
    if business_type == BusinessType.RENEWAL and reg is not None:
        refusal = check_renewal_window(registration=reg, today=today)
        if refusal:
            return refusal
    if business_type == BusinessType.INITIAL:
        return check_qualification(applicant=applicant)
    return None
