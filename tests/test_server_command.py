"""`floe-lint server` as a command: listed, started as docs/editors.md writes it, loading pygls
only when it runs, and a clear message when the `lsp` extra is missing."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import IO

from tests.conftest import REPO

EDITORS = (REPO / "docs/editors.md").read_text("utf-8")
EXE = str(Path(sys.executable).with_name("floe-lint"))


def _frame(message: dict[str, object]) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def test_help_lists_the_server_command() -> None:
    done = subprocess.run([EXE, "--help"], capture_output=True, text=True, check=False)
    assert "    server           a language server for editors, over stdio\n" in done.stdout


def test_the_command_the_editor_docs_configure_starts_and_stops_cleanly(tmp_path: Path) -> None:
    settings = json.loads(re.search(r"```json\n(.*?)```", EDITORS, re.S)[1])  # type: ignore[index]
    command = [settings["glspc.server.command"], *settings["glspc.server.commandArguments"]]
    assert command == ["floe-lint", "server"]
    assert 'cmd = { "floe-lint", "server" }' in EDITORS
    server = subprocess.Popen(
        [EXE, *command[1:]], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert server.stdin is not None and server.stdout is not None
    params = {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}}
    server.stdin.write(
        _frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params})
    )
    server.stdin.flush()
    capabilities = _reply(server.stdout)["result"]["capabilities"]
    assert capabilities["hoverProvider"] and capabilities["definitionProvider"]
    assert capabilities["referencesProvider"]
    assert "source.fixAll.floe-lint" in capabilities["codeActionProvider"]["codeActionKinds"]
    server.stdin.write(_frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
    server.stdin.write(_frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None}))
    server.stdin.flush()
    assert _reply(server.stdout) == {"jsonrpc": "2.0", "id": 2, "result": None}
    server.stdin.write(_frame({"jsonrpc": "2.0", "method": "exit", "params": None}))
    server.stdin.close()
    assert server.wait(timeout=60) == 0, server.stderr.read() if server.stderr else ""


def _reply(stream: IO[bytes]) -> dict[str, object]:
    """The next framed message on `stream`."""
    length = 0
    while (line := stream.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("ascii").partition(":")
        if name.lower() == "content-length":
            length = int(value)
    message: dict[str, object] = json.loads(stream.read(length))
    return message


def test_other_commands_never_load_pygls_or_lsprotocol() -> None:
    code = (
        "import sys; from floe_lint.cli import main; "
        "main(['check', 'examples/mesh', '--format', 'json']); main(['rules']); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.stdout.splitlines()[-1] == "[]"


def test_without_the_lsp_extra_the_server_says_what_to_install() -> None:
    code = (
        "import sys; sys.modules['pygls'] = None; from floe_lint.cli import main; "
        "sys.exit(main(['server']))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stderr == (
        "floe-lint: error: floe-lint server needs pygls and lsprotocol (pygls is missing): "
        "pip install 'floe-lint[lsp]'\n"
    )
