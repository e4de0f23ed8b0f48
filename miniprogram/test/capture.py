"""Capture the pages written by screenshots.test.js (JIANLI_MP_HTML) at 375×667 with Debian's Chromium."""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def main(source: str, target: str) -> None:
    out = Path(target)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 375, "height": 667}, device_scale_factor=1)
        for html in sorted(Path(source).glob("*.html")):
            page.goto(html.resolve().as_uri())
            page.screenshot(path=str(out / f"{html.stem}.png"))
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
