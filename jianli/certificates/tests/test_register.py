"""我的证照, the verification page and the public register: who sees what, and never a personal field."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jianli.certificates import services
from jianli.certificates.tests.helpers import registered
from jianli.testing import cast

pytestmark = pytest.mark.django_db


def _personal(registration) -> dict[str, str]:  # type: ignore[no-untyped-def]
    a = registration.applicant
    return {"id_number": a.id_number, "id_tail": a.id_number[-6:], "mobile": a.mobile, "mobile_tail": a.mobile[-4:]}


def test_my_certificates_lists_and_downloads_only_my_own():
    registration = registered()
    me = Client()
    cast.sign_in(me, registration.applicant)
    page = me.get("/certificates/").content.decode()
    number = registration.current_certificate.number
    assert "我的证照" in page and number in page and "有效" in page
    response = me.get(f"/certificates/{number}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    other = Client()
    cast.sign_in(other, cast.applicant(name="李四", sequence=34))
    assert other.get(f"/certificates/{number}/pdf/").status_code == 404
    assert number not in other.get("/certificates/").content.decode()
    assert Client().get("/certificates/").status_code == 302


def test_verification_page_shows_only_what_the_register_publishes(client):
    registration = registered()
    electronic = services.electronic_for(registration.current_certificate)
    page = client.get(f"/verify/{electronic.token}").content.decode()
    assert registration.number in page and "王建国" in page and "北京华建工程监理有限公司" in page
    for value in _personal(registration).values():
        assert value not in page
    assert client.get("/verify/not-a-token").status_code == 404
    assert client.get("/verify/" + "x" * 200).status_code == 404


def test_register_search_never_shows_an_id_number_or_a_mobile(client):
    registration = registered()
    personal = _personal(registration)
    a = registration.applicant
    # Every personal field, alone and in each box: no result, and none of it on the page.
    tries = []
    for value in [*personal.values(), a.name, a.masked_id_number, a.masked_mobile]:
        tries += [{"name": value}, {"number": value}, {"employer": value}, {"name": a.name, "number": value}]
    for query in tries:
        page = client.get("/engineers/", query).content.decode()
        assert "查询结果（共1人）" not in page, query
        # What was typed is echoed in the form; nothing else personal may be on the page.
        for typed in query.values():
            page = page.replace(typed, "").replace(quote(typed), "")
        for value in personal.values():
            assert value not in page, query
        testing_cache_clear()
    with CaptureQueriesContext(connection) as read:
        found = client.get("/engineers/", {"name": "王建国", "number": registration.number}).content.decode()
        by_employer = client.get("/engineers/", {"employer": "华建工程监理"}).content.decode()
    assert "查询结果（共1人）" in found and registration.number in found
    assert "查询结果（共1人）" in by_employer and "王建国" in by_employer and "北京华建工程监理有限公司" in by_employer
    # Nor are they read (and decrypted) to answer an anonymous search.
    for sql in [q["sql"] for q in read.captured_queries if 'FROM "registrations_registration"' in q["sql"]]:
        for column in ("id_number", "mobile", "id_photo_embedding"):
            assert f'"accounts_applicant"."{column}"' not in sql, column
    for page in (found, by_employer):
        for value in personal.values():
            assert value not in page


def testing_cache_clear() -> None:
    from django.core.cache import cache

    cache.clear()


def test_register_search_explains_what_is_missing_at_the_field(client):
    page = client.get("/engineers/", {"name": "王建国"})
    assert page.status_code == 422 and "请填写注册号" in page.content.decode()
    page = client.get("/engineers/", {"employer": "华建"})
    assert page.status_code == 422 and "至少4个字" in page.content.decode()


def test_register_search_pages_an_employers_engineers(client):
    emp = cast.employer(1, "北京华建工程监理有限公司")
    for i in range(services.REGISTER_PAGE_SIZE + 1):
        person = cast.applicant(name=f"工程师{i}", sequence=100 + 2 * i)
        cast.registration(person, emp, valid_until=dt.date.today() + dt.timedelta(days=400))
    first = client.get("/engineers/", {"employer": emp.uscc}).content.decode()
    assert f"查询结果（共{services.REGISTER_PAGE_SIZE + 1}人）" in first and "第1页，共2页" in first
    second = client.get("/engineers/", {"employer": emp.uscc, "page": "2"}).content.decode()
    assert second.count("<dt>注册号</dt>") == 1
    assert client.get("/engineers/", {"employer": emp.uscc, "page": "x"}).status_code == 200


def test_register_search_is_rate_limited(client, settings):
    settings.JIANLI_RATE_REGISTER_PER_ADDRESS = (3, 60)
    for _ in range(3):
        assert client.get("/engineers/", {"employer": "华建工程监理"}).status_code == 200
    page = client.get("/engineers/", {"employer": "华建工程监理"})
    assert page.status_code == 429 and "查询过于频繁" in page.content.decode()
