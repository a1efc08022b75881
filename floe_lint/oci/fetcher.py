"""Pulling and pushing Floe manifests as OCI artifacts: the only module that touches the network.

A published manifest is an OCI image manifest whose one layer of media type `MEDIA_TYPE` holds
the manifest YAML. oras-py does the registry protocol (sessions, bearer-token service,
blob upload); this module adds what it lacks and a linter needs:

- every request has a connect/read timeout, at most `retries` retries with short backoff,
  and a total time budget per ref, so a pre-commit hook never hangs; a host that failed is
  not asked again in the same run;
- every blob is verified against its digest; a mismatch is an `IntegrityError`
  (`ref-integrity`), never content that gets linted;
- a content-addressed cache: a digest never touches the network twice, tag -> digest
  lookups are reused for `tag-ttl` seconds, writes are atomic (temp file + rename);
- `--offline`: only the cache and the lock file, a miss says which ref and how to fix it;
- credentials from FLOE_LINT_REGISTRY_USERNAME/_PASSWORD or Docker's config.json (`auths`,
  `credHelpers`, `credsStore`), sent only when a registry asks, never printed or cached.

`oras` and `requests` are imported only when a ref really needs the network.
"""

from __future__ import annotations

# base64, hashlib, logging, subprocess and tempfile are imported where used: every `check`
# imports this module, and together they would add ~15 ms to a pre-commit hook's start-up.
import contextlib
import json
import os
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from floe_lint.config import ConfigError
from floe_lint.load.reading import json_value, read_regular
from floe_lint.model.refs import OciRef, RefError, host_problem

if TYPE_CHECKING:
    import requests

MEDIA_TYPE = "application/vnd.floe.manifest.v1+yaml"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
EMPTY_CONFIG_TYPE = "application/vnd.oci.empty.v1+json"
EMPTY_CONFIG = b"{}"
TITLE = "org.opencontainers.image.title"
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
MAX_LAYER_BYTES = 16 * 1024 * 1024
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_DIGEST = re.compile(r"^sha256:[a-f0-9]{64}$")
_HELPER = re.compile(r"^[A-Za-z0-9_.-]+$")
_ERRNO = re.compile(r"\[Errno -?\d+\] ([^'\")]+)")
OFFLINE_ENV = "FLOE_LINT_OFFLINE"
USERNAME_ENV, PASSWORD_ENV = "FLOE_LINT_REGISTRY_USERNAME", "FLOE_LINT_REGISTRY_PASSWORD"
HOSTS_ENV = "FLOE_LINT_REGISTRY_HOSTS"
CACHE_ENV = "FLOE_LINT_CACHE_DIR"


class IntegrityError(RefError):
    """Content whose digest is not the one it was asked for: tampered or corrupted."""

    rule = "ref-integrity"


class _Unavailable(RefError):
    """The registry could not be reached or did not answer in time (retried already)."""


