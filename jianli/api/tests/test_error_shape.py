"""Every /api/ error is {code, message, fields}: also unknown paths, wrong methods, too-large bodies; and the
OpenAPI description names the server."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/nothing", "/api/v1/nothing", "/api/v2/profile"])
def test_an_unknown_api_path_is_a_json_404(client, path) -> None:  # type: ignore[no-untyped-def]
    r = client.get(path)
    assert r.status_code == 404 and r["Content-Type"].startswith("application/json")
    assert r.json() == {"code": "not_found", "message": "未找到该接口或对象。", "fields": {}}


def test_a_wrong_method_is_a_json_405_with_allow(client) -> None:  # type: ignore[no-untyped-def]
    r = client.delete("/api/v1/profile")
    assert r.status_code == 405 and r.json()["code"] == "method_not_allowed"
    assert "GET" in r["Allow"]


def test_a_too_large_body_is_a_json_413(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.JIANLI_MAX_REQUEST_BYTES = 100
    r = client.post("/api/v1/profile", "x" * 200, content_type="application/json")
    assert r.status_code == 413 and r.json()["code"] == "too_large"


def test_pages_keep_their_html_404(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/no-such-page")
    assert r.status_code == 404 and r["Content-Type"].startswith("text/html")


def test_openapi_names_the_site_as_server(client, settings) -> None:  # type: ignore[no-untyped-def]
    from django.conf import settings as live

    body = client.get("/api/openapi.json").json()
    assert body["servers"][0]["url"] == live.SITE_URL.rstrip("/")
    assert all(path.startswith("/api/") for path in body["paths"])
    assert "/api/v1/wechat/session" in body["paths"]
