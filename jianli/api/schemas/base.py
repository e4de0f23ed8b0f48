"""What every schema shares: the common field types and `In`, the strict base of every input; `Error`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from jianli import text

Name = Annotated[str, Field(min_length=1, max_length=50)]
IdNumber = Annotated[str, Field(pattern=r"^[0-9]{17}[0-9Xx]$", description="18位居民身份证号码")]
Mobile = Annotated[str, Field(pattern=r"^1[3-9][0-9]{9}$", description="11位手机号码")]
SmsCode = Annotated[str, Field(pattern=r"^[0-9]{6}$", description="6位短信验证码")]
# About 8 MB of picture once decoded.
Base64Image = Annotated[
    str, Field(min_length=1, max_length=11_200_000, description="Base64 编码的 JPG/PNG 图片")
]
BusinessTypeName = Literal["initial", "renewal", "change", "cancellation", "replacement"]


def _text_checked(value: Any) -> None:
    if isinstance(value, str):
        message = text.problem(value, multiline=True)
        if message:
            raise PydanticCustomError("text", message)
    elif isinstance(value, dict):
        for key, item in value.items():
            _text_checked(key)
            _text_checked(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _text_checked(item)


class In(Schema):
    """Every input: strict types, no unknown fields, and every string through jianli.text (no NUL, control or
    bidirectional control characters), reported at its field in Chinese."""

    model_config = ConfigDict(extra="forbid", strict=True)

    @field_validator("*", mode="after")
    @classmethod
    def _text(cls, value: Any) -> Any:
        _text_checked(value)
        return value


class Error(Schema):
    code: str = Field(description="机器可读的错误代码")
    message: str = Field(description="给用户看的中文说明")
    fields: dict[str, str] = Field(description="按字段的错误说明")
