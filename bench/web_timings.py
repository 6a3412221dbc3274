"""What a person waits for in the web app, in Chromium, on the seeded embedded stack.

`provena up` runs as a real process on a temporary data directory with the built web app
(`make web` first) and seeds the demo world. Playwright drives Debian's Chromium, signed in
as David Okafor of the certification body:

- dashboard: from `goto("/")` to the dashboard showing live data (the feed says "Live"
  and the ledger height is a number), `--n` times, each a fresh navigation;
- write: from the click that confirms a suspension (then a reinstatement) of one of his
  certificates to its transaction status saying "Committed", `--n` times each.

One JSON line per figure: {"bench": "web_timings", "what", "n", "p50_ms", "max_ms"}.

    uv run python -m bench.web_timings [--n 5]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time

from playwright.sync_api import Page, expect, sync_playwright

from bench.common import demo_world

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PERSON = "David Okafor"
CERTIFICATE = "VOC-EUORG-2026-0101"  # the demo world's active certificate of his body


def sign_in(page: Page, url: str) -> None:
    page.goto(f"{url}/")
    page.get_by_role("banner").get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("button", name=PERSON).click()
    expect(page.get_by_role("banner").get_by_role("button", name=PERSON)).to_be_visible()


def dashboard(page: Page, url: str) -> float:
    started = time.perf_counter()
    page.goto(f"{url}/")
    expect(page.get_by_text("Live", exact=True)).to_be_visible(timeout=30_000)
    expect(page.get_by_role("region", name="Ledger height")).to_contain_text(re.compile(r"\d"))
    return (time.perf_counter() - started) * 1000


def write(page: Page, label: str, doing: str) -> float:
    page.get_by_role("button", name=label, exact=True).click()
    dialog = page.get_by_role("dialog", name=f"{label} {CERTIFICATE}?")
    dialog.get_by_role("textbox", name="Reason").fill(f"{label} for the timing bench")
    started = time.perf_counter()
    dialog.get_by_role("button", name=label, exact=True).click()
    status = page.get_by_role("status", name=re.compile(f"^{doing} {CERTIFICATE}"))
    expect(status).to_contain_text("Committed", timeout=30_000)
    return (time.perf_counter() - started) * 1000


def line(what: str, samples: list[float]) -> str:
    return json.dumps(
        {
            "bench": "web_timings",
            "what": what,
            "n": len(samples),
            "p50_ms": round(statistics.median(samples), 1),
            "max_ms": round(max(samples), 1),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=5)
    args = parser.parse_args()
    with demo_world() as (url, _), sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        sign_in(page, url)
        loads = [dashboard(page, url) for _ in range(args.n)]
        page.goto(f"{url}/certificates/{CERTIFICATE}")
        writes: list[float] = []
        for _ in range(args.n):
            writes.append(write(page, "Suspend", "Suspending"))
            writes.append(write(page, "Reinstate", "Reinstating"))
        browser.close()
    print(line("navigation to the dashboard showing live data", loads))
    print(line("click to the committed badge", writes))


if __name__ == "__main__":
    main()
