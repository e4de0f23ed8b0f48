"""Examples in /api/openapi.json: one per operation's JSON bodies (request and answers), one per parameter, and
a description per tag. tests/api_contract/test_examples.py checks every one is there and matches its schema.

The sample bodies are in `samples`, the examples by operation and parameter in `operations`; this module has the
tags' descriptions and puts the examples into the document.
"""

from __future__ import annotations

import copy
from typing import Any

from jianli.api.examples.operations import ERROR_FIELDS, OPERATIONS, PARAMETERS

TAGS = [
    {
        "name": "申请人：进入",
        "description": "首次使用（头像和昵称）、微信登录、验证是否为已注册用户、用户注册、人脸识别，"
        "以及访问令牌的刷新和注销。人脸识别通过后才得到访问令牌。",
    },
    {
        "name": "申请人：办件",
        "description": "申报须知、申报信息（五种业务类型的表单、草稿、材料上传）、申报告知与提交（Idempotency-Key），"
        "进度查询、撤回业务和补正。",
    },
    {
        "name": "申请人：好差评",
        "description": "办结（准予、不予、终止）或撤回后，申请人对办件作出好差评（五级），评价期内可以修改；差评须写明理由。",
    },
    {"name": "更多", "description": "“更多”中的信息修改（手机号码、证件照）、操作手册、常见问题和联系电话。"},
    {
        "name": "电子证书与公示查询",
        "description": "我的证照（电子证书及其 PDF）、证书二维码核验，以及公开的注册人员公示查询。",
    },
    {
        "name": "对接：企业上报与部级审核",
        "description": "聘用单位的 OA 系统上报或退回申请，住房和城乡建设部的审查系统领取、要求补正、"
        "准予或不予注册。使用接口密钥（X-API-Key），按权限范围授权。",
    },
]


def annotate(schema: dict[str, Any], messages: dict[int, str], codes: dict[int, str]) -> dict[str, Any]:
    """Put the examples above into a generated OpenAPI document (in place) and return it."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            known = OPERATIONS.get(operation.get("operationId"), {})
            for parameter in operation.get("parameters", []):
                if parameter["name"] in PARAMETERS:
                    parameter["example"] = PARAMETERS[parameter["name"]]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body is not None and "request" in known:
                body["example"] = copy.deepcopy(known["request"])
            for status, answer in operation.get("responses", {}).items():
                media = answer.get("content", {}).get("application/json")
                if media is None:
                    continue
                code = int(status)
                if code < 300 and "response" in known:
                    media["example"] = copy.deepcopy(known["response"])
                elif code >= 400:
                    media["example"] = {"code": codes.get(code, "error"), "message": messages.get(code, ""),
                                        "fields": ERROR_FIELDS.get(code, {})}
    return schema
