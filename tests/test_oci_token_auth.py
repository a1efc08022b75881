"""Bearer-token auth: a real registry delegating to a token service, as Docker Hub and GHCR do.

The registry (docker-registry with `auth.token`) trusts a self-signed certificate; a small
token service in this test checks basic credentials and signs an RS256 JWT carrying that
certificate (x5c) and the granted actions.
"""

from __future__ import annotations

import base64
import datetime
import json
import os
import secrets
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tests.conftest import Run, run_cli, write_files
from tests.oci_support import Registry, isolate

# one xdist worker runs this module: its registry and token service is built once (scripts/test, --dist loadgroup)
pytestmark = pytest.mark.xdist_group("test_oci_token_auth")

USER, PASSWORD = "bob", "t0ken-pa55"
SERVICE, ISSUER = "floe-tests-registry", "floe-tests-token-issuer"


class TokenService:
    def __init__(self, folder: Path):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, ISSUER)])
        now = datetime.datetime.now(datetime.UTC)
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(self.key, hashes.SHA256())
        )
        self.bundle = folder / "token-ca.pem"
        self.bundle.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))
        self.issued = 0
        self.tokens: list[str] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                query = parse_qs(urlsplit(self.path).query)
                expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
                if self.headers.get("Authorization") != expected:
                    self.send_response(401)
                    self.end_headers()
                    return
                body = json.dumps({"token": service.token(query.get("scope", []))}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.realm = f"http://127.0.0.1:{self.server.server_address[1]}/token"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def token(self, scopes: list[str]) -> str:
        access = []
        for scope in scopes:
            kind, name, actions = scope.split(":")
            access.append({"type": kind, "name": name, "actions": actions.split(",")})
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "sub": USER,
            "aud": SERVICE,
            "exp": now + 300,
            "nbf": now - 10,
            "iat": now,
            "jti": secrets.token_hex(8),
            "access": access,
        }
        der = self.cert.public_bytes(serialization.Encoding.DER)
        self.issued += 1
        token = jwt.encode(
            claims, self.key, algorithm="RS256", headers={"x5c": [base64.b64encode(der).decode()]}
        )
        self.tokens.append(token)
        return token

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def token_registry(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Registry, TokenService]]:
    folder = tmp_path_factory.mktemp("token-registry")
    service = TokenService(folder)
    auth = (
        f"auth: {{token: {{realm: '{service.realm}', service: {SERVICE}, issuer: {ISSUER}, "
        f"rootcertbundle: '{service.bundle}'}}}}"
    )
    registry = Registry(folder, extra_config=auth).start()
    yield registry, service
    registry.stop()
    service.close()


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate(tmp_path, monkeypatch)


def _files(host: str) -> None:
    write_files(
        Path.cwd(),
        {
            ".floe-lint.yaml": "oci: {insecure: ['127.0.0.1']}\n",
            "platform.manifest.yaml": "scope: enterprise\n"
            "plugins: {compute: {approved: [duckdb], default: duckdb}}\n",
            "prod/floe.yaml": f"name: p\nplatform: {{ref: 'oci://{host}/tok/platform:v1'}}\n"
            "transforms: [{path: models/a/, compute: spark}]\n",
        },
    )


def _secret_free(runs: list[Run], caches: list[Path], tokens: list[str]) -> None:
    """Neither the password nor any token the service issued is in the output, or in any
    file of the caches the runs used (each must hold what was pulled or pushed)."""
    assert tokens, "the token service issued no token: nothing was proven"
    forbidden = [PASSWORD, *tokens, *(t.rsplit(".", 1)[-1] for t in tokens)]  # and signatures
    for run in runs:
        for secret in forbidden:
            assert secret not in run.stdout + run.stderr
    for cache in caches:
        files = [p for p in cache.rglob("*") if p.is_file()]
        assert files, f"{cache} is empty: the run did not use it"
        for path in files:
            data = path.read_bytes()
            for secret in forbidden:
                assert secret.encode() not in data, f"a credential in {path}"
            assert b"eyJ" not in data, f"a JWT in {path}"


def test_publish_and_pull_through_a_token_service(
    token_registry: tuple[Registry, TokenService], monkeypatch: pytest.MonkeyPatch
) -> None:
    registry, service = token_registry
    _files(registry.host)
    monkeypatch.setenv("FLOE_LINT_REGISTRY_USERNAME", USER)
    monkeypatch.setenv("FLOE_LINT_REGISTRY_PASSWORD", PASSWORD)
    issued = service.issued
    pushed = run_cli("publish", "platform.manifest.yaml", f"oci://{registry.host}/tok/platform:v1")
    assert pushed.code == 0, pushed.stderr
    publisher_cache = Path(os.environ["FLOE_LINT_CACHE_DIR"])
    consumer_cache = Path.cwd() / "consumer-cache"
    monkeypatch.setenv("FLOE_LINT_CACHE_DIR", str(consumer_cache))
    run = run_cli("check", "prod", "--format", "json")
    assert [f["name"] for f in run.findings] == ["compute-not-approved"]
    assert service.issued > issued, "the registry's bearer challenge went to the token service"
    _secret_free([pushed, run], [publisher_cache, consumer_cache], service.tokens)


def test_a_token_service_refusing_the_credentials_is_a_clear_error(
    token_registry: tuple[Registry, TokenService], monkeypatch: pytest.MonkeyPatch
) -> None:
    registry, _ = token_registry
    _files(registry.host)
    monkeypatch.setenv("FLOE_LINT_REGISTRY_USERNAME", USER)
    monkeypatch.setenv("FLOE_LINT_REGISTRY_PASSWORD", "not-the-password")
    run = run_cli("check", "prod", "--format", "json")
    [finding] = run.findings
    assert finding["name"] == "unresolved-ref"
    assert "401" in finding["message"] and "docker login" in finding["message"]
    assert "not-the-password" not in run.stdout + run.stderr
