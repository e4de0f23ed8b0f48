from __future__ import annotations

from django import template
from django.http import HttpRequest

from jianli.accounts import session
from jianli.registrations import roles
from jianli.review import work

register = template.Library()


@register.simple_tag
def session_seconds_left(request: HttpRequest) -> int:
    """Seconds until a signed-in staff session ends (for the warning two minutes before); 0 when signed out."""
    return session.seconds_left(request) if request.user.is_authenticated else 0


@register.filter
def reviewer(user: object) -> bool:
    return roles.is_reviewer(user)


@register.filter
def team_lead(user: object) -> bool:
    return work.is_team_lead(user)
