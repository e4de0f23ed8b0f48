"""The applicant's applications: drafts per business type, submit, progress, withdraw."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["申请人：办件"])
