"""A real OCI registry (Debian's `docker-registry`, distribution 2.8) on 127.0.0.1 for tests.

Each instance gets a free port and filesystem storage in a temp folder; `auth` adds an
htpasswd file (bcrypt) so the registry demands basic auth; `extra_config` adds a line of
YAML to its config (e.g. token auth).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import bcrypt
import pytest

BINARY = "docker-registry"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Registry:
    root: Path
    auth: tuple[str, str] | None = None
    extra_config: str = ""
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def storage(self) -> Path:
        return self.root / "data"

    def blob_file(self, digest: str) -> Path:
        hex_ = digest.split(":", 1)[1]
        return self.storage / "docker/registry/v2/blobs/sha256" / hex_[:2] / hex_ / "data"

    def start(self) -> Registry:
        binary = shutil.which(BINARY)
        assert binary, f"{BINARY} is not installed: scripts/test installs the Debian package"
        self.root.mkdir(parents=True, exist_ok=True)
        lines = [
            "version: 0.1",
            "log: {level: error}",
            f"storage: {{filesystem: {{rootdirectory: {self.storage}}}, delete: {{enabled: true}}}}",
            f"http: {{addr: '{self.host}', secret: floe-lint-tests}}",
        ]
        if self.auth:
            user, password = self.auth
            hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=5)).decode()
            (self.root / "htpasswd").write_text(f"{user}:{hashed}\n")
            lines.append(
                f"auth: {{htpasswd: {{realm: floe-tests, path: {self.root / 'htpasswd'}}}}}"
            )
        if self.extra_config:
            lines.append(self.extra_config)
        config = self.root / "config.yml"
        config.write_text("\n".join(lines) + "\n")
        log = (self.root / "registry.log").open("ab")
        self.process = subprocess.Popen(
            [binary, "serve", str(config)], stdout=log, stderr=log, stdin=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://{self.host}/v2/", timeout=1).close()
                return self
            except urllib.error.HTTPError:
                return self  # 401: up, and asking for credentials
            except OSError:
                assert self.process.poll() is None, (self.root / "registry.log").read_text()
                time.sleep(0.05)
        raise AssertionError(f"registry on {self.host} did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


def isolate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No real Docker config, cache, offline switch or credentials leak into a test; cwd = tmp."""
    for name in (
        "FLOE_LINT_OFFLINE",
        "FLOE_LINT_REGISTRY_USERNAME",
        "FLOE_LINT_REGISTRY_PASSWORD",
        "FLOE_LINT_REGISTRY_HOSTS",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "docker"))
    monkeypatch.setenv("FLOE_LINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
