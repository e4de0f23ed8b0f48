"""The session's user, read with what the staff consoles check on every request (fixed_reads.staff_user)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User

from jianli.accounts import fixed_reads


class StaffBackend(ModelBackend):
    """Django's ModelBackend (passwords, permissions, the inactive refused) but for the signed-in user of a
    session: one statement instead of the user, then their groups, temporary-password flag, company account and
    TOTP device each by a query of its own."""

    def get_user(self, user_id: Any) -> User | None:  # type: ignore[override]
        user = fixed_reads.staff_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
