"""The file the image hands to fdk: fdk's own loader finds the dispatching handler in it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

import provena.functions.entry
from tests.functions.conftest import invoke


async def test_fdk_loads_the_handler_from_the_entry_file(monkeypatch: pytest.MonkeyPatch) -> None:
    from fdk import customer_code  # type: ignore[import-untyped]  # (fdk is imported by now)

    function = customer_code.Function(provena.functions.entry.__file__, "handler")
    with pytest.warns(DeprecationWarning, match="load_module"):  # fdk's loader, on 3.8+
        loaded = function.handler()
    assert loaded.__qualname__ == "handler"
    assert loaded.__module__ == "provena.functions.handlers"
    monkeypatch.setenv("PROVENA_FUNCTION", "nothing")
    answer, status = await invoke(loaded)
    assert (status, answer["title"]) == (502, "Unknown function")


def test_the_image_command_serves_fn_on_its_socket(tmp_path: Path) -> None:
    """`provena-function` as the image runs it: Fn's socket, Fn's request, a JSON answer."""
    socket = tmp_path / "lsnr.sock"
    command = Path(sys.executable).parent / "provena-function"
    environment = os.environ | {
        "FN_FORMAT": "http-stream",
        "FN_LISTENER": f"unix:{socket}",
        "PROVENA_FUNCTION": "nothing",
    }
    process = subprocess.Popen(
        [str(command)], env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        while not socket.is_socket():
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "no Fn socket after 60 s"
            time.sleep(0.1)
        transport = httpx.HTTPTransport(uds=str(socket))
        with httpx.Client(transport=transport, base_url="http://fn") as client:
            answer = client.post(
                "/call", headers={"Fn-Call-Id": "01", "Fn-Deadline": "2099-01-01T00:00:00Z"}
            )
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()
    assert answer.status_code == 502
    assert answer.headers["fn-fdk-version"].startswith("fdk-python/")
    assert answer.json()["title"] == "Unknown function"


def test_importing_fdk_keeps_the_processs_event_loops_and_logging() -> None:
    """Plain `import fdk` makes uvloop every later loop's policy and logs at DEBUG; in a test
    session that would run every other test on uvloop."""
    probe = (
        "import asyncio, logging, sys\n"
        "{}\n"
        "print(type(asyncio.get_event_loop_policy()).__module__, logging.getLogger().level)\n"
    )
    kept = "from provena.functions.fdkimport import import_fdk; import_fdk('fixtures')"
    plain = "import fdk.fixtures"
    answers = [
        subprocess.run(
            [sys.executable, "-c", probe.format(line)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        for line in (kept, plain)
    ]
    assert answers[0] == ["asyncio.unix_events", "30"]
    assert answers[1][0].startswith("uvloop")  # what import_fdk keeps from happening
