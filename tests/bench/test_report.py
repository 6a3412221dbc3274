"""`make bench`'s report: it names every benchmark in bench/, and renders what they print."""

from __future__ import annotations

from bench.report import BENCH, BENCHMARKS, HELPERS, markdown


def test_every_benchmark_is_in_the_report() -> None:
    modules = {path.stem for path in BENCH.glob("*.py")}
    assert modules - HELPERS == set(BENCHMARKS)


def test_the_table_has_a_row_per_figure_line_and_says_what_failed() -> None:
    report = {
        "commit": "abc1234",
        "cores": 2,
        "machine": "x86_64",
        "python": "3.11.7",
        "started": "2026-12-01T00:00:00+00:00",
        "results": [
            {
                "name": "startup",
                "seconds": 9.5,
                "error": None,
                "lines": [
                    {"bench": "startup", "kind": "cold", "runs": 5, "median_s": 3.14159},
                    {"bench": "startup", "kind": "warm", "runs": 5, "median_s": 1234.5},
                ],
            },
            {"name": "api_writes", "seconds": 900.0, "error": "ran past 900 s", "lines": []},
        ],
    }
    table = markdown(report).splitlines()
    assert table[0] == "# Benchmarks at abc1234"
    assert "2 cores" in table[2]
    assert "| startup | kind cold | runs 5, median_s 3.14 |" in table
    assert "| startup | kind warm | runs 5, median_s 1,234 |" in table
    assert "| api_writes | **failed** | ran past 900 s |" in table
