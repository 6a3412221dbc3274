"""Time from `provena up` to the first 200 from `/readyz`.

Cold: a new data dir (migrations, demo seed, dev key). Warm: the same data dir again.
Prints one JSON line per run kind: {"bench", "kind", "runs", "median_s", "min_s", "max_s"}.

    uv run python -m bench.startup [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from pathlib import Path

from bench.common import free_port, provena_up, wait_ready


def measure(data_dir: Path) -> float:
    port = free_port()
    with provena_up(data_dir, port) as process:
        return wait_ready(f"http://127.0.0.1:{port}", process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cold, warm = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.runs):
            data_dir = Path(tmp) / f"run-{i}"
            cold.append(measure(data_dir))
            warm.append(measure(data_dir))
    for kind, times in (("cold", cold), ("warm", warm)):
        print(
            json.dumps(
                {
                    "bench": "startup_to_ready",
                    "kind": kind,
                    "runs": len(times),
                    "median_s": round(statistics.median(times), 3),
                    "min_s": round(min(times), 3),
                    "max_s": round(max(times), 3),
                }
            )
        )


if __name__ == "__main__":
    main()