# --- settings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """The `oci` table of the config, validated, with environment overrides applied."""

    cache_dir: Path
    mirrors: Mapping[str, str] = field(default_factory=dict)
    insecure: frozenset[str] = frozenset()
    timeout: float = 5.0
    retries: int = 2
    budget: float = 10.0
    tag_ttl: float = 300.0
    offline: bool = False

    @classmethod
    def load(
        cls,
        table: Mapping[str, Any],
        base: Path,
        where: str = "config",
        *,
        offline: bool = False,
        env: Mapping[str, str] | None = None,
    ) -> Settings:
        """Settings from an `oci` config table; relative paths resolve from `base`."""
        env = os.environ if env is None else env
        known = {"cache-dir", "mirrors", "insecure", "timeout", "retries", "budget", "tag-ttl"}
        known.add("offline")
        for key in table:
            if key not in known:
                from floe_lint.suggest import did_you_mean

                raise ConfigError(
                    f"{where}: unknown key 'oci.{key}'{did_you_mean(str(key), sorted(known))}"
                )

        def number(key: str, default: float, low: float, high: float) -> float:
            value = table.get(key, default)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ConfigError(f"{where}: 'oci.{key}' must be a number of seconds")
            if not low <= value <= high:
                raise ConfigError(f"{where}: 'oci.{key}' must be between {low} and {high}")
            return float(value)

        retries = table.get("retries", 2)
        if isinstance(retries, bool) or not isinstance(retries, int) or not 0 <= retries <= 5:
            raise ConfigError(f"{where}: 'oci.retries' must be a whole number from 0 to 5")
        mirrors = table.get("mirrors", {})
        if not isinstance(mirrors, dict):
            raise ConfigError(f"{where}: 'oci.mirrors' must map registry hosts to mirror URLs")
        for host, url in mirrors.items():
            _check_mirror(str(host), url, where)
        insecure = table.get("insecure", [])
        if not isinstance(insecure, list) or not all(isinstance(h, str) for h in insecure):
            raise ConfigError(f"{where}: 'oci.insecure' must be a list of registry hosts")
        offline_value = table.get("offline", False)
        if not isinstance(offline_value, bool):
            raise ConfigError(f"{where}: 'oci.offline' must be true or false")
        cache = table.get("cache-dir")
        if cache is not None and not isinstance(cache, str):
            raise ConfigError(f"{where}: 'oci.cache-dir' must be a folder path")
        if cache is not None:
            cache_dir = base / Path(cache).expanduser()
        elif env.get(CACHE_ENV):
            cache_dir = Path(env[CACHE_ENV])
        else:
            cache_dir = default_cache_dir(env)
        return cls(
            cache_dir=cache_dir,
            mirrors={str(h): str(u).rstrip("/") for h, u in mirrors.items()},
            insecure=frozenset(insecure),
            timeout=number("timeout", 5.0, 0.05, 300),
            retries=retries,
            budget=number("budget", 10.0, 0.1, 3600),
            tag_ttl=number("tag-ttl", 300.0, 0, 31 * 86400),
            offline=offline or offline_value or env.get(OFFLINE_ENV, "") not in ("", "0"),
        )

    def endpoint(self, host: str) -> tuple[str, str]:
        """(scheme, host[:port]) that serves `host`: its mirror, else itself over HTTPS."""
        mirror = self.mirrors.get(host)
        if mirror is not None:
            parts = urlsplit(mirror)
            return parts.scheme, parts.netloc
        bare = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        scheme = "http" if host in self.insecure or bare in self.insecure else "https"
        return scheme, host


def _check_mirror(host: str, url: object, where: str) -> None:
    if not isinstance(url, str):
        raise ConfigError(f"{where}: 'oci.mirrors.{host}' must be a URL such as https://host:5000")
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1": an unclosed bracket
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{where}: 'oci.mirrors.{host}' must be an http:// or https:// URL")
    problem = host_problem(parts.netloc.rpartition("@")[2])
    if problem:
        raise ConfigError(f"{where}: 'oci.mirrors.{host}' is not a valid URL: {problem}")
    if parts.username or parts.password:
        raise ConfigError(
            f"{where}: 'oci.mirrors.{host}' must not contain credentials; use "
            f"{USERNAME_ENV}/{PASSWORD_ENV} or `docker login`"
        )
    if parts.path.strip("/") or parts.query:
        raise ConfigError(f"{where}: 'oci.mirrors.{host}' must be scheme://host[:port] only")


def default_cache_dir(env: Mapping[str, str]) -> Path:
    root = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "floe-lint" / "oci"


# --- cache -----------------------------------------------------------------------------------


