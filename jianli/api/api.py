"""The JSON API (/api/v1/) for the mini program and integrations: one error shape everywhere.

The API adds no business rule: every operation calls the same service functions as the pages.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from jianli.api import applications, certificates, examples, integrations, more, platforms, ratings, way_in
from jianli.api.examples import TAGS
from jianli.errors import ServiceError
from jianli.ops.errors import report
from jianli.ops.views import unavailable

logger = logging.getLogger("jianli.api")


class JianliAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Any) -> str:
        # Short, stable ids for generated clients: the view function's name (unique across the API).
        return str(operation.view_func.__name__)

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return examples.annotate(schema, STATUS_MESSAGES, STATUS_CODES)


api = JianliAPI(
    title="监理工程师执业资格认定 接口",
    version="1.0.0",
    description=(
        "小程序与对接系统使用的接口。错误统一为 {code, message, fields}（message 为中文，fields 按字段给出说明）。\n\n"
        "申请人：1) POST /v1/profile 设置昵称（和头像），得到平台用户凭证；"
        "2) POST /v1/applicants/check 验证是否为已注册用户，未注册的经 /v1/sms-codes 与 POST /v1/applicants 注册，"
        "两者都得到待人脸识别凭证；3) POST /v1/face-verifications 开始人脸识别（腾讯云返回 BizToken，微信返回 verify_id），"
        "小程序完成核验后 POST .../finish 拉取结果，通过后得到访问令牌（15分钟）和刷新令牌（每次刷新轮换）；"
        "4) 以访问令牌办理草稿、提交（可带 Idempotency-Key）、进度查询、撤回、补正、信息修改"
        "（更换证件照分两步：POST /v1/me/id-photo 上传新证件照并开始人脸识别，"
        "POST /v1/me/id-photo/{id}/finish 提交采集，与新证件照比对通过才更换）。\n\n"
        "对接系统：使用本单位的接口密钥（请求头 X-API-Key），权限范围 employer:<单位ID>（企业上报）、"
        "ministry:review（审查）、ministry:decide（准予或不予注册）。"
    ),
    # The paths start with /api/, so the server is the site itself.
    servers=[{"url": settings.SITE_URL.rstrip("/"), "description": "本站"}],
    docs_url=None,  # /api/docs is our own page (jianli/api/docs.py)
    openapi_url="/openapi.json",
    urls_namespace="api",
    openapi_extra={"tags": TAGS},
)

STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    503: "unavailable",
}
STATUS_MESSAGES = {
    400: "请求格式不正确。",
    401: "请先登录，或登录已失效，请重新进行人脸识别。",
    403: "您无权进行此操作。",
    404: "未找到该对象。",
    405: "不支持该请求方法。",
    409: "该对象已被他人处理，请刷新后查看最新状态。",
    413: "请求内容过大。",
    415: "不支持的内容类型。",
    422: "请检查填写的信息。",
    429: "请求过于频繁，请稍后再试。",
    503: "服务暂时不可用，请稍后再试。",
}

# pydantic error types in the words an applicant reads.
VALIDATION_MESSAGES = {
    "missing": "此项为必填项",
    "extra_forbidden": "不支持该字段",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "dict_type": "应为对象",
    "list_type": "应为列表",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "string_too_short": "不能为空",
    "string_too_long": "内容过长",
    "too_short": "数量不足",
    "too_long": "数量过多",
    "literal_error": "不是可选的值",
    "enum": "不是可选的值",
    "string_pattern_mismatch": "格式不正确",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "greater_than": "数值过小",
    "less_than": "数值过大",
    "json_invalid": "不是有效的 JSON",
    "date_type": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "uuid_parsing": "格式不正确",
    "value_error": "格式不正确",
}


# Fields whose format the schema states; a mismatch gets the words the pages use.
FIELD_MESSAGES = {
    "id_number": "身份证号码应为18位，最后一位可以是数字或X",
    "mobile": "请输入正确的11位手机号码",
    "sms_code": "验证码为6位数字",
    "consent": "请阅读并勾选授权项后再进行人脸识别",
}


def error_body(code: str, message: str, fields: dict[str, str] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "fields": fields or {}}


def _respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
    return api.create_response(request, body, status=status)


@api.exception_handler(ServiceError)
def _service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return _respond(request, exc.status, error_body(exc.code, exc.message, exc.fields))


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    # ninja's locations start with the source ("body", "query", "path") and the argument name.
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "form", "file", "cookie"):
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in ("payload", "filters"):
        parts = parts[1:]
    if len(parts) > 1 and parts[0] == "data":
        # 申报信息 is keyed by field name: report the field as the pages do (union member names dropped).
        return parts[1]
    return ".".join(parts) or "body"


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, str] = {}
    for error in exc.errors:
        name = _field_name(error.get("loc", ()))
        kind = str(error.get("type"))
        message = VALIDATION_MESSAGES.get(kind, "格式不正确")
        if "[key]" in [str(p) for p in error.get("loc", ())]:
            message = "没有这一项"
        if kind in ("string_pattern_mismatch", "literal_error") and name in FIELD_MESSAGES:
            message = FIELD_MESSAGES[name]
        if kind == "text":
            message = str(error.get("msg"))
        fields.setdefault(name, message)
    return _respond(request, 422, error_body("invalid", "请检查填写的信息。", fields))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _respond(request, 401, error_body("unauthorized", STATUS_MESSAGES[401]))


@api.exception_handler(AuthorizationError)
def _unauthorized(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
    return _respond(request, 403, error_body("forbidden", STATUS_MESSAGES[403]))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    status = exc.status_code
    return _respond(
        request, status, error_body(STATUS_CODES.get(status, "error"), STATUS_MESSAGES.get(status, str(exc)))
    )


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _respond(request, 413, error_body("too_large", "请求内容过大，图片请压缩后再上传。"))


@api.exception_handler(DatabaseError)
def _database_unavailable(request: HttpRequest, exc: DatabaseError) -> HttpResponse:
    logger.exception("database error in the API")
    report(exc)
    return unavailable(request)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _respond(request, 404, error_body("not_found", STATUS_MESSAGES[404]))


def _mount() -> None:
    api.add_router("/v1/", way_in.router)
    api.add_router("/v1/", platforms.router)
    api.add_router("/v1/", applications.router)
    api.add_router("/v1/", more.router)
    api.add_router("/v1/", certificates.router)
    api.add_router("/v1/", ratings.router)
    api.add_router("/v1/", integrations.router)


_mount()
