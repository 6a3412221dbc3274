"""Browser end-to-end fixtures: a real `provena up` and a headless Chromium.

`live_server` starts the app exactly as a person would, as a subprocess on a free
loopback port with its own data dir, serving the built web app from `web/dist`
(built first if it is missing), and yields its base URL once `GET /readyz` says 200.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

REPO = Path(__file__).resolve().parents[2]
WEB = REPO / "web"
DIST = WEB / "dist"
RESULTS = REPO / "test-results"
READY_TIMEOUT_SECONDS = 60.0
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _run_in_web(*command: str) -> None:
    result = subprocess.run(command, cwd=WEB, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        pytest.fail(
            f"`{' '.join(command)}` in web/ exited with {result.returncode}:\n"
            f"{result.stdout}\n{result.stderr}",
            pytrace=False,
        )


def _ensure_web_build() -> None:
    """Build web/dist unless it is there (a stale build is the caller's to refresh)."""
    if (DIST / "index.html").is_file():
        return
    if not (WEB / "node_modules").is_dir():
        _run_in_web("npm", "ci", "--no-audit", "--no-fund")
    _run_in_web("npm", "run", "build")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server and everything it started (it runs in its own process group)."""
    for sig, grace in ((signal.SIGTERM, 15.0), (signal.SIGKILL, 5.0)):
        if process.poll() is not None:
            break
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            continue
    process.wait()


def _wait_until_ready(process: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    last = "no answer yet"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"`provena up` exited with {process.returncode} before it was ready. "
                f"Its output:\n{log.read_text(errors='replace')}",
                pytrace=False,
            )
        try:
            response = httpx.get(f"{base_url}/readyz", timeout=2.0)
        except httpx.HTTPError as exc:
            last = f"{type(exc).__name__}: {exc}"
        else:
            if response.status_code == 200:
                return
            last = f"HTTP {response.status_code}: {response.text[:500]}"
        time.sleep(0.25)
    _stop(process)
    pytest.fail(
        f"`provena up` was not ready within {READY_TIMEOUT_SECONDS:g} s "
        f"(last GET /readyz: {last}). Its output:\n{log.read_text(errors='replace')}",
        pytrace=False,
    )


@pytest.fixture(scope="module")
def live_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data dir of the module's `live_server` (database, ledger, IPFS blocks)."""
    return tmp_path_factory.mktemp("live-server") / "data"


@pytest.fixture(scope="module")
def live_server(live_data_dir: Path) -> Iterator[str]:
    """The base URL of a running `provena up`, stopped after the module."""
    _ensure_web_build()
    port = _free_port()
    log = live_data_dir.parent / "provena-up.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROVENA_")}
    env["PROVENA_WEB_DIR"] = str(DIST)
    env["PROVENA_DEVNET_LISTEN"] = "127.0.0.1:0"  # never the default port a developer may use
    command = [
        sys.executable,
        "-m",
        "provena",
        "up",
        "--port",
        str(port),
        "--data-dir",
        str(live_data_dir),
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_ready(process, base_url, log)
        yield base_url
    finally:
        _stop(process)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """The system's Chromium, headless."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


PHONE: ViewportSize = {"width": 375, "height": 812}
SEED_TIMEOUT_SECONDS = 120.0


@pytest.fixture(scope="module")
def seeded(live_server: str) -> None:
    """Waits until the demo world is seeded: `/readyz` answers while the seed still writes,
    and a journey that starts then finds its records half-way through their story."""
    deadline = time.monotonic() + SEED_TIMEOUT_SECONDS
    detail = "no answer yet"
    while time.monotonic() < deadline:
        checks = httpx.get(f"{live_server}/readyz", timeout=5.0).json()["checks"]
        detail = next((c["detail"] or "" for c in checks if c["name"] == "seed"), "")
        if not detail.startswith("seeding"):
            return
        time.sleep(0.5)
    pytest.fail(f"the demo world was not seeded within {SEED_TIMEOUT_SECONDS:g} s ({detail})")


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A fresh browser context at phone size."""
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no storage) at desktop size."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        yield context.new_page()
    finally:
        context.close()


class Screenshots:
    """Saves full-page screenshots under test-results/ (at the repo root)."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(exist_ok=True)
        self._directory = directory

    def __call__(self, page: Page, name: str) -> Path:
        path = self._directory / f"{name}.png"
        page.screenshot(path=str(path), full_page=True, animations="disabled")
        return path


@pytest.fixture
def screenshot() -> Screenshots:
    """`screenshot(page, "descriptive-name")` saves test-results/descriptive-name.png."""
    return Screenshots(RESULTS)
