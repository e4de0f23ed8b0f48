from __future__ import annotations


class ServiceError(Exception):
    """A business refusal, shown the same way by every interface: a message, and errors per field."""

    def __init__(
        self, code: str, message: str, *, fields: dict[str, str] | None = None, status: int = 400
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields or {}
        self.status = status


class Conflict(ServiceError):
    """The state changed under the caller: someone else acted first."""

    def __init__(self, message: str = "该办件已被他人处理，请刷新后查看最新状态。") -> None:
        super().__init__("conflict", message, status=409)