def sha256_digest(data: bytes) -> str:
    import hashlib

    return "sha256:" + hashlib.sha256(data).hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    """Write via a temp file in the same folder and rename: readers never see half a file."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


class Cache:
    """Content-addressed files in one flat folder.

    `sha256-<hex>.json` an OCI manifest, `sha256-<hex>.manifest.yaml` a Floe manifest layer,
    `sha256-<hex><suffix>.repositories` the repositories (`host/name`, one a line) the blob was
    pulled from or pushed to, `tag-<hash of ref>.json` a tag -> digest lookup with the time it
    was made. A blob answers a ref only for a repository it is recorded for: a registry serves
    a digest only in the repositories that hold it, and the verdict on `oci://host/x@<digest>`
    must not depend on what else this machine once pulled.
    """

    def __init__(self, root: Path):
        self.root = root

    def blob_path(self, digest: str, suffix: str) -> Path:
        return self.root / f"{digest.replace(':', '-')}{suffix}"

    def read(self, digest: str, suffix: str, repository: str) -> bytes | None:
        """A cached blob known in `repository`, or None; IntegrityError if its bytes changed."""
        if repository not in self.repositories(digest, suffix):
            return None
        try:
            data = read_regular(
                self.blob_path(digest, suffix), MAX_LAYER_BYTES, follow_symlinks=False
            )
        except OSError:
            return None
        if sha256_digest(data) != digest:
            raise IntegrityError(
                f"the cached copy of {digest} is corrupted ({self.blob_path(digest, suffix)}); "
                "delete it to download it again"
            )
        return data

    def write(self, digest: str, suffix: str, data: bytes, repository: str) -> Path:
        """Store a blob (verified by the caller) as found in `repository`."""
        path = self.blob_path(digest, suffix)
        atomic_write(path, data)
        known = self.repositories(digest, suffix)
        if repository not in known:
            lines = "".join(f"{name}\n" for name in sorted({*known, repository}))
            atomic_write(self._repositories_path(digest, suffix), lines.encode("utf-8"))
        return path

    def repositories(self, digest: str, suffix: str) -> set[str]:
        """The repositories a blob was pulled from or pushed to (none for an unknown blob)."""
        try:
            data = read_regular(self._repositories_path(digest, suffix), 1024 * 1024)
        except OSError:
            return set()
        return set(data.decode("utf-8", errors="replace").split())

    def _repositories_path(self, digest: str, suffix: str) -> Path:
        return self.root / f"{digest.replace(':', '-')}{suffix}.repositories"

    def drop(self, digest: str, suffix: str) -> None:
        with contextlib.suppress(OSError):
            self.blob_path(digest, suffix).unlink()

    def _tag_path(self, ref: OciRef) -> Path:
        import hashlib

        key = hashlib.sha256(f"{ref.host}/{ref.repository}:{ref.tag}".encode()).hexdigest()
        return self.root / f"tag-{key[:40]}.json"

    def tag(self, ref: OciRef) -> tuple[str, float] | None:
        """(digest, seconds since it was looked up) for a tag ref, if cached."""
        try:
            data = json_value(read_regular(self._tag_path(ref), 64 * 1024))
            digest, checked = data["digest"], float(data["checked"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not isinstance(digest, str) or not _DIGEST.match(digest):
            return None
        return digest, max(0.0, time.time() - checked)

    def set_tag(self, ref: OciRef, digest: str) -> None:
        entry = {"ref": str(ref), "digest": digest, "checked": time.time()}
        atomic_write(self._tag_path(ref), (json.dumps(entry, sort_keys=True) + "\n").encode())


# --- credentials -----------------------------------------------------------------------------


def docker_config_path(env: Mapping[str, str]) -> Path:
    folder = env.get("DOCKER_CONFIG")
    return Path(folder) / "config.json" if folder else Path.home() / ".docker" / "config.json"


def find_credentials(
    hosts: list[str], env: Mapping[str, str], timeout: float
) -> tuple[str, str] | None:
    """(username, secret) for the first of `hosts` that has any, or None.

    The environment's credentials go to any registry that asks, unless FLOE_LINT_REGISTRY_HOSTS
    (comma-separated) names the hosts they belong to: set it where refs are untrusted.
    """
    user, password = env.get(USERNAME_ENV), env.get(PASSWORD_ENV)
    allowed = {h.strip() for h in env.get(HOSTS_ENV, "").split(",") if h.strip()}
    if user and password and (not allowed or allowed & set(hosts)):
        return user, password
    try:
        config = json_value(read_regular(docker_config_path(env), MAX_MANIFEST_BYTES))
    except (OSError, ValueError):
        return None
    if not isinstance(config, dict):
        return None
    auths: dict[str, Any] = config["auths"] if isinstance(config.get("auths"), dict) else {}
    helpers: dict[str, Any] = (
        config["credHelpers"] if isinstance(config.get("credHelpers"), dict) else {}
    )
    for host in hosts:
        for key in (host, f"https://{host}", f"http://{host}", f"https://{host}/v1/"):
            entry = auths.get(key)
            found = _from_auth_entry(entry) if isinstance(entry, dict) else None
            if found:
                return found
        helper = helpers.get(host) or config.get("credsStore")
        if isinstance(helper, str) and _HELPER.match(helper):
            found = _from_helper(helper, host, timeout)
            if found:
                return found
    return None


def _from_auth_entry(entry: dict[str, Any]) -> tuple[str, str] | None:
    import base64

    encoded = entry.get("auth")
    if isinstance(encoded, str) and encoded:
        try:
            user, sep, password = base64.b64decode(encoded).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return None
        return (user, password) if sep else None
    name, secret = entry.get("username"), entry.get("password")
    if isinstance(name, str) and isinstance(secret, str) and name:
        return name, secret
    return None


def _from_helper(helper: str, host: str, timeout: float) -> tuple[str, str] | None:
    """Ask `docker-credential-<helper> get`; a missing or failing helper means no credentials."""
    import subprocess

    try:
        done = subprocess.run(
            [f"docker-credential-{helper}", "get"],
            input=host.encode(),
            capture_output=True,
            timeout=max(0.1, timeout),
            check=False,
        )
        payload = json_value(done.stdout) if done.returncode == 0 else None
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return None
    if not isinstance(payload, dict):
        return None
    user, secret = payload.get("Username"), payload.get("Secret")
    if isinstance(user, str) and isinstance(secret, str) and secret:
        return user, secret
    return None


# --- transport -------------------------------------------------------------------------------


class _Deadline:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.end - time.monotonic()


_NO_SUCH_HOST = re.compile(r"name or service not known|nodename nor servname", re.IGNORECASE)


def _short_reason(error: BaseException) -> str:
    match = _ERRNO.search(str(error))
    if match:
        return match.group(1).strip().lower()
    ssl = re.search(r"\[SSL: ([A-Z_]+)\]", str(error))
    if ssl:
        return ssl.group(1).lower().replace("_", " ")
    if "timed out" in str(error).lower():
        return "timed out"
    return type(error).__name__


class _Transport:
    """One registry endpoint: an oras `Registry` whose requests we time, retry and authenticate."""

    def __init__(self, settings: Settings, host: str, env: Mapping[str, str]):
        import logging

        from oras.auth import TokenAuth

        logging.getLogger("oras.logger").setLevel(logging.CRITICAL + 1)
        self.settings = settings
        self.host = host
        self.scheme, self.netloc = settings.endpoint(host)
        self.env = env
        self.deadline = _Deadline(settings.budget)
        self._authorization: str | None = None
        self._credentials: tuple[str, str] | bool | None = False  # False: not looked up yet
        self.registry = _registry_class()(self)
        self.session: requests.Session = self.registry.session
        adapter = _adapter_class()(self)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.token_auth: TokenAuth = self.registry.auth

    @property
    def where(self) -> str:
        shown = f"{self.scheme}://{self.netloc}"
        return shown if self.netloc == self.host else f"{self.host} (mirror {shown})"

    def url(self, path: str) -> str:
        return f"{self.scheme}://{self.netloc}{path}"

    def timeouts(self) -> tuple[float, float]:
        remaining = self.deadline.remaining()
        if remaining <= 0:
            raise _Unavailable(self._budget_message())
        bound = min(self.settings.timeout, remaining)
        return bound, bound

    def _budget_message(self) -> str:
        return (
            f"registry {self.where} gave no answer within the {self.deadline.seconds:g}s budget "
            "per ref (oci.budget in the config)"
        )

    def credentials(self) -> tuple[str, str] | None:
        if self._credentials is False:
            remaining = max(0.1, min(10.0, self.deadline.remaining()))
            self._credentials = find_credentials([self.netloc, self.host], self.env, remaining)
        return self._credentials if isinstance(self._credentials, tuple) else None

    def request(
        self,
        method: str,
        url: str,
        *,
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        stream: bool = False,
    ) -> requests.Response:
        """One request with bounded retries on network errors and 429/5xx answers."""
        import requests
        import urllib3

        problem = ""
        for attempt in range(self.settings.retries + 1):
            if attempt:
                pause = min(0.2 * 2 ** (attempt - 1), self.deadline.remaining())
                if pause > 0:
                    time.sleep(pause)
            if self.deadline.remaining() <= 0:
                break
            try:
                response = self._within_budget(
                    lambda: self._authenticated(method, url, data, dict(headers or {}), stream)
                )
            except requests.Timeout:
                waited = min(self.settings.timeout, self.deadline.seconds)
                problem = f"did not answer within {waited:g}s"
                continue
            except requests.exceptions.SSLError as error:
                problem = (
                    f"failed the TLS handshake ({_short_reason(error)}); if it serves plain "
                    "HTTP, list it in oci.insecure"
                )
                break
            except requests.ConnectionError as error:
                problem = f"is unreachable ({_short_reason(error)})"
                if _NO_SUCH_HOST.search(str(error)):
                    break  # a name that does not exist will not exist a moment later
                continue
            except (requests.exceptions.InvalidURL, urllib3.exceptions.LocationValueError):
                problem = "cannot be addressed (not a valid host name or port)"
                break
            if response.status_code in RETRY_STATUSES and attempt < self.settings.retries:
                problem = f"answered HTTP {response.status_code}"
                response.close()
                continue
            return response
        tries = f"{attempt + 1} attempt{'s' if attempt else ''}"
        if not problem:
            raise _Unavailable(self._budget_message())
        if self.deadline.remaining() <= 0.05:
            tries += f" in the {self.deadline.seconds:g}s budget per ref"
        raise _Unavailable(f"registry {self.where} {problem} ({tries})")

    def _within_budget(self, call: Callable[[], requests.Response]) -> requests.Response:
        """`call()` in a daemon thread, abandoned when the budget runs out.

        Socket timeouts bound each read, not a name lookup or headers trickled byte by byte;
        this bounds everything. An abandoned request dies with the process.
        """
        import threading

        outcome: list[requests.Response | BaseException] = []

        def run() -> None:
            try:
                outcome.append(call())
            except BaseException as error:  # handed to the caller's thread
                outcome.append(error)

        worker = threading.Thread(target=run, name="floe-lint-oci", daemon=True)
        worker.start()
        worker.join(max(0.0, self.deadline.remaining()) + 0.05)
        if not outcome:
            raise _Unavailable(self._budget_message())
        if isinstance(outcome[0], BaseException):
            raise outcome[0]
        return outcome[0]

    def _authenticated(
        self, method: str, url: str, data: bytes | None, headers: dict[str, str], stream: bool
    ) -> requests.Response:
        if self._authorization:
            headers["Authorization"] = self._authorization
        response = self.session.request(method, url, data=data, headers=headers, stream=stream)
        if response.status_code != 401:
            return response
        challenge = response.headers.get("Www-Authenticate", "")
        scheme = challenge.split(" ", 1)[0].lower()
        credentials = self.credentials()
        if scheme == "basic" and credentials:
            import base64

            raw = f"{credentials[0]}:{credentials[1]}".encode()
            self._authorization = "Basic " + base64.b64encode(raw).decode()
        elif scheme == "bearer":
            if credentials:
                self.token_auth.set_basic_auth(*credentials)
            self.token_auth.token = None  # a new scope (pull, then push) needs a new token
            updated, changed = self.token_auth.authenticate_request(response, {})
            if not changed or "Authorization" not in updated:
                return response
            self._authorization = str(updated["Authorization"])
        else:
            return response
        response.close()
        headers["Authorization"] = self._authorization
        return self.session.request(method, url, data=data, headers=headers, stream=stream)

    def read_body(self, response: requests.Response, limit: int, what: str) -> bytes:
        """The whole body, refusing more than `limit` bytes or running past the budget.

        `read1` returns whatever has arrived, so a server trickling bytes slower than the read
        timeout still meets the budget (a plain `read(n)` would wait for all n bytes).
        """
        import requests
        import urllib3

        chunks: list[bytes] = []
        size = 0
        try:
            while True:
                if self.deadline.remaining() <= 0:
                    raise _Unavailable(self._budget_message())
                chunk = response.raw.read1(64 * 1024, decode_content=True)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise RefError(f"{what} is larger than {limit // (1024 * 1024)} MiB")
                chunks.append(chunk)
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as error:
            raise _Unavailable(
                f"registry {self.where} broke off while sending {what} ({_short_reason(error)})"
            ) from error
        finally:
            response.close()
        return b"".join(chunks)


def _registry_class() -> Any:
    """oras' Registry with `do_request` routed through our transport (timeouts, retries, auth)."""
    import oras.provider

    class _Registry(oras.provider.Registry):  # type: ignore[misc]
        def __init__(self, transport: _Transport):
            super().__init__(
                hostname=transport.netloc,
                insecure=transport.scheme == "http",
                auth_backend="token",
            )
            self._transport = transport

        def do_request(
            self,
            url: str,
            method: str = "GET",
            data: bytes | None = None,
            headers: dict[str, str] | None = None,
            json: Any = None,
            stream: bool = False,
        ) -> Any:
            if json is not None:
                raise TypeError("floe-lint sends manifests as exact bytes, not json=")
            return self._transport.request(method, url, data=data, headers=headers, stream=stream)

    return _Registry


