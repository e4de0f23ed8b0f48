"""The registrations app's models, one module per subject: `application` (the application, its versions,
attachments and events), `registration` (registrations, reminders, certificates, the roster) and `casework`
(the calendar, decisions waiting for 复核, counts by state). Every model is importable from here."""

from __future__ import annotations

from jianli.registrations.models.application import (
    DECIDED_STATES,
    OPEN_STATES,
    QUEUE_STATES,
    ActorKind,
    Application,
    ApplicationEvent,
    ApplicationVersion,
    Attachment,
    BusinessType,
    State,
)
from jianli.registrations.models.casework import (
    CalendarDay,
    RejectionProposal,
    StateCount,
)
from jianli.registrations.models.registration import (
    Certificate,
    ExpiryReminder,
    Qualification,
    Registration,
)

__all__ = [
    "ActorKind",
    "Application",
    "ApplicationEvent",
    "ApplicationVersion",
    "Attachment",
    "BusinessType",
    "CalendarDay",
    "Certificate",
    "DECIDED_STATES",
    "ExpiryReminder",
    "OPEN_STATES",
    "QUEUE_STATES",
    "Qualification",
    "Registration",
    "RejectionProposal",
    "State",
    "StateCount",
]
