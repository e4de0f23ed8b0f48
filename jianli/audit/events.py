"""One named function per audited event, all writing through `_record`."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Any

from django.http import HttpRequest

from jianli.audit.context import current_request
from jianli.audit.models import AuditEvent
from jianli.net import client_ip
from jianli.ops.context import current_request_id


def _actor(request: HttpRequest | None) -> tuple[str, int | None, str]:
    if request is None:
        return "system", None, ""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return "staff", user.pk, user.get_username()
    applicant = getattr(request, "applicant", None)
    if applicant is not None:
        return "applicant", applicant.pk, applicant.name
    return "anonymous", None, ""


def _record(
    action: str,
    request: HttpRequest | None = None,
    *,
    applicant_id: int | None = None,
    application_id: int | None = None,
    actor: tuple[str, int | None, str] | None = None,
    **detail: Any,
) -> AuditEvent:
    kind, actor_id, label = actor or _actor(request)
    return AuditEvent.objects.create(
        request_id=current_request_id(),
        action=action,
        actor_kind=kind,
        actor_id=actor_id,
        actor_label=label,
        applicant_id=applicant_id,
        application_id=application_id,
        ip=client_ip(request) if request is not None else None,
        detail=detail,
    )


def applicant_registered(request: HttpRequest | None, applicant_id: int) -> AuditEvent:
    return _record("applicant_registered", request, applicant_id=applicant_id)


def applicant_signed_in(request: HttpRequest | None, applicant_id: int, method: str) -> AuditEvent:
    return _record("applicant_signed_in", request, applicant_id=applicant_id, method=method)


def staff_signed_in(request: HttpRequest | None, user_id: int, console: str) -> AuditEvent:
    return _record("staff_signed_in", request, console=console)


def registered_user_checked(request: HttpRequest | None, found: bool) -> AuditEvent:
    return _record("registered_user_checked", request, found=found)


def face_verification_attempted(
    request: HttpRequest | None, applicant_id: int, provider: str, result: str, reason: str,
    purpose: str = "sign_in",
) -> AuditEvent:
    return _record(
        "face_verification", request, applicant_id=applicant_id, provider=provider, result=result, reason=reason,
        purpose=purpose,
    )


def verified_in_person(
    request: HttpRequest | None, applicant_id: int, reason: str, *, by_user: Any = None
) -> AuditEvent:
    actor = ("staff", by_user.pk, by_user.get_username()) if request is None and by_user is not None else None
    return _record("verified_in_person", request, applicant_id=applicant_id, actor=actor, reason=reason)


def application_transition(
    request: HttpRequest | None,
    application_id: int,
    applicant_id: int,
    action: str,
    from_state: str,
    to_state: str,
    actor: tuple[str, int | None, str] | None = None,
) -> AuditEvent:
    return _record(
        "application_transition",
        request,
        application_id=application_id,
        applicant_id=applicant_id,
        actor=actor,
        transition=action,
        from_state=from_state,
        to_state=to_state,
    )


def personal_data_viewed(
    request: HttpRequest | None, applicant_id: int, what: str, application_id: int | None = None
) -> AuditEvent:
    return _record(
        "personal_data_viewed", request, applicant_id=applicant_id, application_id=application_id, what=what
    )


def personal_data_listed(request: HttpRequest | None, applicant_ids: list[int], what: str) -> int:
    """One row per person a staff search showed (one INSERT), so the audit log finds it by person."""
    kind, actor_id, label = _actor(request)
    ip = client_ip(request) if request is not None else None
    rows = [AuditEvent(request_id=current_request_id(), action="personal_data_viewed", actor_kind=kind,
                       actor_id=actor_id, actor_label=label, applicant_id=pk, ip=ip, detail={"what": what})
            for pk in dict.fromkeys(applicant_ids)]
    AuditEvent.objects.bulk_create(rows)
    return len(rows)


def progress_queried(request: HttpRequest | None, own: bool, business_type: str) -> AuditEvent:
    return _record("progress_queried", request, own=own, business_type=business_type)


def profile_changed(request: HttpRequest | None, applicant_id: int, fields: list[str]) -> AuditEvent:
    return _record("profile_changed", request, applicant_id=applicant_id, fields=fields)


def decision_proposed(
    request: HttpRequest | None, application_id: int, applicant_id: int, decision: str, reason: str
) -> AuditEvent:
    """拟不予注册 (rejection_proposed) or 拟准予注册 awaiting 复核 (approval_proposed)."""
    action = "rejection_proposed" if decision == "reject" else "approval_proposed"
    return _record(action, request, application_id=application_id, applicant_id=applicant_id, reason=reason)


def decision_declined(request: HttpRequest | None, application_id: int, applicant_id: int, decision: str) -> AuditEvent:
    action = "rejection_declined" if decision == "reject" else "approval_declined"
    return _record(action, request, application_id=application_id, applicant_id=applicant_id)


def certificate_downloaded(request: HttpRequest | None, certificate_id: int, applicant_id: int) -> AuditEvent:
    return _record("certificate_downloaded", request, applicant_id=applicant_id, certificate_id=certificate_id)


# ---------------------------------------------------------------- staff accounts, roles and credentials
# Written from model signals (jianli.accounts.staff): the request is the one being served, if any; without one
# (a management command, a shell) the actor is the system, labelled with the OS user and the command.


def _request_or_current(request: HttpRequest | None) -> HttpRequest | None:
    return request if request is not None else current_request()


def _staff_record(action: str, request: HttpRequest | None, **detail: Any) -> AuditEvent:
    request = _request_or_current(request)
    actor = None
    if request is None:
        actor = ("system", None, f"{getpass.getuser()}: {Path(sys.argv[0]).name} {' '.join(sys.argv[1:2])}"[:100])
    return _record(action, request, actor=actor, **detail)


def staff_account_created(request: HttpRequest | None, user: Any, *, password_temporary: bool) -> AuditEvent:
    return _staff_record(
        "staff_account_created", request, user_id=user.pk, username=user.get_username(), is_active=user.is_active,
        is_staff=user.is_staff, is_superuser=user.is_superuser, password_temporary=password_temporary,
    )


def staff_account_changed(request: HttpRequest | None, user: Any, changes: dict[str, list[Any]]) -> AuditEvent:
    return _staff_record("staff_account_changed", request, user_id=user.pk, username=user.get_username(),
                         changes=changes)


def staff_account_deleted(request: HttpRequest | None, user_id: int, username: str) -> AuditEvent:
    return _staff_record("staff_account_deleted", request, user_id=user_id, username=username)


def staff_roles_changed(
    request: HttpRequest | None, user_id: int, username: str, *, added: list[str], removed: list[str]
) -> AuditEvent:
    return _staff_record("staff_roles_changed", request, user_id=user_id, username=username, added=added,
                         removed=removed)


def role_changed(request: HttpRequest | None, group: str, change: str, **detail: Any) -> AuditEvent:
    return _staff_record("role_changed", request, group=group, change=change, **detail)


def staff_password_changed(
    request: HttpRequest | None, user: Any, *, by_self: bool, temporary: bool, usable: bool
) -> AuditEvent:
    return _staff_record("staff_password_changed", request, user_id=user.pk, username=user.get_username(),
                         by_self=by_self, temporary=temporary, usable=usable)


def staff_authenticator_changed(request: HttpRequest | None, user_id: int, username: str, change: str) -> AuditEvent:
    return _staff_record("staff_authenticator_changed", request, user_id=user_id, username=username, change=change)


def api_key_changed(request: HttpRequest | None, key: Any, change: str) -> AuditEvent:
    return _staff_record("api_key_changed", request, change=change, prefix=key.prefix, name=key.name,
                         scopes=list(key.scopes), user_id=key.user_id)


def roster_imported(request: HttpRequest | None, **detail: Any) -> AuditEvent:
    """An import of the qualification roster: by the command (the system user) or uploaded in the admin."""
    return _staff_record("roster_imported", request, **detail)


def roster_edited_by_hand(request: HttpRequest | None, **detail: Any) -> AuditEvent:
    """A roster record added or changed in the admin; ID numbers in `changes` are masked."""
    return _staff_record("roster_edited_by_hand", request, **detail)


def data_exported(request: HttpRequest | None, *, what: str, query: str) -> AuditEvent:
    return _record("data_exported", request, what=what, query=query)


def registration_lapsed(registration_id: int, applicant_id: int, reason: str) -> AuditEvent:
    return _record("registration_lapsed", None, applicant_id=applicant_id, registration=registration_id, reason=reason)


def registration_over_age(registration_id: int, applicant_id: int) -> AuditEvent:
    return _record("registration_over_age", None, applicant_id=applicant_id, registration=registration_id)


# ---------------------------------------------------------------- an employer's own staff (jianli.employers.services)


def employer_staff_created(request: HttpRequest | None, *, employer_id: int, user_id: int, username: str) -> AuditEvent:
    return _record("employer_staff_created", request, employer_id=employer_id, user_id=user_id, username=username)


def employer_staff_disabled(request: HttpRequest | None, *, employer_id: int, user_id: int, username: str) -> AuditEvent:
    return _record("employer_staff_disabled", request, employer_id=employer_id, user_id=user_id, username=username)


def employer_staff_enabled(request: HttpRequest | None, *, employer_id: int, user_id: int, username: str) -> AuditEvent:
    return _record("employer_staff_enabled", request, employer_id=employer_id, user_id=user_id, username=username)


def employer_staff_reset(request: HttpRequest | None, *, employer_id: int, user_id: int, username: str) -> AuditEvent:
    return _record("employer_staff_reset", request, employer_id=employer_id, user_id=user_id, username=username)
