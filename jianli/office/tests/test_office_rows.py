"""The company's list rows, written out by office.office_rows: link, labels, escaping, and the empty list."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from jianli.accounts.models import Applicant
from jianli.office.rows import office_rows
from jianli.registrations.models import Application, BusinessType, State


def test_a_row_links_to_the_file_with_labels_and_escaped_values() -> None:
    app = Application(number="JL2026&1", business_type=BusinessType.RENEWAL, state=State.AWAITING_EMPLOYER,
                      applicant=Applicant(name="王<b>甲</b>"),
                      submitted_at=timezone.make_aware(dt.datetime(2026, 1, 5, 14, 30)))
    html = office_rows([app, app])
    assert html.count("<tr>") == 2 and "<b>" not in html
    assert '<a href="/office/applications/JL2026&amp;1/">JL2026&amp;1</a>' in html
    assert "<td>王&lt;b&gt;甲&lt;/b&gt;</td><td>延续注册</td><td>2026/01/05 14:30</td>" in html
    assert '<span class="state state-awaiting_employer">待企业上报</span>' in html


def test_an_empty_list() -> None:
    assert office_rows([]) == '<tr><td colspan="5">没有符合条件的办件。</td></tr>'
