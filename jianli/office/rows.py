from __future__ import annotations

from html import escape

from markupsafe import Markup

from jianli.dates import table_time
from jianli.links import row_links
from jianli.presentation import business_type_html, state_html
from jianli.registrations.models import Application


def office_rows(rows: list[Application]) -> Markup:
    """The company's list, written out here as the review queue's rows are (review.queue_rows): through
    Django's template language the 20 rows were half of the page's time."""
    if not rows:
        return Markup('<tr><td colspan="5">没有符合条件的办件。</td></tr>')
    detail = row_links("office:detail")
    return Markup("\n  ".join(
        f'<tr><td><a href="{escape(detail(app.number or ""))}">{escape(app.number or "")}</a></td>'
        f"<td>{escape(app.applicant.name)}</td>"
        f"<td>{business_type_html(app.business_type)}</td>"
        f"<td>{table_time(app.submitted_at)}</td><td><span class=\"state state-{escape(app.state)}\">"
        f"{state_html(app.state)}</span></td></tr>"
        for app in rows
    ))
