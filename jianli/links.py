"""Links to each row of a list, written from one reversed URL: `reverse` per row (resolver lookups, the
pattern's checks) was a tenth of the review queue's rendering."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.urls import reverse

_SLOT = "ROW-SLOT"
# What `reverse` leaves unquoted in a path argument (django.urls.resolvers): "/" is left out, as the <str:>
# converter refuses it.
_SAFE = "!$&'()*+,;=~:@"


def row_links(name: str) -> Callable[[str], str]:
    """reverse(name, args=[value]) for URL patterns with one <str:> argument, as a function of the value;
    reversed once (under the request's script prefix)."""
    before, _, after = reverse(name, args=[_SLOT]).partition(_SLOT)
    return lambda value: f"{before}{quote(value, safe=_SAFE)}{after}"
