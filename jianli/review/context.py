"""What a reviewer needs beside the file: the person's current registration and certificate, their other open and
past cases with the decisions taken, and their record in the roster (资格库) against what was typed."""

from __future__ import annotations

from dataclasses import dataclass, field

from jianli.registrations import rules
from jianli.registrations.models import (
    OPEN_STATES,
    Application,
    BusinessType,
    Certificate,
    Qualification,
    Registration,
    State,
)
from jianli.registrations.spec import DECISION_WORDS

OTHER_CASES = 20


@dataclass
class CaseContext:
    registration: Registration | None
    certificate: Certificate | None
    open_cases: list[Application] = field(default_factory=list)
    past_cases: list[Application] = field(default_factory=list)
    more_cases: bool = False
    qualification: Qualification | None = None
    roster_problems: dict[str, str] = field(default_factory=dict)


def case_context(app: Application) -> CaseContext:
    registration = Registration.objects.select_related("employer").filter(applicant_id=app.applicant_id).first()
    certificate = (
        Certificate.objects.filter(registration=registration, status=Certificate.Status.VALID).first()
        if registration else None
    )
    others = list(
        Application.objects.filter(applicant_id=app.applicant_id).exclude(pk=app.pk).exclude(state=State.DRAFT)
        .select_related("employer").order_by("-created_at", "-id")[: OTHER_CASES + 1]
    )
    for a in others:
        words = DECISION_WORDS.get(a.business_type, ("", ""))
        a.outcome = {State.APPROVED: words[0], State.REJECTED: words[1]}.get(State(a.state), a.get_state_display())  # type: ignore[attr-defined]
    qualification = rules.find_qualification(applicant=app.applicant)
    problems = (
        rules.check_roster_match(applicant=app.applicant, data=app.data or {})
        if app.business_type == BusinessType.INITIAL else {}
    )
    return CaseContext(
        registration=registration,
        certificate=certificate,
        open_cases=[a for a in others[:OTHER_CASES] if a.state in OPEN_STATES],
        past_cases=[a for a in others[:OTHER_CASES] if a.state not in OPEN_STATES],
        more_cases=len(others) > OTHER_CASES,
        qualification=qualification,
        roster_problems=problems,
    )
