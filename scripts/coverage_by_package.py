"""Print branch coverage per package from a combined coverage data file.

`make test` runs the suite under coverage (see `[tool.coverage.run]` in pyproject.toml),
combines the data of every process, then runs this script. It reads the JSON report that
`coverage json` writes and groups its files by the package directory they live in, so the
figures read as `provena.devnet.gateway 91.2 % lines, 84.0 % branches`. It is a report, not
a gate: it always exits 0.

    python scripts/coverage_by_package.py coverage.json [--json]
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath


@dataclass
class Totals:
    """Statement and branch counts of one package."""

    statements: int = 0
    covered_statements: int = 0
    branches: int = 0
    covered_branches: int = 0

    def add(self, summary: dict[str, int]) -> None:
        self.statements += summary["num_statements"]
        self.covered_statements += summary["covered_lines"]
        self.branches += summary.get("num_branches", 0)
        self.covered_branches += summary.get("covered_branches", 0)

    @staticmethod
    def percent(covered: int, total: int) -> float:
        return round(100.0 * covered / total, 1) if total else 100.0

    def row(self) -> dict[str, float | int]:
        return {
            "statements": self.statements,
            "lines_pct": self.percent(self.covered_statements, self.statements),
            "branches": self.branches,
            "branches_pct": self.percent(self.covered_branches, self.branches),
        }


def package_of(path: str) -> str:
    """`src/provena/devnet/gateway/deliver.py` -> `provena.devnet.gateway`."""
    parts = PurePosixPath(path.replace("\\", "/")).parts
    start = parts.index("provena") if "provena" in parts else 0
    return ".".join(parts[start:-1]) or "provena"


def by_package(report: dict[str, dict[str, dict[str, dict[str, int]]]]) -> dict[str, Totals]:
    packages: dict[str, Totals] = {}
    total = Totals()
    for path, data in report["files"].items():
        packages.setdefault(package_of(path), Totals()).add(data["summary"])
        total.add(data["summary"])
    return dict(sorted(packages.items())) | {"TOTAL": total}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path, help="the file `coverage json` wrote")
    parser.add_argument("--json", action="store_true", help="one JSON object per package")
    args = parser.parse_args()
    packages = by_package(json.loads(args.report.read_text()))
    if args.json:
        for name, totals in packages.items():
            print(json.dumps({"package": name, **totals.row()}))
        return
    print(f"{'package':<32} {'stmts':>6} {'lines':>7} {'branches':>9} {'covered':>8}")
    for name, totals in packages.items():
        row = totals.row()
        print(
            f"{name:<32} {row['statements']:>6} {row['lines_pct']:>6}% "
            f"{row['branches']:>9} {row['branches_pct']:>7}%"
        )


if __name__ == "__main__":
    main()
