"""The expiry sweep: one digest of what expired since the last run and what expires soon,
to the Notifications topic; nothing written anywhere else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from provena.contracts.model import CertificateStatus
from provena.db import Certificate, FeedEvent
from provena.functions import expiry_sweep, handler
from provena.functions.notifications import split_body
from tests.functions.conftest import TOPIC, Cloud, invoke
from tests.functions.ledger import NOW, Ledger


async def world(cloud: Cloud) -> None:
    ledger = Ledger(cloud.database)
    await ledger.issue("CERT-LATE", valid_until=NOW - timedelta(hours=2))
    await ledger.issue("CERT-OLD", valid_until=NOW - timedelta(days=3))
    await ledger.issue("CERT-SOON", valid_until=NOW + timedelta(days=5))
    await ledger.issue("CERT-LATER", valid_until=NOW + timedelta(days=40))
    revoked = await ledger.issue("CERT-REVOKED", valid_until=NOW + timedelta(days=5))
    await ledger.change(revoked, CertificateStatus.REVOKED, "fraud")
    suspended = await ledger.issue("CERT-PAUSED", valid_until=NOW + timedelta(days=10))
    await ledger.change(suspended, CertificateStatus.SUSPENDED, "audit pending")


async def test_the_digest_names_what_expired_and_what_expires_soon(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    await world(cloud)
    before = await _rows(cloud)
    monkeypatch.setenv("PROVENA_FUNCTION", "expiry-sweep")
    answer, status = await invoke(handler)
    assert status == 200, answer
    result = answer["result"]
    assert result["expired"] == ["CERT-LATE"]
    assert result["expiring"] == ["CERT-SOON", "CERT-PAUSED"]
    [message] = cloud.notifications.messages
    assert result["messages"] == [message.message_id]
    assert (message.topic_id, message.message_type) == (TOPIC, "RAW_TEXT")
    assert message.title == "Provena: 1 certificates expired, 2 expiring soon"
    lines = message.body.splitlines()
    assert "Expired in the last 1 day:" in lines
    assert "Expiring within 30 days:" in lines
    assert any(
        line.startswith("- CERT-PAUSED (EU-ORGANIC)") and "[SUSPENDED]" in line for line in lines
    )
    assert not any("CERT-REVOKED" in line or "CERT-OLD" in line for line in lines)
    assert cloud.notifications.rejected == []
    assert await _rows(cloud) == before  # the sweep writes nothing


async def test_the_notice_period_and_interval_are_configured(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    await world(cloud)
    monkeypatch.setenv("PROVENA_EXPIRY_NOTICE_DAYS", "50")
    monkeypatch.setenv("PROVENA_EXPIRY_SWEEP_HOURS", "80")
    answer, status = await invoke(expiry_sweep)
    assert status == 200, answer
    assert answer["result"]["expired"] == ["CERT-OLD", "CERT-LATE"]
    assert answer["result"]["expiring"] == ["CERT-SOON", "CERT-PAUSED", "CERT-LATER"]
    assert "Expired in the last 80 hours:" in cloud.notifications.messages[0].body


async def test_nothing_to_say_sends_nothing(cloud: Cloud) -> None:
    await Ledger(cloud.database).issue("CERT-FAR", valid_until=NOW + timedelta(days=400))
    answer, status = await invoke(expiry_sweep)
    assert status == 200, answer
    assert answer["result"] == {"expired": [], "expiring": [], "messages": []}
    assert cloud.notifications.messages == []


async def test_a_refused_publish_is_answered_as_a_notification_failure(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    await world(cloud)
    monkeypatch.setenv("PROVENA_ONS_TOPIC_ID", "ocid1.onstopic.oc1..unknown")
    answer, status = await invoke(expiry_sweep)
    assert status == 502
    assert (answer["title"], answer["status"]) == ("NotificationError", 502)
    assert "404 NotAuthorizedOrNotFound" in answer["detail"]


async def test_no_topic_is_a_configuration_problem(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PROVENA_ONS_TOPIC_ID")
    answer, status = await invoke(expiry_sweep)
    assert status == 502
    assert "PROVENA_ONS_TOPIC_ID" in answer["detail"]
    assert cloud.notifications.messages == []


def test_long_digests_are_split_at_line_ends_within_the_limit() -> None:
    lines = [f"line {n:03d} " + "x" * 20 for n in range(30)]
    parts = split_body(lines, limit=100)
    assert all(len(part.encode()) <= 100 for part in parts)
    assert "\n".join(parts).splitlines() == lines
    assert len(parts) == 10  # three 29-byte lines (with their newline) per part
    assert split_body(["é" * 80], limit=100) == ["é" * 49]  # cut, never mid-character


async def _rows(cloud: Cloud) -> tuple[int, int]:
    async with cloud.database.session() as session:
        certificates = await session.scalar(select(func.count()).select_from(Certificate))
        feed = await session.scalar(select(func.count()).select_from(FeedEvent))
    return certificates or 0, feed or 0
