"""`{% url %}` for every template (a builtin that takes the place of Django's own): a view's URL that takes no
arguments is reversed once per process, not on every render. A page links to a dozen such fixed URLs (更多's
list, the footer's forms) and Django's `reverse` costs tens of microseconds each; URLs with arguments, and
`{% url ... as var %}`, are Django's own."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.template.defaulttags import URLNode, url
from django.urls import get_script_prefix, reverse
from django.utils.html import conditional_escape

register = template.Library()


@lru_cache(maxsize=256)
def _reversed(view_name: str, current_app: str | None, script_prefix: str) -> str:
    return reverse(view_name, current_app=current_app)


class FixedURLNode(URLNode):
    def render(self, context: template.Context) -> str:
        if self.args or self.kwargs or self.asvar:
            return super().render(context)
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        found = _reversed(self.view_name.resolve(context), current_app, get_script_prefix())
        return str(conditional_escape(found)) if context.autoescape else found


@register.tag("url")
def fixed_url(parser: template.base.Parser, token: template.base.Token) -> URLNode:
    node = url(parser, token)
    return FixedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
