"""A registry that is down or never answers fails fast and clearly; bad oci settings are refused."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from floe_lint.config import ConfigError
from floe_lint.oci.settings import Settings
from tests.conftest import Run, run_cli, write_files
from tests.oci_support import free_port, isolate


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate(tmp_path, monkeypatch)


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts every connection and never sends a byte."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


@pytest.fixture(params=["body", "headers"])
def trickling_server(request: pytest.FixtureRequest) -> Iterator[str]:
    """Sends its answer (the body, or the headers) one piece every 0.1 s: no read times out."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    stop = threading.Event()
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n"
    first, piece = (head + b"\r\n", b"x") if request.param == "body" else (head, b"X-Slow: 1\r\n")

    def serve(conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)
            conn.sendall(first)
            for _ in range(60):  # 6 s at most, so a regression fails instead of hanging
                if stop.wait(0.1):
                    return
                try:
                    conn.sendall(piece)
                except OSError:
                    return

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                conn = server.accept()[0]
            except OSError:
                continue
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join()
    server.close()


def lint_products(tmp_path: Path, refs: list[str], oci: str = "") -> tuple[Run, float]:
    files = {".floe-lint.yaml": f"oci:\n  insecure: ['127.0.0.1']\n{oci}"}
    for n, ref in enumerate(refs):
        files[f"p{n}/floe.yaml"] = (
            f"name: p{n}\nplatform: {{ref: '{ref}'}}\ntransforms: [{{path: models/a/}}]\n"
        )
    write_files(tmp_path, files)
    started = time.monotonic()
    run = run_cli("check", ".", "--format", "json")
    return run, time.monotonic() - started


def test_a_server_that_never_answers_times_out_within_the_budget(
    tmp_path: Path, silent_server: str
) -> None:
    run, elapsed = lint_products(
        tmp_path, [f"oci://{silent_server}/platform:v1"], "  timeout: 0.5\n  budget: 2\n"
    )
    [finding] = run.findings
    assert finding["name"] == "unresolved-ref"
    assert silent_server in finding["message"]
    assert "did not answer within 0.5s" in finding["message"] or "budget" in finding["message"]
    assert 0.5 <= elapsed < 3.5


def test_the_budget_caps_retries_of_a_silent_server(tmp_path: Path, silent_server: str) -> None:
    run, elapsed = lint_products(
        tmp_path, [f"oci://{silent_server}/platform:v1"], "  timeout: 2\n  budget: 1\n"
    )
    [finding] = run.findings
    assert "1s budget" in finding["message"] or "within 1s" in finding["message"]
    assert elapsed < 2.5


def test_a_server_trickling_its_answer_is_cut_off_at_the_budget(
    tmp_path: Path, trickling_server: str
) -> None:
    run, elapsed = lint_products(
        tmp_path, [f"oci://{trickling_server}/platform:v1"], "  timeout: 1\n  budget: 1.5\n"
    )
    [finding] = run.findings
    assert "1.5s budget" in finding["message"]
    assert elapsed < 3


