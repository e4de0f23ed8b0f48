"""Charts drawn on the server as inline SVG: no script, no CDN, and only presentation attributes (the CSP allows
no inline style). Each chart has a title and a text table beside it for screen readers."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR = "#07c160"
TEXT = "#333"
MUTED = "#888"
GRID = "#e5e5e5"


def _svg(width: int, height: int, title: str, body: list[str]) -> SafeString:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">'
            f"<title>{escape(title)}</title>")
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every value above is escaped


def bar_chart(rows: list[tuple[str, int]], *, title: str, unit: str = "", width: int = 560,
              label_width: int = 120) -> SafeString:
    """Horizontal bars, one row per (label, value)."""
    row_h, top = 30, 8
    height = top * 2 + row_h * max(len(rows), 1)
    top_value = max((v for _, v in rows), default=0) or 1
    span = width - label_width - 80
    body = []
    for i, (label, value) in enumerate(rows):
        y = top + i * row_h
        w = round(span * value / top_value) if value else 0
        body.append(f'<text x="{label_width - 8}" y="{y + 19}" text-anchor="end" font-size="13" fill="{TEXT}">'
                    f"{escape(label)}</text>")
        body.append(f'<rect x="{label_width}" y="{y + 5}" width="{max(w, 1)}" height="{row_h - 10}" fill="{BAR}" rx="2"/>')
        body.append(f'<text x="{label_width + w + 6}" y="{y + 19}" font-size="13" fill="{TEXT}">{value}{escape(unit)}</text>')
    return _svg(width, height, title, body)


def column_chart(rows: list[tuple[str, int]], *, title: str, width: int = 1000, height: int = 240) -> SafeString:
    """Vertical columns over time (one per month), with a light grid and the value over each column."""
    left, bottom, top = 44, 28, 18
    plot_h = height - bottom - top
    top_value = max((v for _, v in rows), default=0) or 1
    n = max(len(rows), 1)
    step = (width - left - 8) / n
    bar_w = max(min(step * 0.7, 48), 2)
    body = []
    for k in range(5):
        value = round(top_value * k / 4)
        y = top + plot_h - plot_h * k / 4
        body.append(f'<line x1="{left}" x2="{width - 4}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>')
        body.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="{MUTED}">{value}</text>')
    every = max(1, round(n / 12))
    for i, (label, value) in enumerate(rows):
        h = plot_h * value / top_value
        x = left + i * step + (step - bar_w) / 2
        y = top + plot_h - h
        body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{max(h, 0.5):.1f}" fill="{BAR}"/>')
        if n <= 24:
            body.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="11" '
                        f'fill="{TEXT}">{value}</text>')
        if i % every == 0:
            body.append(f'<text x="{x + bar_w / 2:.1f}" y="{height - 8}" text-anchor="middle" font-size="11" '
                        f'fill="{MUTED}">{escape(label)}</text>')
    return _svg(width, height, title, body)
