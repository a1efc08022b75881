"""Errors every stage may raise and the command line reports in one line (exit status 2).

They live apart from the modules that raise them so that no stage imports another only for
an exception type.
"""

from __future__ import annotations


class ConfigError(Exception):
    """A config problem; the message names the file and what is wrong."""


class ConfigErrors(ConfigError):
    """Every problem of one config file, each a message of its own, in file order."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


class UnknownRuleError(ConfigError):
    """A rule selector, on the command line or in the config, that names no rule."""


class suppressed:
    """`contextlib.suppress(*errors)` without importing contextlib (0.4 ms of the pre-commit
    hook's start-up): the block's errors of these kinds end it silently."""

    __slots__ = ("errors",)

    def __init__(self, *errors: type[BaseException]):
        self.errors = errors

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error: object, trace: object) -> bool:
        return kind is not None and issubclass(kind, self.errors)


def one_line(text: str) -> str:
    """Third-party text fit for a one-line message: whitespace runs become one space, other
    control characters are escaped (a plugin's error must not rewrite the terminal)."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in " ".join(text.split()))
