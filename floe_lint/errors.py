"""Errors every stage may raise and the command line reports in one line (exit status 2).

They live apart from the modules that raise them so that no stage imports another only for
an exception type.
"""

from __future__ import annotations


class ConfigError(Exception):
    """A config problem; the message names the file and what is wrong."""


class UnknownRuleError(ConfigError):
    """A rule selector, on the command line or in the config, that names no rule."""
