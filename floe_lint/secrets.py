"""What counts as a credential, shared by every place that must never echo one."""

from __future__ import annotations

import re
from functools import lru_cache

_SECRET_WORDS = re.compile(
    r"(^|[_\-.])(password|passwd|pwd|passphrase|token|secret|private[_\-]?key|api[_\-]?key|apikey"
    r"|access[_\-]?key|secret[_\-]?key|client[_\-]?secret|credentials?|keyfile[_\-]?json"
    r"|auth[_\-]?token|session[_\-]?token|sas[_\-]?token)($|[_\-.])",
    re.IGNORECASE,
)
_NOT_A_SECRET_SUFFIX = re.compile(r"[_\-](ref|env|var|path|file|name|uri|url|method|type)$", re.I)
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\$\{[^}]*\}", re.S)


@lru_cache(maxsize=4096)
def is_secret_key(key: str) -> bool:
    """True for keys such as ``password`` or ``private_key`` but not ``private_key_path``."""
    return bool(_SECRET_WORDS.search(key)) and not _NOT_A_SECRET_SUFFIX.search(key)


_KEY_VALUE = re.compile(
    r"""(?P<key>[\w.\-]+)["']?\s*:\s*"""
    r"""(?P<value>"[^"]*"|'[^']*'|[^,}\]\s#][^,}\]#]*)"""
)


def mask(line: str) -> str:
    """A source line with the literal value of every credential-like key replaced by stars."""

    def replace(match: re.Match[str]) -> str:
        value = match["value"].rstrip()
        if not is_secret_key(match["key"]) or is_env_var_reference(value.strip("'\"")):
            return match[0]
        start = match.start("value") - match.start()
        return match[0][:start] + "*" * len(value) + match[0][start + len(value) :]

    return _KEY_VALUE.sub(replace, line)


def is_templated(value: object) -> bool:
    """True when a string is resolved at run time (``{{ env_var(...) }}`` or ``${...}``)."""
    return isinstance(value, str) and bool(_TEMPLATE.search(value))


def is_env_var_reference(value: object) -> bool:
    """True when the whole value defers to the environment or a secret store."""
    return isinstance(value, str) and bool(_TEMPLATE.fullmatch(value.strip()))
