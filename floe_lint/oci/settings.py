"""The `oci` table of the config, validated, with environment overrides applied."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from floe_lint.errors import ConfigError
from floe_lint.model.refs import host_problem
from floe_lint.record import Frozen, set_field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

OFFLINE_ENV = "FLOE_LINT_OFFLINE"
USERNAME_ENV, PASSWORD_ENV = "FLOE_LINT_REGISTRY_USERNAME", "FLOE_LINT_REGISTRY_PASSWORD"
HOSTS_ENV = "FLOE_LINT_REGISTRY_HOSTS"
CACHE_ENV = "FLOE_LINT_CACHE_DIR"


class Settings(Frozen):
    """The `oci` table of the config, validated, with environment overrides applied."""

    __slots__ = (
        "budget",
        "cache_dir",
        "insecure",
        "mirrors",
        "offline",
        "retries",
        "tag_ttl",
        "timeout",
    )
    cache_dir: Path
    mirrors: Mapping[str, str]
    insecure: frozenset[str]
    timeout: float
    retries: int
    budget: float
    tag_ttl: float
    offline: bool

    def __init__(
        self,
        cache_dir: Path,
        mirrors: Mapping[str, str] | None = None,
        insecure: frozenset[str] = frozenset(),
        timeout: float = 5.0,
        retries: int = 2,
        budget: float = 10.0,
        tag_ttl: float = 300.0,
        offline: bool = False,
    ) -> None:
        set_field(self, "cache_dir", cache_dir)
        set_field(self, "mirrors", {} if mirrors is None else mirrors)
        set_field(self, "insecure", insecure)
        set_field(self, "timeout", timeout)
        set_field(self, "retries", retries)
        set_field(self, "budget", budget)
        set_field(self, "tag_ttl", tag_ttl)
        set_field(self, "offline", offline)

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
            from urllib.parse import urlsplit  # here: only a mirror needs it (start-up)

            parts = urlsplit(mirror)
            return parts.scheme, parts.netloc
        bare = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        scheme = "http" if host in self.insecure or bare in self.insecure else "https"
        return scheme, host


def _check_mirror(host: str, url: object, where: str) -> None:
    from urllib.parse import urlsplit  # here: only a config with mirrors needs it (start-up)

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
