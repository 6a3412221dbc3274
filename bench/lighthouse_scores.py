"""Lighthouse scores of the dashboard and of a certificate page, on the seeded demo world.

`provena up` runs as a real process on a temporary data directory with the built web app
(`make web` first) and seeds the demo world; once the seed is done, `bench/lighthouse`
(npm `lighthouse` with `puppeteer-core`, Debian's Chromium as `CHROME_PATH`) signs in as
David Okafor of the certification body and audits `/`, a certificate's page and its public
verification page, each on Lighthouse's mobile default and its desktop preset.

One JSON line per page and form factor: {"bench": "lighthouse", "path", "form_factor",
"performance", "accessibility", "best_practices", "fcp_ms", "lcp_ms", "tbt_ms", "cls"}
(goal: performance and accessibility >= 90).

    uv run python -m bench.lighthouse_scores
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from bench.common import access_token, free_port, provena_up, wait_ready

LIGHTHOUSE = Path(__file__).parent / "lighthouse"
WEB_DIST = Path(__file__).parents[1] / "web" / "dist"
PERSON = ("david.okafor", "David Okafor")
SEED_TIMEOUT_SECONDS = 300


def seeded(url: str) -> None:
    """Wait until `/readyz` no longer says the demo world is being seeded."""
    deadline = time.monotonic() + SEED_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        checks = httpx.get(f"{url}/readyz", timeout=5).json()["checks"]
        seed = next((c["detail"] or "" for c in checks if c["name"] == "seed"), "")
        if not seed.startswith("seeding"):
            return
        time.sleep(1)
    raise SystemExit(f"the demo world was not seeded within {SEED_TIMEOUT_SECONDS} s")


def main() -> None:
    if not (WEB_DIST / "index.html").exists():
        raise SystemExit("build the web app first: make web")
    if not (LIGHTHOUSE / "node_modules").exists():
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund"],
            cwd=LIGHTHOUSE,
            check=True,
            env=os.environ | {"PUPPETEER_SKIP_DOWNLOAD": "1"},
        )
    with tempfile.TemporaryDirectory(prefix="provena-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        with provena_up(data_dir, port, env={"PROVENA_WEB_DIR": str(WEB_DIST)}) as process:
            wait_ready(url, process)
            seeded(url)
            token = access_token(url, data_dir, PERSON[0])
            listed = httpx.get(
                f"{url}/api/v1/certificates",
                headers={"Authorization": f"Bearer {token}"},
                timeout=10,
            ).json()
            certificate = listed["data"][0]["id"]
            paths = ["/", f"/certificates/{certificate}", f"/verify/certificates/{certificate}"]
            subprocess.run(
                ["node", "index.mjs", url, PERSON[1], *paths],
                cwd=LIGHTHOUSE,
                check=True,
                env=os.environ
                | {"CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
            )


if __name__ == "__main__":
    main()
