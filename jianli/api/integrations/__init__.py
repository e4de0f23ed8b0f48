"""Operations for integrations: the employer's 企业上报 and the ministry's 部级审核, with API keys and scopes.

`cases` holds the router and what both sides share (every lookup goes through its `application_for_employer` or
`application_for_reviewer`, which answer 404 for anything outside the key's reach); `employer` and `ministry` add
their operations to the router.
"""

from __future__ import annotations

from jianli.api.integrations import employer, ministry  # noqa: F401  (their operations join the router)
from jianli.api.integrations.cases import router

__all__ = ["router"]
