"""/api/docs: the API described from its own OpenAPI document on a server-rendered page, every operation listed,
under the strict CSP (no CDN, no violations)."""

from __future__ import annotations

from jianli.api.api import api


def test_docs_page_renders_under_the_csp(desktop) -> None:  # type: ignore[no-untyped-def]
    page = desktop
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    page.goto("/api/docs")
    page.wait_for_selector(".api-operation", timeout=15000)
    operations = [op for ops in api.get_openapi_schema()["paths"].values() for op in ops.values()]
    assert page.locator(".api-operation").count() == len(operations) >= 30
    for op in operations:
        assert page.locator(f"#{op['operationId']}").count() == 1, op["operationId"]
    assert page.get_by_text("监理工程师执业资格认定 接口").first.is_visible()
    assert not [t for t in problems if "Content Security Policy" in t or "failed:" in t], problems
