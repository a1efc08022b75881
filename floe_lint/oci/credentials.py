"""Registry credentials: FLOE_LINT_REGISTRY_USERNAME/_PASSWORD or Docker's config.json
(`auths`, `credHelpers`, `credsStore`); sent only when a registry asks, never printed or cached."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from floe_lint.load.reading import json_value, read_regular
from floe_lint.oci.settings import HOSTS_ENV, PASSWORD_ENV, USERNAME_ENV

_HELPER = re.compile(r"^[A-Za-z0-9_.-]+$")


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
        config = json_value(read_regular(docker_config_path(env), 4 * 1024 * 1024))
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
