"""How fast `floe-lint server` answers an editor in a 1,000-product workspace.

    python benchmarks/server_latency.py [--products 1000] [--repeat 20]

Writes the synthetic monorepo of benchmarks/corpus.py, starts `floe-lint server` as an editor
does (a process speaking JSON-RPC over stdio, framed with Content-Length), and times, from
the notification sent to the publishDiagnostics received:

  first load       didOpen of a product (the server's first lint: imports, rules, its hierarchy)
  product change   didChange of the open product (an edited transform), repeated
  manifest change  didChange of its domain manifest, until the open product's diagnostics
                   arrive (the manifest's own come first)
  references       on the domain's first approved entry: the first call builds the
                   workspace-wide index, the second reuses it

The budget (issue 18) is 200 ms for a product's diagnostics after a change, after the first
load. Medians and 95th percentiles of wall time are printed, in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from queue import Queue
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate


class Client:
    """A minimal LSP client: Content-Length framing over a child's stdin/stdout."""

    def __init__(self, root: Path):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "floe_lint", "server"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=root,
        )
        self.messages: Queue[dict[str, Any]] = Queue()
        self.ids = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = 0
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            self.messages.put(json.loads(stream.read(length)))

    def send(self, method: str, params: Any, request: bool = False) -> int | None:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            self.ids += 1
            message["id"] = self.ids
        body = json.dumps(message).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()
        return self.ids if request else None

    def wait(self, test: Any) -> dict[str, Any]:
        while True:
            message = self.messages.get(timeout=120)
            if test(message):
                return message

    def request(self, method: str, params: Any) -> Any:
        ident = self.send(method, params, request=True)
        return self.wait(lambda m: m.get("id") == ident).get("result")

    def diagnostics(self, uri: str) -> dict[str, Any]:
        return self.wait(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
            )
        )


def _open(client: Client, uri: str, text: str) -> None:
    document = {"uri": uri, "languageId": "yaml", "version": 1, "text": text}
    client.send("textDocument/didOpen", {"textDocument": document})


def _change(client: Client, uri: str, version: int, text: str) -> None:
    document = {"uri": uri, "version": version}
    client.send(
        "textDocument/didChange", {"textDocument": document, "contentChanges": [{"text": text}]}
    )


def _ms(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        generate(root, args.products)
        product = sorted(root.glob("products/*/*/floe.yaml"))[0]
        domain = product.parent.parent.name
        manifest = root / "platform" / "domains" / domain / "manifest.yaml"
        client = Client(root)
        client.request(
            "initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {}}
        )
        client.send("initialized", {})

        uri, text = product.resolve().as_uri(), product.read_text()
        start = time.perf_counter()
        _open(client, uri, text)
        client.diagnostics(uri)
        first = time.perf_counter() - start

        changes = []
        for version in range(2, args.repeat + 2):
            start = time.perf_counter()
            _change(client, uri, version, text + f"# edit {version}\n")
            client.diagnostics(uri)
            changes.append(time.perf_counter() - start)

        muri, mtext = manifest.resolve().as_uri(), manifest.read_text()
        _open(client, muri, mtext)
        client.diagnostics(muri)
        client.diagnostics(uri)
        manifest_changes = []
        for version in range(2, args.repeat + 2):
            start = time.perf_counter()
            _change(client, muri, version, mtext + f"# edit {version}\n")
            client.diagnostics(uri)
            manifest_changes.append(time.perf_counter() - start)

        # the first approved entry: the line after `approved:`, on its name
        lines = mtext.splitlines()
        line = next(i for i, t in enumerate(lines) if t.strip() == "approved:") + 1
        column = len(lines[line]) - len(lines[line].lstrip(" -")) + lines[line].count("name: ") * 6
        position = {"line": line, "character": column + 1}
        timings = []
        for _ in range(2):
            start = time.perf_counter()
            found = client.request(
                "textDocument/references",
                {
                    "textDocument": {"uri": muri},
                    "position": position,
                    "context": {"includeDeclaration": False},
                },
            )
            timings.append(time.perf_counter() - start)
        client.request("shutdown", None)
        client.send("exit", None)
        client.process.wait(timeout=30)

    print(f"workspace: {args.products} products; server: floe-lint server over stdio")
    print(f"first load (didOpen -> diagnostics):        {first * 1000:.0f} ms")
    print(f"product change -> its diagnostics:          {_ms(changes)} ({args.repeat} changes)")
    print(f"manifest change -> open product's diagnostics: {_ms(manifest_changes)}")
    first_call, second_call = (round(t * 1000) for t in timings)
    print(
        f"references: first {first_call} ms (builds the index), then {second_call} ms; "
        f"{len(found or [])} locations"
    )


if __name__ == "__main__":
    main()
