"""API lists page by keyset (cursor → next_cursor), and every API key has a per-minute rate limit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jianli.registrations.models import Application, State

pytestmark = pytest.mark.django_db


def _bulk(alice, employer, n: int, state: State) -> list[int]:  # type: ignore[no-untyped-def]
    now = timezone.now()
    rows = Application.objects.bulk_create(
        Application(number=f"JLPAGE{i:08d}", applicant=alice.applicant, employer=employer, business_type="initial",
                    state=state, data={}, version=1, submitted_at=now - dt.timedelta(minutes=100 - i % 3),
                    reported_at=now)
        for i in range(n)
    )
    return sorted((r.pk for r in rows), key=lambda pk: (Application.objects.get(pk=pk).submitted_at, pk))


def _walk(api, path: str, key: str, limit: int) -> tuple[list[int], int]:  # type: ignore[no-untyped-def]
    seen: list[int] = []
    cursor, pages = None, 0
    while True:
        params = f"?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        r = api.get(path + params, **{"X-API-Key": key})
        assert r.status_code == 200, r.content
        body = r.json()
        seen += [c["id"] for c in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return seen, pages


def test_employer_list_pages_by_cursor(api, alice, employer, employer_key) -> None:  # type: ignore[no-untyped-def]
    expected = _bulk(alice, employer, 7, State.AWAITING_EMPLOYER)
    seen, pages = _walk(api, "employer/applications", employer_key, 3)
    assert seen == expected and pages == 3
    assert api.get("employer/applications?limit=3", **{"X-API-Key": employer_key}).json()["count"] == 7


def test_review_list_pages_by_cursor(api, alice, employer, reviewer_key) -> None:  # type: ignore[no-untyped-def]
    expected = _bulk(alice, employer, 5, State.AWAITING_REVIEW)
    seen, pages = _walk(api, "review/applications", reviewer_key, 2)
    assert seen == expected and pages == 3


def test_a_bad_cursor_is_a_422_at_the_field(api, employer_key) -> None:  # type: ignore[no-untyped-def]
    for bad in ("nonsense", "bm9uc2Vuc2U=", "%FF"):
        r = api.get(f"employer/applications?cursor={bad}", **{"X-API-Key": employer_key})
        assert r.status_code == 422 and set(r.json()) == {"code", "message", "fields"}
        assert "cursor" in r.json()["fields"]


def test_each_api_key_has_a_rate_limit(api, settings, employer_key, reviewer_key) -> None:  # type: ignore[no-untyped-def]
    settings.JIANLI_RATE_API_KEY_PER_MINUTE = 3
    for _ in range(3):
        assert api.get("employer/applications", **{"X-API-Key": employer_key}).status_code == 200
    r = api.get("employer/applications", **{"X-API-Key": employer_key})
    assert r.status_code == 429
    assert r.json()["code"] == "rate_limited" and "频繁" in r.json()["message"] and set(r.json()) == {
        "code", "message", "fields"}
    # Another key has its own budget; a forged key is still a 401, not counted.
    assert api.get("review/applications", **{"X-API-Key": reviewer_key}).status_code == 200
    assert api.get("review/applications", **{"X-API-Key": "jlk_forged"}).status_code == 401


def test_the_lists_read_no_personal_data_they_do_not_show(api, alice, employer, reviewer_key,  # type: ignore[no-untyped-def]
                                                          employer_key) -> None:
    six = _bulk(alice, employer, 6, State.AWAITING_REVIEW)
    Application.objects.filter(pk__in=six[:3]).update(state=State.AWAITING_EMPLOYER)
    for path, key in (("review/applications", reviewer_key), ("employer/applications", employer_key)):
        with CaptureQueriesContext(connection) as ctx:
            body = api.get(path, **{"X-API-Key": key}).json()
        assert len(body["items"]) == 3
        item = body["items"][0]
        assert item["applicant_name"] == alice.applicant.name and item["employer_name"] == employer.name
        assert item["applicant_id_number_masked"] == alice.applicant.masked_id_number
        page = next(q["sql"] for q in ctx.captured_queries if 'FROM "registrations_application"' in q["sql"])
        for column in ('"registrations_application"."data"', '"accounts_applicant"."mobile"',
                       '"accounts_applicant"."id_photo_embedding"', '"accounts_applicant"."id_photo_path"'):
            assert column not in page, column
