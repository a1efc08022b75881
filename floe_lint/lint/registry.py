"""The rule registry: what a rule module must declare, the built-in rules, the config's
rule folders, and selection (the grammar of `floe_lint.lint.selectors`).

A rule is a module with `ID`, `NAME`, `SEVERITY`, `SUBJECT` and `check(subject, ctx)`; its
docstring is its documentation. Subjects: `file` (a SourceFile), `document` (every Floe
document), `manifest` (a hierarchy `Level`), `product` (a `Product` view with its platform).
Rules import only `floe_lint.api` (see docs/extending.md).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal

from floe_lint.errors import ConfigError
from floe_lint.findings import Finding, Severity
from floe_lint.lint import selectors

if TYPE_CHECKING:
    from floe_lint.lint.context import Context

Subject = Literal["file", "document", "manifest", "product", "suppression"]
# `suppression` rules run in the filter stage, after every other rule, on each unused code.
SUBJECTS: tuple[Subject, ...] = ("file", "document", "manifest", "product", "suppression")


class RuleError(Exception):
    """A rule module that does not follow the rule contract."""


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: Severity
    subject: Subject
    check: Callable[[Any, Context], Iterable[Finding]]
    doc: str

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else ""


def rule_from_module(module: ModuleType) -> Rule:
    missing = [a for a in ("ID", "NAME", "SEVERITY", "SUBJECT", "check") if not hasattr(module, a)]
    if missing or not module.__doc__:
        raise RuleError(
            f"rule module {module.__name__} lacks {', '.join(missing) or 'a docstring'}"
        )
    if module.SUBJECT not in SUBJECTS:
        raise RuleError(f"rule module {module.__name__} has unknown SUBJECT {module.SUBJECT!r}")
    return Rule(
        module.ID, module.NAME, module.SEVERITY, module.SUBJECT, module.check, module.__doc__
    )


@cache
def builtin_rules() -> tuple[Rule, ...]:
    """Every rule module in `floe_lint.rules`, ordered by id."""
    package = importlib.import_module("floe_lint.rules")
    rules = [
        rule_from_module(importlib.import_module(f"floe_lint.rules.{info.name}"))
        for info in pkgutil.iter_modules(package.__path__)
        if not info.name.startswith("_")
    ]
    return tuple(sorted(rules, key=lambda r: r.id))


def find_rule(key: str, rules: Sequence[Rule] | None = None) -> Rule | None:
    """The rule whose id or name is `key` (any case)."""
    return selectors.find(key, rules if rules is not None else builtin_rules())


def folder_rules(folders: Sequence[Path]) -> tuple[Rule, ...]:
    """Rule modules (`*.py` not starting with `_`) of the config's `rule-folders`.

    Loading them runs their code, as with any plugin: only folders the config names are read.
    """
    import hashlib
    import importlib.util
    import sys

    rules = []
    for folder in folders:
        if not folder.is_dir():
            raise ConfigError(f"{folder}: rule folder not found (rule-folders in the config)")
        tag = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:8]
        for path in sorted(folder.glob("*.py")):
            if path.name.startswith("_"):
                continue
            name = f"floe_lint_folder_rules_{tag}.{path.stem}"
            spec = importlib.util.spec_from_file_location(name, path)
            if spec is None or spec.loader is None:
                raise ConfigError(f"{path}: cannot load rule module")
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            try:
                spec.loader.exec_module(module)
                rules.append(rule_from_module(module))
            except RuleError as error:
                raise ConfigError(f"{path}: {error}") from error
            except Exception as error:
                raise ConfigError(f"{path}: rule module failed to load: {error!r}") from error
            taken = {k for r in (*builtin_rules(), *rules[:-1]) for k in (r.id, r.name)}
            if rules[-1].id in taken or rules[-1].name in taken:
                raise ConfigError(f"{path}: rule id or name is already taken by another rule")
    return tuple(rules)


def enabled_rules(
    select: Sequence[str], ignore: Sequence[str], extra: Sequence[Rule] = ()
) -> list[Rule]:
    """The rules that `select` names (all when empty) minus those `ignore` names."""
    return selectors.select(sorted([*builtin_rules(), *extra], key=lambda r: r.id), select, ignore)
