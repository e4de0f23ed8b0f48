"""{% url %} in every template: a fixed URL is reversed once per process and script prefix, and reads exactly as
Django's own tag would write it (arguments, `as`, escaping, a deployment under a path prefix)."""

from __future__ import annotations

import pytest
from django.template import engines
from django.urls import NoReverseMatch, set_script_prefix

from jianli.template_urls import _reversed

PAGE = (
    "{% url 'portal:more' %}|{% url 'portal:progress_detail' 7 %}|{% url 'portal:faq' as faq %}{{ faq }}"
    "|{% url view %}"
)


def render(text: str, **context: object) -> str:
    return engines["django"].from_string(text).render(context)


def test_urls_read_as_djangos_tag_writes_them_and_are_reversed_once() -> None:
    _reversed.cache_clear()
    assert render(PAGE, view="portal:contact") == "/more/|/progress/7/|/faq/|/contact/"
    assert render(PAGE, view="portal:manual") == "/more/|/progress/7/|/faq/|/manual/"
    info = _reversed.cache_info()
    assert (info.misses, info.hits) == (3, 1)  # more, contact, manual; more again from the cache


def test_a_deployment_under_a_path_prefix_gets_its_own_urls() -> None:
    try:
        set_script_prefix("/jianli/")
        assert render("{% url 'portal:more' %}") == "/jianli/more/"
    finally:
        set_script_prefix("/")
    assert render("{% url 'portal:more' %}") == "/more/"


def test_an_unknown_view_is_still_an_error() -> None:
    with pytest.raises(NoReverseMatch):
        render("{% url 'portal:no_such_page' %}")
