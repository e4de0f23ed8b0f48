"""Every `next` stays on this site: `/\\host` is `//host` to a browser."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.utils.http import url_has_allowed_host_and_scheme

pytestmark = pytest.mark.django_db

OFF_SITE = ["/\\evil.com", "//evil.com", "/\\/evil.com", "https://evil.com/", "\\\\evil.com", "/\t/evil.com"]


def off_site_links(page: str) -> list[str]:
    """Links, form targets and `next` fields of a page that would leave the site."""
    found = re.findall(r'(?:href|action|name="next" value)="([^"]*)"', page)
    return [u for u in map(html.unescape, found) if not url_has_allowed_host_and_scheme(u, allowed_hosts={"testserver"})]


@pytest.fixture
def visitor() -> Client:
    client = Client()
    client.post("/welcome/", {"nickname": "小李"})
    return client


@pytest.mark.parametrize("target", OFF_SITE)
def test_first_use_goes_home_instead(target):
    assert Client().post("/welcome/", {"nickname": "小李", "next": target})["Location"] == "/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_a_returning_visitor_goes_home_instead(visitor, target):
    assert visitor.get("/welcome/", {"next": target})["Location"] == "/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_check_carries_home_instead(visitor, target):
    page = visitor.get("/check/", {"next": target}).content.decode()
    assert off_site_links(page) == [] and 'name="next" value="/"' in page


@pytest.mark.parametrize("target", OFF_SITE)
def test_more_and_large_text_go_home_instead(visitor, target):
    assert off_site_links(visitor.get("/more/", {"next": target}).content.decode()) == []
    assert visitor.post("/large-text/", {"large_text": "1", "next": target})["Location"] == "/"


def test_a_page_of_this_site_is_kept_with_its_query():
    response = Client().get("/progress/?business_type=renewal&x=1")
    assert response["Location"] == "/welcome/?next=%2Fprogress%2F%3Fbusiness_type%3Drenewal%26x%3D1"
    assert Client().post("/welcome/", {"nickname": "小李", "next": "/progress/?business_type=renewal&x=1"})[
        "Location"
    ] == "/progress/?business_type=renewal&x=1"
