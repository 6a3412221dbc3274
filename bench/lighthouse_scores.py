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
from pathlib import Path

import httpx

from bench.common import access_token, demo_world

LIGHTHOUSE = Path(__file__).parent / "lighthouse"
PERSON = ("david.okafor", "David Okafor")


def main() -> None:
    if not (LIGHTHOUSE / "node_modules").exists():
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund"],
            cwd=LIGHTHOUSE,
            check=True,
            env=os.environ | {"PUPPETEER_SKIP_DOWNLOAD": "1"},
        )
    with demo_world() as (url, data_dir):
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
            env=os.environ | {"CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
        )


if __name__ == "__main__":
    main()
