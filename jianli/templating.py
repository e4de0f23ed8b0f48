"""The pages' template engine: Jinja2, which compiles each template to Python once.

Django's own engine walks a tree of nodes on every render, looking each variable up by trial and escaping it
through lazy-aware helpers; on the applicant's progress page that was about half of the request's CPU. The
operators' admin keeps Django's engine (its templates are Django's).

The environment behaves as the pages were written for: a missing value prints as nothing, times print in
Beijing time, and a method printed without being called is an error, not text on the page.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

import jinja2
from django.template import defaultfilters
from django.template.backends import jinja2 as django_jinja2
from django.templatetags.static import static
from django.test.signals import template_rendered
from django.urls import get_script_prefix, reverse
from django.utils import formats, timezone

from jianli import dates


@lru_cache(maxsize=256)
def _fixed_url(name: str, script_prefix: str) -> str:
    return reverse(name)


def url(name: str, *args: Any) -> str:
    """A view's URL; those without arguments are reversed once per process and path prefix (a page links to a
    dozen, and `reverse` costs tens of microseconds each)."""
    return reverse(name, args=args) if args else _fixed_url(name, get_script_prefix())


def _finalize(value: Any) -> Any:
    """What Django's engine does to each printed value (aware datetimes in local time, dates and numbers as the
    locale writes them), except that None prints as nothing rather than "None"."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if callable(value) and not isinstance(value, jinja2.Undefined):
        raise TypeError(f"a template printed {value!r} without calling it")
    return formats.localize(_in_local_time(value))


def _in_local_time(value: Any) -> Any:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _local(django_filter: Any) -> Any:
    """Django's date and time filters, given the value in local time as Django's engine gives it them."""
    return lambda value, arg=None: django_filter(_in_local_time(value), arg)


def widthratio(value: float, max_value: float, max_width: float) -> str:
    """Django's {% widthratio %}: value / max_value × max_width, rounded; 0 when there is nothing to divide by."""
    try:
        return str(round(float(value) / float(max_value) * float(max_width)))
    except (ValueError, TypeError, ZeroDivisionError):
        return "0"


def environment(**options: Any) -> jinja2.Environment:
    # The parts of pages that read models, imported when Django builds the engine (the apps are ready then).
    from jianli.accounts import session
    from jianli.documents.panel import application_documents
    from jianli.office.rows import office_rows
    from jianli.ratings.panel import rating_panel
    from jianli.registrations import roles
    from jianli.review import work
    from jianli.review.rows import queue_rows

    env = jinja2.Environment(**{
        **options, "undefined": jinja2.ChainableUndefined, "finalize": _finalize, "keep_trailing_newline": True,
    })
    env.globals.update(
        url=url, static=static, now=timezone.now, widthratio=widthratio, session_seconds_left=session.seconds_left,
        application_documents=application_documents, rating_panel=rating_panel, queue_rows=queue_rows,
        office_rows=office_rows,
    )
    env.filters.update(
        table_date=dates.table_date,
        table_time=dates.table_time,
        prose_date=dates.prose_date,
        # Django's, where the pages use them as Django wrote them.
        add=defaultfilters.add,
        cut=defaultfilters.cut,
        date=_local(defaultfilters.date),
        time=_local(defaultfilters.time),
        filesizeformat=defaultfilters.filesizeformat,
        floatformat=defaultfilters.floatformat,
        stringformat=defaultfilters.stringformat,
        truncatechars=defaultfilters.truncatechars,
        urlencode=defaultfilters.urlencode,
        yesno=defaultfilters.yesno,
        reviewer=roles.is_reviewer,
        team_lead=work.is_team_lead,
    )
    return env


class Template(django_jinja2.Template):
    @property
    def name(self) -> str | None:
        return self.template.name

    def render(self, context: dict[str, Any] | None = None, request: Any = None) -> str:
        context = {} if context is None else context
        html = super().render(context, request)
        # As Django's engine does under test: the test client keeps the templates and their context.
        template_rendered.send(sender=self, template=self, context=context)
        return html


class Jinja2(django_jinja2.Jinja2):
    def from_string(self, template_code: str) -> Template:
        return Template(self.env.from_string(template_code), self)

    def get_template(self, template_name: str) -> Template:
        return Template(super().get_template(template_name).template, self)