def _adapter_class() -> Any:
    """A requests adapter that gives every request (token service too) our timeouts."""
    from requests.adapters import HTTPAdapter

    class _TimedAdapter(HTTPAdapter):
        def __init__(self, transport: _Transport):
            super().__init__(max_retries=0)
            self._transport = transport

        def send(self, request: Any, *args: Any, **kwargs: Any) -> Any:
            kwargs["timeout"] = self._transport.timeouts()
            return super().send(request, *args, **kwargs)

    return _TimedAdapter


# --- the fetcher -----------------------------------------------------------------------------


def _registry_error(response: requests.Response, ref: OciRef, where: str, what: str) -> RefError:
    """A clear message for a refused request: not found, unauthorized, forbidden, other."""
    codes = ""
    with contextlib.suppress(ValueError, AttributeError, TypeError):
        errors = json_value(next(response.iter_content(65536), b"")).get("errors") or []
        codes = ", ".join(sorted({str(e.get("code")) for e in errors if e.get("code")}))
    status = response.status_code
    detail = f"HTTP {status}{f' {codes}' if codes else ''}"
    if status == 404:
        return RefError(f"{what} not found in registry {where} ({detail}); check the name and tag")
    if status == 401:
        return RefError(
            f"registry {where} refused access to {ref.repository} ({detail}): no valid "
            f"credentials; run `docker login {ref.host}` or set {USERNAME_ENV}/{PASSWORD_ENV}"
        )
    if status == 403:
        return RefError(
            f"registry {where} denied access to {ref.repository} ({detail}): the credentials "
            "are not allowed to do this"
        )
    return RefError(f"registry {where} answered {detail} for {what}")


