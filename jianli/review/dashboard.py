"""统计分析: the ministry's dashboard (figures in jianli/review/stats.py, charts in jianli/review/charts.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jianli import text
from jianli.replica import replica_reads
from jianli.review import charts, stats
from jianli.review.access import staff_required


def _filters(request: HttpRequest) -> tuple[stats.Filters, dict[str, str], dict[str, str]]:
    values = {k: request.GET.get(k, "").strip()[:100] for k in ("from", "to", "employer")}
    errors: dict[str, str] = {}
    start = text.parse_date(values["from"]) if values["from"] else None
    end = text.parse_date(values["to"]) if values["to"] else None
    if values["from"] and start is None:
        errors["from"] = "开始日期格式应为 年-月-日，如 2026-01-01"
    if values["to"] and end is None:
        errors["to"] = "结束日期格式应为 年-月-日，如 2026-12-31"
    if start and end and end < start:
        errors["to"] = "结束日期不能早于开始日期"
    if errors:
        return stats.Filters(), values, errors
    return stats.Filters(start, end, values["employer"]), values, errors


@staff_required
@replica_reads
def dashboard(request: HttpRequest) -> HttpResponse:
    filters, values, errors = _filters(request)
    board = stats.dashboard(filters)
    return render(request, "review/stats.html", {
        "board": board, "values": values, "errors": errors,
        "type_chart": charts.bar_chart(board.by_type, title="按业务类型", unit="件"),
        "state_chart": charts.bar_chart(board.by_state, title="按办理状态", unit="件"),
        "month_chart": charts.column_chart(board.by_month, title="按月份（提交时间）"),
        "rating_chart": charts.bar_chart([(label, n) for _, label, n in board.ratings.counts], title="好差评", unit="件"),
    }, status=422 if errors else 200)
