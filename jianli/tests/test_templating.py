"""The pages' template engine writes what Django's engine wrote for the same values, and refuses what Django's
would have hidden: a method printed without being called."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import engines
from django.urls import NoReverseMatch, set_script_prefix

from jianli.templating import _fixed_url

NOON_UTC = dt.datetime(2026, 1, 5, 6, 30, tzinfo=dt.UTC)  # 14:30 in Beijing


def render(text: str, **context: object) -> str:
    return engines["jinja2"].from_string(text).render(context)


def test_urls_are_djangos_and_fixed_ones_are_reversed_once() -> None:
    _fixed_url.cache_clear()
    page = "{{ url('portal:more') }}|{{ url('portal:progress_detail', 7) }}|{{ url(view) }}"
    assert render(page, view="portal:contact") == "/more/|/progress/7/|/contact/"
    assert render(page, view="portal:manual") == "/more/|/progress/7/|/manual/"
    info = _fixed_url.cache_info()
    assert (info.misses, info.hits) == (3, 1)  # more, contact, manual; more again from the cache


def test_a_deployment_under_a_path_prefix_gets_its_own_urls() -> None:
    try:
        set_script_prefix("/jianli/")
        assert render("{{ url('portal:more') }}") == "/jianli/more/"
    finally:
        set_script_prefix("/")
    assert render("{{ url('portal:more') }}") == "/more/"


def test_an_unknown_view_is_still_an_error() -> None:
    with pytest.raises(NoReverseMatch):
        render("{{ url('portal:no_such_page') }}")


def test_a_missing_value_or_none_prints_nothing_however_deep() -> None:
    page = "[{{ nothing }}|{{ nothing.name }}|{{ empty }}|{{ empty.name }}|{{ d.a.b }}]"
    assert render(page, empty=None, d={}) == "[||||]"


def test_times_print_in_beijing_time_as_djangos_engine_printed_them() -> None:
    django = engines["django"].from_string("{{ at }}|{{ at|date:'Y/m/d H:i' }}|{{ day }}").render(
        {"at": NOON_UTC, "day": dt.date(2026, 1, 5)}
    )
    ours = render("{{ at }}|{{ at|date('Y/m/d H:i') }}|{{ day }}", at=NOON_UTC, day=dt.date(2026, 1, 5))
    assert ours == django
    assert "14:30" in ours and "2026年1月5日" in ours
    assert render("{{ at|table_time }}|{{ at|time('H:i') }}", at=NOON_UTC) == "2026/01/05 14:30|14:30"


def test_djangos_filters_write_what_they_wrote() -> None:
    assert render("{{ 1536|filesizeformat }}|{{ flag|yesno('是,否') }}|{{ '7'|add(1) }}|{{ 2.345|floatformat(2) }}",
                  flag=False) == "1.5\xa0KB|否|8|2.35"
    assert render("{{ x|default('—', true) }}|{{ 'a b'|urlencode }}", x="") == "—|a%20b"


def test_a_method_printed_without_being_called_is_an_error_not_text() -> None:
    class Rating:
        def get_level_display(self) -> str:
            return "满意"

    assert render("{{ r.get_level_display() }}", r=Rating()) == "满意"
    with pytest.raises(TypeError, match="without calling it"):
        render("{{ r.get_level_display }}", r=Rating())


def test_values_are_escaped_and_markup_is_not() -> None:
    from markupsafe import Markup

    assert render("{{ a }}{{ b }}", a="<b>", b=Markup("<i>x</i>")) == "&lt;b&gt;<i>x</i>"


def test_the_test_client_sees_the_pages_context(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/faq/")
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "portal/faq.html"
    assert response.context["questions"]