@dataclass
class Published:
    ref: OciRef
    digest: str
    size: int


class Fetcher:
    """`fetch(ref) -> Path` for the resolver: a verified local copy of a published manifest.

    `locks` maps a ref (as written by `str(OciRef)`) to the manifest digest recorded in a
    floe.lock; a locked tag resolves to that digest without asking the registry. It may be a
    function, called on the first ref, so a run without `oci://` refs never looks for locks.
    """

    def __init__(
        self,
        settings: Settings,
        locks: Mapping[str, str] | Callable[[], Mapping[str, str]] | None = None,
        *,
        refresh_tags: bool = False,
        env: Mapping[str, str] | None = None,
    ):
        self.settings = settings
        self.cache = Cache(settings.cache_dir)
        self._locks = locks
        self.refresh_tags = refresh_tags
        self.env = os.environ if env is None else env
        self.resolved: dict[str, str] = {}
        self.network_requests = 0
        self._transports: dict[str, _Transport] = {}
        self._down: dict[str, str] = {}
        self._deadline = _Deadline(settings.budget)
        self._current: dict[str, str | None] = {}

    @property
    def offline(self) -> bool:
        return self.settings.offline

    @property
    def locks(self) -> Mapping[str, str]:
        if callable(self._locks):
            self._locks = dict(self._locks())
        return self._locks or {}

    def __call__(self, ref: OciRef) -> Path:
        with self._budget(ref):
            digest = ref.digest or self.locks.get(str(ref))
            manifest: bytes | None = None
            if digest is None:
                digest, manifest = self._tag(ref)
            path = self._materialize(ref, digest, manifest)
        self.resolved[str(ref)] = digest
        return path

    def current_digest(self, ref: OciRef) -> str | None:
        """What a tag points to now (cached for tag-ttl); None when offline or unknowable."""
        if ref.tag is None or self.offline:
            return None
        if str(ref) not in self._current:
            try:
                with self._budget(ref):
                    self._current[str(ref)] = self._tag(ref)[0]
            except RefError:
                self._current[str(ref)] = None
        return self._current[str(ref)]

    @contextlib.contextmanager
    def _budget(self, ref: OciRef) -> Iterator[None]:
        deadline = _Deadline(self.settings.budget)
        for transport in self._transports.values():
            transport.deadline = deadline
        self._deadline = deadline
        yield

    def _transport(self, ref: OciRef) -> _Transport:
        netloc = self.settings.endpoint(ref.host)[1]
        if netloc in self._down:
            raise _Unavailable(f"{self._down[netloc]}; not retried for '{ref}'")
        transport = self._transports.get(ref.host)
        if transport is None:
            transport = self._transports[ref.host] = _Transport(self.settings, ref.host, self.env)
        transport.deadline = self._deadline
        return transport

    def _get(self, ref: OciRef, path: str, accept: str, what: str) -> tuple[bytes, Any]:
        transport = self._transport(ref)
        self.network_requests += 1
        try:
            response = transport.request(
                "GET", transport.url(path), headers={"Accept": accept}, stream=True
            )
        except _Unavailable as error:
            self._down[transport.netloc] = str(error)
            raise
        if response.status_code != 200:
            refused = _registry_error(response, ref, transport.where, what)
            response.close()
            raise refused
        limit = MAX_MANIFEST_BYTES if "manifest" in path else MAX_LAYER_BYTES
        try:
            return transport.read_body(response, limit, what), response.headers
        except _Unavailable as error:
            self._down[transport.netloc] = str(error)
            raise

    def _offline_miss(self, ref: OciRef, what: str) -> RefError:
        return RefError(
            f"{what} is not in the cache ({self.settings.cache_dir}) and floe-lint is offline "
            f"(--offline or {OFFLINE_ENV}); run `floe-lint lock` or `floe-lint check` once "
            f"online to cache it, or pass --ref '{ref}=PATH'"
        )

    def _tag(self, ref: OciRef) -> tuple[str, bytes | None]:
        """(manifest digest, manifest bytes if just downloaded) for a tag ref."""
        cached = self.cache.tag(ref)
        if cached is not None and (
            self.offline or (not self.refresh_tags and cached[1] < self.settings.tag_ttl)
        ):
            return cached[0], None
        if self.offline:
            raise self._offline_miss(ref, f"the digest of tag '{ref}'")
        tag = ref.tag or "latest"
        try:
            body, headers = self._get(
                ref,
                f"/v2/{ref.repository}/manifests/{tag}",
                f"{OCI_MANIFEST}, {DOCKER_MANIFEST}",
                f"'{ref}'",
            )
        except _Unavailable as error:
            if cached is None:
                raise
            minutes = cached[1] / 60
            raise _Unavailable(
                f"{error}; the cache knows this tag from {minutes:.0f} min ago: "
                "--offline lints with that"
            ) from error
        digest = sha256_digest(body)
        claimed = headers.get("Docker-Content-Digest")
        if claimed and claimed != digest:
            raise IntegrityError(
                f"the registry says tag '{ref}' is {claimed}, but the manifest it sent hashes "
                f"to {digest}"
            )
        self.cache.write(digest, ".json", body, _repository(ref))
        self.cache.set_tag(ref, digest)
        return digest, body

    def _cached(self, ref: OciRef, digest: str, suffix: str) -> bytes | None:
        """A verified cached blob known in the ref's repository; a corrupted one is dropped
        when online (to download again)."""
        try:
            return self.cache.read(digest, suffix, _repository(ref))
        except IntegrityError:
            if self.offline:
                raise
            self.cache.drop(digest, suffix)
            return None

    def _materialize(self, ref: OciRef, digest: str, manifest: bytes | None) -> Path:
        if manifest is None:
            manifest = self._cached(ref, digest, ".json")
        if manifest is None:
            if self.offline:
                raise self._offline_miss(ref, f"'{ref}' ({digest})")
            manifest, _ = self._get(
                ref, f"/v2/{ref.repository}/manifests/{digest}", OCI_MANIFEST, f"'{ref}'"
            )
            if sha256_digest(manifest) != digest:
                raise IntegrityError(
                    f"the manifest of '{ref}' hashes to {sha256_digest(manifest)}, not {digest}"
                )
            self.cache.write(digest, ".json", manifest, _repository(ref))
        layer = _floe_layer(manifest, ref)
        layer_digest = layer["digest"]
        path = self.cache.blob_path(layer_digest, ".manifest.yaml")
        if self._cached(ref, layer_digest, ".manifest.yaml") is not None:
            return path
        if self.offline:
            raise self._offline_miss(ref, f"the manifest layer of '{ref}' ({layer_digest})")
        body, _ = self._get(
            ref,
            f"/v2/{ref.repository}/blobs/{layer_digest}",
            MEDIA_TYPE,
            f"the manifest layer of '{ref}'",
        )
        actual = sha256_digest(body)
        if actual != layer_digest or len(body) != layer["size"]:
            raise IntegrityError(
                f"the manifest layer of '{ref}' does not match its digest: expected "
                f"{layer_digest} ({layer['size']} bytes), got {actual} ({len(body)} bytes); "
                "the registry content was tampered with or corrupted"
            )
        return self.cache.write(layer_digest, ".manifest.yaml", body, _repository(ref))

    # --- publishing ----------------------------------------------------------------------

    def push(self, ref: OciRef, content: bytes, annotations: Mapping[str, str]) -> Published:
        """Upload a manifest YAML as a Floe artifact at `ref` (a tag or a digest)."""
        if self.offline:
            raise RefError("cannot publish while offline (--offline or FLOE_LINT_OFFLINE)")
        with self._budget(ref):
            transport = self._transport(ref)
            registry = transport.registry
            container = _container(transport, ref)
            layer = _descriptor(MEDIA_TYPE, content, {TITLE: "manifest.yaml"})
            config = _descriptor(EMPTY_CONFIG_TYPE, EMPTY_CONFIG)
            manifest: dict[str, Any] = {
                "schemaVersion": 2,
                "mediaType": OCI_MANIFEST,
                "artifactType": MEDIA_TYPE,
                "config": config,
                "layers": [layer],
            }
            if annotations:
                manifest["annotations"] = dict(sorted(annotations.items()))
            body = json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode()
            digest = sha256_digest(body)
            if ref.digest and ref.digest != digest:
                raise RefError(f"the manifest would be {digest}, not the {ref.digest} asked for")
            import tempfile

            try:
                with tempfile.TemporaryDirectory() as folder:
                    for descriptor, data in ((layer, content), (config, EMPTY_CONFIG)):
                        blob = Path(folder) / descriptor["digest"].replace(":", "-")
                        blob.write_bytes(data)
                        response = registry.upload_blob(str(blob), container, descriptor)
                        if response.status_code not in (200, 201, 202):
                            raise _registry_error(response, ref, transport.where, "the upload")
                response = transport.request(
                    "PUT",
                    transport.url(f"/v2/{ref.repository}/manifests/{ref.tag or digest}"),
                    data=body,
                    headers={"Content-Type": OCI_MANIFEST},
                )
            except _Unavailable as error:
                self._down[transport.netloc] = str(error)
                raise
            if response.status_code not in (200, 201):
                raise _registry_error(response, ref, transport.where, f"pushing '{ref}'")
            claimed = response.headers.get("Docker-Content-Digest")
            if claimed and claimed != digest:
                raise IntegrityError(f"the registry stored {claimed}, but we sent {digest}")
        self.cache.write(layer["digest"], ".manifest.yaml", content, _repository(ref))
        self.cache.write(digest, ".json", body, _repository(ref))
        if ref.tag:
            self.cache.set_tag(ref, digest)
        return Published(ref, digest, len(body))


