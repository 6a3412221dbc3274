"""`deploy/monitoring`: alert rules valid for Prometheus and unit-tested with promtool, and
rules and the Grafana dashboard written against metrics the API really serves."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

from prometheus_client import generate_latest

from provena.api.observability import Metrics

MONITORING = Path(__file__).resolve().parents[2] / "deploy" / "monitoring"
SUFFIXES = ("_bucket", "_count", "_sum", "_total")


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("promtool")
    assert tool is not None, "promtool is missing: apt-get install prometheus"
    return subprocess.run(
        [tool, *args], cwd=MONITORING, capture_output=True, text=True, timeout=60, check=False
    )


def test_the_alert_rules_are_valid() -> None:
    result = promtool("check", "rules", "alerts.yaml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_alert_rules_fire_when_they_should_and_only_then() -> None:
    result = promtool("test", "rules", "alerts.test.yaml")
    assert result.returncode == 0, result.stdout + result.stderr


def _served() -> set[str]:
    return set(re.findall(r"^# TYPE (\S+) ", generate_latest(Metrics().registry).decode(), re.M))


def _assert_served(text: str, where: str) -> None:
    named = set(re.findall(r"\b(provena_[a-z_]+)", text))
    assert named, f"{where} names no Provena metric"
    served = _served()
    for name in sorted(named):
        family = next((name.removesuffix(s) for s in SUFFIXES if name.endswith(s)), name)
        assert family in served or name in served, f"{where}: {name} is not a metric served"


def test_the_rules_name_only_metrics_the_api_serves() -> None:
    _assert_served((MONITORING / "alerts.yaml").read_text(), "alerts.yaml")


def test_every_dashboard_panel_queries_metrics_the_api_serves() -> None:
    dashboard = json.loads((MONITORING / "grafana-dashboard.json").read_text())
    assert (dashboard["uid"], dashboard["title"]) == ("provena-overview", "Provena")
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    for panel in dashboard["panels"]:
        assert panel["targets"], f"panel {panel['title']!r} has no query"
        for target in panel["targets"]:
            _assert_served(target["expr"], f"panel {panel['title']!r}")
