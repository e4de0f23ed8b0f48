"""The way in: 头像和昵称, the registered-user check, SMS, 用户注册, face verification, tokens.

`common` holds the router; `profile`, `signup`, `face` and `tokens` add their operations to it, in this order.
"""

from __future__ import annotations

# isort: off
# The operations join the router in the order of the way in (so the OpenAPI document lists them so).
from jianli.api.way_in import profile, signup, face, tokens  # noqa: F401
# isort: on
from jianli.api.way_in.common import decode_base64, router
from jianli.api.way_in.face import face_providers, face_started
from jianli.api.way_in.tokens import me

__all__ = ["decode_base64", "face_providers", "face_started", "me", "router"]