def _repository(ref: OciRef) -> str:
    """How the cache names the repository of a ref: `host[:port]/name`."""
    return f"{ref.host}/{ref.repository}"


def _descriptor(
    media_type: str, data: bytes, annotations: Mapping[str, str] | None = None
) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "mediaType": media_type,
        "digest": sha256_digest(data),
        "size": len(data),
    }
    if annotations:
        descriptor["annotations"] = dict(annotations)
    return descriptor


def _container(transport: _Transport, ref: OciRef) -> Any:
    """An oras Container for `ref` at the transport's endpoint (oras' own parsing guesses)."""
    from oras.container import Container

    container = Container(f"{transport.netloc}/{ref.repository}")
    namespace, _, name = ref.repository.rpartition("/")
    container.registry, container.namespace, container.repository = (
        transport.netloc,
        namespace or None,
        name,
    )
    container.tag, container.digest = ref.tag, ref.digest
    return container


def _floe_layer(manifest: bytes, ref: OciRef) -> dict[str, Any]:
    """The one layer of media type MEDIA_TYPE, chosen by type and never by position."""
    try:
        data = json_value(manifest)
    except ValueError as error:
        raise RefError(f"'{ref}' is not an OCI artifact (its manifest is not JSON)") from error
    media_type = data.get("mediaType") if isinstance(data, dict) else None
    layers = data.get("layers") if isinstance(data, dict) else None
    if media_type not in (OCI_MANIFEST, DOCKER_MANIFEST, None) or not isinstance(layers, list):
        raise RefError(
            f"'{ref}' is not a floe manifest: it is a {media_type or 'document'} without layers"
        )
    ours = [
        layer
        for layer in layers
        if isinstance(layer, dict) and layer.get("mediaType") == MEDIA_TYPE
    ]
    if not ours:
        found = sorted({str(layer.get("mediaType")) for layer in layers if isinstance(layer, dict)})
        raise RefError(
            f"'{ref}' is not a floe manifest: it has no layer of media type {MEDIA_TYPE} "
            f"(found: {', '.join(found) or 'no layers'}); publish it with `floe-lint publish`"
        )
    if len(ours) > 1:
        raise RefError(f"'{ref}' has {len(ours)} layers of media type {MEDIA_TYPE}; expected one")
    layer = ours[0]
    digest, size = layer.get("digest"), layer.get("size")
    if not isinstance(digest, str) or not _DIGEST.match(digest):
        raise RefError(f"'{ref}' has a manifest layer with an unsupported digest {digest!r}")
    if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= MAX_LAYER_BYTES:
        raise RefError(f"'{ref}' has a manifest layer with an invalid size {size!r}")
    return layer
