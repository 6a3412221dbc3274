"""`provena epcis hash` and `provena epcis validate`, run as real processes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench import epcis_samples as samples
from provena.epcis import event_hash, prehash, read_events, validate_document

PROVENA = [sys.executable, "-m", "provena", "epcis", "hash"]
VALIDATE = [sys.executable, "-m", "provena", "epcis", "validate"]


def run(
    *args: str, stdin: bytes = b"", command: list[str] = PROVENA
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*command, *args], input=stdin.decode(), capture_output=True, text=True, check=False
    )


def test_one_hash_per_event_in_document_order(tmp_path: Path) -> None:
    event_list = samples.events(7, 5)
    path = tmp_path / "events.jsonld"
    path.write_text(samples.json_document(event_list))
    events = read_events(path.read_bytes())
    out = run(str(path))
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [event_hash(e.fields) for e in events]
    out = run("--prehash", str(path))
    assert out.stdout.splitlines() == [prehash(e.fields) for e in events]


def test_stdin_and_xml() -> None:
    event_list = samples.events(8, 3)
    from_xml = run("-", stdin=samples.xml_document(event_list).encode())
    from_json = run("-", stdin=samples.json_document(event_list).encode())
    assert from_xml.returncode == 0, from_xml.stderr
    assert from_xml.stdout == from_json.stdout
    assert len(from_xml.stdout.splitlines()) == 3


def test_bad_input_exits_2_without_a_traceback(tmp_path: Path) -> None:
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"type": "EPCISDocument",\n "epcisBody": ')
    bad_event = tmp_path / "bad.xml"
    bad_event.write_text(
        "<EPCISDocument><EPCISBody><EventList>\n<ObjectEvent><eventTime>noon</eventTime>"
        "</ObjectEvent></EventList></EPCISBody></EPCISDocument>"
    )
    cases = [
        ([str(bad_json)], "line 2: malformed JSON"),
        ([str(bad_event)], "event 1 (line 2): eventTime: 'noon' is not a timestamp"),
        ([str(tmp_path / "missing.json")], "No such file"),
        (["--algorithm", "md5", str(bad_json)], "unknown algorithm"),
    ]
    for args, message in cases:
        out = run(*args)
        assert out.returncode == 2, args
        assert message in out.stderr, out.stderr
        assert "Traceback" not in out.stderr


def test_validate_prints_one_problem_per_line_and_exits_1(tmp_path: Path) -> None:
    event_list = samples.events(7, 4)
    for event in event_list:
        event.pop("persistentDisposition", None)
    good = tmp_path / "good.jsonld"
    good.write_text(samples.json_document(event_list))
    out = run(str(good), command=VALIDATE)
    assert (out.returncode, out.stdout) == (0, ""), out.stdout
    assert "no problems" in out.stderr

    event_list[1]["bizStep"] = "shiping"
    del event_list[3]["eventTime"]
    bad = tmp_path / "bad.jsonld"
    bad.write_text(samples.json_document(event_list))
    out = run(str(bad), command=VALIDATE)
    assert out.returncode == 1
    expected = [f"{bad}: {issue}" for issue in validate_document(bad.read_bytes())]
    assert out.stdout.splitlines() == expected
    assert len(expected) == 2
    assert expected[0].startswith(f"{bad}: line ")
    assert "epcisBody.eventList[1].bizStep: 'shiping' is not a CBV business step" in expected[0]
    assert "2 problems" in out.stderr

    xml = samples.xml_document(event_list[:2]).replace(
        "urn:epcglobal:cbv:bizstep:shiping", "shipping"
    )
    out = run("-", stdin=xml.encode(), command=VALIDATE)
    assert out.returncode == 1
    [line] = out.stdout.splitlines()
    assert line.startswith(
        "<stdin>: line 5: epcisBody.eventList[1].bizStep: 'shipping' is a bare term"
    )


def test_validate_refuses_unreadable_documents_with_exit_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"type": "EPCISDocument",\n "epcisBody": ')
    for args, message in [
        ([str(broken)], "line 2: malformed JSON"),
        ([str(tmp_path / "missing.json")], "No such file"),
    ]:
        out = run(*args, command=VALIDATE)
        assert out.returncode == 2, args
        assert message in out.stderr
        assert "Traceback" not in out.stderr
