"""The API's documentation page (/api/docs): the OpenAPI description read as a page of the site, in Chinese,
without Swagger UI's scripts (which failed axe: no page language, low contrast, buttons inside buttons)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jianli.api.api import api

METHODS = ("get", "post", "put", "patch", "delete")


def _type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return " | ".join(_type(s) for s in schema[key])
    kind = schema.get("type", "")
    if kind == "array":
        return f"{_type(schema.get('items', {}))}[]"
    return str(schema.get("format") or kind or "任意")


def _body(operation: dict[str, Any]) -> str:
    content = operation.get("requestBody", {}).get("content", {})
    return ", ".join(f"{kind}：{_type(c.get('schema', {}))}" for kind, c in content.items())


def _responses(operation: dict[str, Any]) -> list[dict[str, str]]:
    rows = []
    for status, response in operation.get("responses", {}).items():
        content: dict[str, Any] = response.get("content", {})
        first: dict[str, Any] = next(iter(content.values()), {})
        schema = first.get("schema", {})
        rows.append({"status": status, "description": response.get("description", ""),
                     "schema": _type(schema) if schema else ""})
    return rows


def docs(request: HttpRequest) -> HttpResponse:
    spec = api.get_openapi_schema()
    operations = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            operations.append({
                "id": op.get("operationId", ""), "method": method.upper(), "path": path,
                "summary": op.get("summary", ""), "description": op.get("description", ""),
                "tags": op.get("tags", []),
                "parameters": [
                    {"name": p["name"], "in": p.get("in", ""), "required": p.get("required", False),
                     "type": _type(p.get("schema", {})), "description": p.get("description", "")}
                    for p in op.get("parameters", [])
                ],
                "body": _body(op), "responses": _responses(op),
                "secured": bool(op.get("security")),
            })
    schemas = [
        {"name": name, "description": s.get("description", ""),
         "fields": [{"name": f, "type": _type(fs), "required": f in s.get("required", []),
                     "description": fs.get("description", "") or fs.get("title", "")}
                    for f, fs in s.get("properties", {}).items()]}
        for name, s in spec.get("components", {}).get("schemas", {}).items()
    ]
    info = spec.get("info", {})
    return render(request, "api/docs.html", {
        "info": info, "paragraphs": [p for p in str(info.get("description", "")).split("\n\n") if p],
        "operations": operations, "schemas": schemas,
    })
