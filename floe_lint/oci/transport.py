"""One registry endpoint with deadlines: every request has a connect/read timeout, at most
`retries` retries with short backoff, and a total time budget per ref, so a pre-commit hook
never hangs. The only module that imports `oras` (and `requests`), and only when a ref needs
the network."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from floe_lint.load.reading import json_value
from floe_lint.model.refs import OciRef, RefError
from floe_lint.oci.credentials import find_credentials
from floe_lint.oci.settings import PASSWORD_ENV, USERNAME_ENV, Settings

if TYPE_CHECKING:
    import requests


RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_ERRNO = re.compile(r"\[Errno -?\d+\] ([^'\")]+)")


class Unavailable(RefError):
    """The registry could not be reached or did not answer in time (retried already)."""


class Deadline:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.end - time.monotonic()


def _lookup_failure(error: BaseException) -> str | None:
    """What went wrong looking up the host name behind a failed request, or None if the
    lookup was not the problem. Neither case is retried: a name that does not exist will not
    exist a moment later, and a resolver that cannot be reached would only be waited for."""
    import socket

    stack, seen = [error], set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, socket.gaierror):
            known = _lookup_problems()
            return known.get(current.errno or 0, _short_reason(current))
        linked = (current.__cause__, current.__context__, getattr(current, "reason", None))
        stack.extend(e for e in (*linked, *current.args) if isinstance(e, BaseException))
    return None


def _lookup_problems() -> dict[int, str]:
    import socket

    missing = "name or service not known: the host name does not exist"
    down = (
        "cannot be looked up: the DNS resolver did not answer (temporary failure in name "
        "resolution); check the network, or lint offline (--offline) from the cache and floe.lock"
    )
    codes = {socket.EAI_NONAME: missing, socket.EAI_AGAIN: down}
    nodata = getattr(socket, "EAI_NODATA", None)  # glibc: the name exists, without an address
    if nodata is not None:
        codes[nodata] = "no address associated with hostname"
    return codes


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


class Transport:
    """One registry endpoint: an oras `Registry` whose requests we time, retry and authenticate."""

    def __init__(self, settings: Settings, host: str, env: Mapping[str, str]):
        import logging

        from oras.auth import TokenAuth

        logging.getLogger("oras.logger").setLevel(logging.CRITICAL + 1)
        self.settings = settings
        self.host = host
        self.scheme, self.netloc = settings.endpoint(host)
        self.env = env
        self.deadline = Deadline(settings.budget)
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
            raise Unavailable(self._budget_message())
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
                lookup = _lookup_failure(error)
                if lookup is not None:
                    problem = (
                        lookup if lookup.startswith("cannot") else f"is unreachable ({lookup})"
                    )
                    break  # see _lookup_failure: retrying a failed name lookup cannot help
                problem = f"is unreachable ({_short_reason(error)})"
                continue
            except (requests.exceptions.InvalidSchema, requests.exceptions.MissingSchema):
                # a redirect to file://, ftp://, ...: only HTTP(S) is ever followed
                problem = "redirected to a URL that is not http:// or https:// (refused)"
                break
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
            raise Unavailable(self._budget_message())
        if self.deadline.remaining() <= 0.05:
            tries += f" in the {self.deadline.seconds:g}s budget per ref"
        raise Unavailable(f"registry {self.where} {problem} ({tries})")

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
            raise Unavailable(self._budget_message())
        result = outcome.pop()
        if isinstance(result, BaseException):
            try:
                raise result
            finally:  # no cycle (this frame -> the error -> its traceback -> this frame) that
                del result  # only the collector frees, which `check` pauses
        return result

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
                    raise Unavailable(self._budget_message())
                chunk = response.raw.read1(64 * 1024, decode_content=True)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise RefError(f"{what} is larger than {limit // (1024 * 1024)} MiB")
                chunks.append(chunk)
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as error:
            raise Unavailable(
                f"registry {self.where} broke off while sending {what} ({_short_reason(error)})"
            ) from error
        finally:
            response.close()
        return b"".join(chunks)


def _registry_class() -> Any:
    """oras' Registry with `do_request` routed through our transport (timeouts, retries, auth)."""
    import oras.provider

    class _Registry(oras.provider.Registry):  # type: ignore[misc]
        def __init__(self, transport: Transport):
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
        def __init__(self, transport: Transport):
            super().__init__(max_retries=0)
            self._transport = transport

        def send(self, request: Any, *args: Any, **kwargs: Any) -> Any:
            kwargs["timeout"] = self._transport.timeouts()
            return super().send(request, *args, **kwargs)

    return _TimedAdapter


def registry_error(response: requests.Response, ref: OciRef, where: str, what: str) -> RefError:
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


def oras_container(transport: Transport, ref: OciRef) -> Any:
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