def test_a_registry_that_is_down_is_a_clear_error_within_the_default_budget(
    tmp_path: Path,
) -> None:
    host = f"127.0.0.1:{free_port()}"
    run, elapsed = lint_products(tmp_path, [f"oci://{host}/platform:v1"])
    [finding] = run.findings
    assert finding["name"] == "unresolved-ref"
    assert (
        f"registry http://{host} is unreachable (connection refused) (3 attempts)"
        in (finding["message"])
    )
    assert elapsed < 2


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The system resolver's two failure answers, without DNS: for `*.nxdomain.test` the
    name does not exist (EAI_NONAME), for `*.dns-down.test` no resolver answers (EAI_AGAIN).

    A real resolver cannot be made to give these answers on every machine (that needs root
    to point /etc/resolv.conf elsewhere), so only getaddrinfo is stood in for, and only for
    these names; urllib3 and floe-lint run unchanged. Returns the names looked up.
    """
    real = socket.getaddrinfo
    asked: list[str] = []

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(host, str) and host.endswith(".nxdomain.test"):
            asked.append(host)
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        if isinstance(host, str) and host.endswith(".dns-down.test"):
            asked.append(host)
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def test_a_host_name_that_does_not_exist_is_not_retried(
    tmp_path: Path, resolver: list[str]
) -> None:
    run, elapsed = lint_products(tmp_path, ["oci://floe-lint.nxdomain.test/platform:v1"])
    [finding] = run.findings
    assert (
        "registry https://floe-lint.nxdomain.test is unreachable (name or service not known: "
        "the host name does not exist) (1 attempt)" in finding["message"]
    )
    assert resolver == ["floe-lint.nxdomain.test"]
    assert elapsed < 1


def test_a_resolver_that_cannot_be_reached_is_its_own_error_and_not_retried(
    tmp_path: Path, resolver: list[str]
) -> None:
    refs = [f"oci://registry.dns-down.test/platform/{name}:v1" for name in ("a", "b")]
    run, elapsed = lint_products(tmp_path, refs)
    first, second = sorted(run.findings, key=lambda f: f["file"])
    assert (
        "registry https://registry.dns-down.test cannot be looked up: the DNS resolver did not "
        "answer (temporary failure in name resolution); check the network, or lint offline "
        "(--offline) from the cache and floe.lock (1 attempt)" in first["message"]
    )
    assert "not retried" in second["message"]
    assert resolver == ["registry.dns-down.test"]  # once: no retry loop, not per ref
    assert elapsed < 1


def test_a_host_that_failed_is_not_asked_again_in_the_same_run(
    tmp_path: Path, silent_server: str
) -> None:
    refs = [f"oci://{silent_server}/platform/{name}:v1" for name in ("a", "b", "c")]
    run, elapsed = lint_products(tmp_path, refs, "  timeout: 0.5\n  budget: 1.5\n")
    assert len(run.findings) == 3
    assert sum("not retried" in f["message"] for f in run.findings) == 2
    assert elapsed < 3


def test_offline_never_touches_the_network(tmp_path: Path, silent_server: str) -> None:
    write_files(
        tmp_path,
        {"p/floe.yaml": f"name: p\nplatform: {{ref: 'oci://{silent_server}/x:v1'}}\n"},
    )
    started = time.monotonic()
    run = run_cli("check", ".", "--format", "json", "--offline")
    assert time.monotonic() - started < 1
    [finding] = [f for f in run.findings if f["name"] == "unresolved-ref"]
    assert "offline" in finding["message"]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"timout": 3}, "unknown key 'oci.timout'; did you mean 'timeout'"),
        ({"retries": 9}, "'oci.retries' must be a whole number from 0 to 5"),
        ({"budget": "10s"}, "'oci.budget' must be a number of seconds"),
        ({"mirrors": {"r.example.com": "ftp://m"}}, "must be an http:// or https:// URL"),
        ({"mirrors": {"r.example.com": "https://u:p@m"}}, "must not contain credentials"),
        ({"insecure": "localhost"}, "'oci.insecure' must be a list of registry hosts"),
    ],
)
def test_bad_oci_settings_are_config_errors(table: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=r"^cfg\.yaml: ") as error:
        Settings.load(table, Path("."), "cfg.yaml", env={})
    assert message in str(error.value)


def test_a_bad_oci_setting_fails_check_with_exit_2(tmp_path: Path) -> None:
    write_files(tmp_path, {".floe-lint.yaml": "oci: {retries: -1}\n", "floe.yaml": "name: x\n"})
    run = run_cli("check", ".")
    assert run.code == 2 and "oci.retries" in run.stderr


def test_cache_location_precedence(tmp_path: Path) -> None:
    env = {"FLOE_LINT_CACHE_DIR": "/env/cache", "XDG_CACHE_HOME": "/xdg"}
    assert Settings.load({"cache-dir": "c"}, tmp_path, env=env).cache_dir == tmp_path / "c"
    assert Settings.load({}, tmp_path, env=env).cache_dir == Path("/env/cache")
    assert Settings.load({}, tmp_path, env={"XDG_CACHE_HOME": "/xdg"}).cache_dir == Path(
        "/xdg/floe-lint/oci"
    )


def test_plain_http_only_for_listed_hosts_and_explicit_mirrors() -> None:
    settings = Settings.load(
        {"insecure": ["localhost"], "mirrors": {"r.example.com": "http://127.0.0.1:5000"}},
        Path("."),
        env={},
    )
    assert settings.endpoint("localhost:5000") == ("http", "localhost:5000")
    assert settings.endpoint("registry.example.com") == ("https", "registry.example.com")
    assert settings.endpoint("r.example.com") == ("http", "127.0.0.1:5000")


def test_an_invalid_lock_file_is_reported_at_the_product(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
            ".floe-lint.yaml": "refs: {'oci://r.example.com/p:v1': manifest.yaml}\n",
            "floe.yaml": "name: x\nplatform: {ref: 'oci://r.example.com/p:v1'}\n"
            "transforms: [{path: models/a/}]\n",
            "floe.lock": "{not json",
        },
    )
    run = run_cli("check", ".", "--format", "json")
    [finding] = [f for f in run.findings if f["name"] == "lock-stale"]
    assert "floe.lock: not valid JSON" in finding["message"] and finding["line"] == 2


def test_lock_writes_nothing_for_a_product_without_registry_refs(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
            "floe.yaml": "name: x\nplatform: {ref: manifest.yaml}\ntransforms: [{path: models/a/}]\n",
        },
    )
    run = run_cli("lock", ".")
    assert run.code == 0, run.stderr
    assert not (tmp_path / "floe.lock").exists()


def test_a_run_without_registry_refs_never_imports_oras(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
            "floe.yaml": "name: x\nplatform: {ref: manifest.yaml}\ntransforms: [{path: models/a/}]\n",
        },
    )
    code = (
        "import sys; from floe_lint.cli import main; main(['check', '.']); "
        "print(sorted(m for m in ('oras', 'requests') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stderr


@pytest.mark.parametrize("ref", ["notaref", "oci://r.example.com/platform", "https://r/x:v1"])
def test_publish_to_a_bad_ref_is_a_usage_error(tmp_path: Path, ref: str) -> None:
    write_files(tmp_path, {"m.manifest.yaml": "plugins: {compute: {approved: [duckdb]}}\n"})
    run = run_cli("publish", "m.manifest.yaml", ref)
    assert run.code == 2 and run.stdout == ""
    assert ref in run.stderr


@pytest.fixture(params=["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/"])
def redirecting_server(request: pytest.FixtureRequest) -> Iterator[str]:
    """Answers every request with a redirect to a URL that is not HTTP(S)."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    target = request.param

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_HEAD = do_GET

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_redirect_to_a_non_http_url_is_an_unresolved_ref_at_the_ref(
    tmp_path: Path, redirecting_server: str
) -> None:
    """Not an internal error that loses every other file's findings: FL301 at the ref."""
    write_files(
        tmp_path,
        {
            "other/manifest.yaml": "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
            "other/floe.yaml": "name: o\nplatform: {ref: manifest.yaml}\n"
            "transforms: [{path: m/, compute: spark}]\n",
        },
    )
    run, _ = lint_products(tmp_path, [f"oci://{redirecting_server}/floe/platform:1.0"])
    assert run.code == 1, run.stderr
    [finding] = run.named("unresolved-ref")
    assert (finding["file"], finding["line"], finding["column"]) == ("p0/floe.yaml", 2, 17)
    assert "redirected to a URL that is not http:// or https:// (refused)" in finding["message"]
    assert [f["file"] for f in run.named("compute-not-approved")] == ["other/floe.yaml"]
