"""The rule registry: what a rule module must declare, the built-in rules, rules installed
through the entry point group `floe_lint.rules`, the config's rule folders, and selection
(the grammar of `floe_lint.lint.selectors`).

A rule is a module with `ID`, `NAME`, `SEVERITY`, `SUBJECT` and `check(subject, ctx)`; its
docstring is its documentation. A rule that attaches fixes declares them in `FIXES`:
applicability (`safe`, `unsafe`, `display-only`) -> what the fix does. A `document`, `product`
or `manifest` rule that finds nothing unless its subject's own document is written in one
dialect says so in `DIALECT` (`floe` or `adr-0010`), and one that finds nothing unless that
document holds one of some top-level keys lists them in `KEYS`: a run none of whose subjects
is in that dialect, or holds such a key, does not import it (floe_lint.lint.applicable). A
`file` rule that reports only what the loader noted for it (a file's `problems` whose `rule` is
its NAME) says `FROM_LOADER = True`: a run whose files noted none is spared it too. A rule
that finds nothing on a subject unless a test of `floe_lint.lint.applicable.GUARDS` passes names
it in `GUARD`: while its module is not imported, its `check` runs that test first and imports
the module only for a subject that passes it.
Subjects: `file` (a SourceFile), `document` (every Floe document), `manifest` (a hierarchy
`Level`), `product` (a `Product` view with its platform).
Rules import only `floe_lint.api` (see docs/extending.md).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path
from types import ModuleType

from floe_lint.entry_points import installed
from floe_lint.entry_points import source as entry_point_source
from floe_lint.errors import ConfigError, one_line
from floe_lint.findings import APPLICABILITIES, SEVERITIES, Finding
from floe_lint.lint import selectors

TYPE_CHECKING = False
if TYPE_CHECKING:
    from importlib.metadata import EntryPoint
    from typing import Any, Literal

    from floe_lint.findings import Severity
    from floe_lint.lint.context import Context

    Subject = Literal["file", "document", "manifest", "product", "suppression", "control"]

ENTRY_POINT_GROUP = "floe_lint.rules"

# `suppression` rules run in the filter stage, after every other rule, on each unused code;
# `control` rules there too, on what central control refused (`floe_lint.lint.mandatory`).
SUBJECTS: tuple[Subject, ...] = (
    "file",
    "document",
    "manifest",
    "product",
    "suppression",
    "control",
)


class RuleError(Exception):
    """A rule module that does not follow the rule contract."""


class Rule:
    """A rule: id, name, default severity, subject, and its check and documentation.

    A built-in rule comes from the static table (`rules/_table.py`): its module is imported
    when its `check` is first asked for, that is when it runs. (A plain class, not a
    dataclass: defining one costs start-up.)
    """

    __slots__ = (
        "_check",
        "_doc",
        "_fixes",
        "dialect",
        "from_loader",
        "guard",
        "id",
        "keys",
        "module",
        "name",
        "severity",
        "subject",
    )

    def __init__(
        self,
        id: str,
        name: str,
        severity: Severity,
        subject: Subject,
        check: Callable[[Any, Context], Iterable[Finding]] | None,
        doc: str,
        module: str | None = None,
        fixes: tuple[tuple[str, str], ...] | None = None,
        dialect: str | None = None,
        keys: tuple[str, ...] | None = None,
        from_loader: bool = False,
        guard: str | None = None,
    ):
        self.id, self.name, self.severity, self.subject = id, name, severity, subject
        self._check, self._doc, self._fixes = check, doc, fixes
        #: the one dialect of its subject's own document where it can find anything (None: any)
        self.dialect = dialect
        #: the top-level keys of its subject's own document of which it needs one (None: none)
        self.keys = keys
        #: it reports only the loader's problems noted for its name (a `file` rule)
        self.from_loader = from_loader
        #: what its subject must pass before it can find anything on it (`GUARD`; None: none)
        self.guard = guard
        #: the module that holds the rule (set for a built-in rule read from the table)
        self.module = module if module is not None else getattr(check, "__module__", None)

    @property
    def check(self) -> Callable[[Any, Context], Iterable[Finding]]:
        """Its module's `check`, imported now; for a rule with a `GUARD`, that check behind its
        test (`floe_lint.lint.applicable.guarded`), the module imported when a subject passes."""
        if self._check is None:
            if self.guard is not None:
                from floe_lint.lint.applicable import guarded

                self._check = guarded(self)
            else:
                self._check = self.module_check()
        return self._check

    def module_check(self) -> Callable[[Any, Context], Iterable[Finding]]:
        """Its module's own `check` (the module imported if it was not)."""
        check: Callable[[Any, Context], Iterable[Finding]] = importlib.import_module(
            str(self.module)
        ).check
        return check

    @property
    def doc(self) -> str:
        return self._doc

    @property
    def fixes(self) -> tuple[tuple[str, str], ...]:
        """(applicability, what the fix does) for each kind of fix the rule may attach (its
        module's `FIXES`; a built-in rule's module is imported when this is asked for)."""
        if self._fixes is None:
            module = importlib.import_module(str(self.module)) if self.module else None
            self._fixes = fixes_of(module) if module is not None else ()
        return self._fixes

    @property
    def summary(self) -> str:
        """The docstring's first paragraph on one line: its first sentence, never cut."""
        return " ".join(self.doc.strip().split("\n\n", 1)[0].split())

    def __repr__(self) -> str:
        return f"Rule({self.id!r}, {self.name!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Rule) and (self.id, self.name, self.module) == (
            other.id,
            other.name,
            other.module,
        )

    def __hash__(self) -> int:
        return hash((self.id, self.name))


def rule_from_module(module: ModuleType) -> Rule:
    missing = [a for a in ("ID", "NAME", "SEVERITY", "SUBJECT", "check") if not hasattr(module, a)]
    if missing or not module.__doc__:
        raise RuleError(
            f"rule module {module.__name__} lacks {', '.join(missing) or 'a docstring'}"
        )
    if module.SUBJECT not in SUBJECTS:
        raise RuleError(f"rule module {module.__name__} has unknown SUBJECT {module.SUBJECT!r}")
    if module.SEVERITY not in SEVERITIES:
        raise RuleError(f"rule module {module.__name__} has unknown SEVERITY {module.SEVERITY!r}")
    for attribute in ("ID", "NAME"):
        value = getattr(module, attribute)
        if not isinstance(value, str) or not value.isprintable() or not value or " " in value:
            raise RuleError(f"rule module {module.__name__} has a malformed {attribute} {value!r}")
    if not callable(module.check):
        raise RuleError(f"rule module {module.__name__} has a check that is not a function")
    return Rule(
        module.ID,
        module.NAME,
        module.SEVERITY,
        module.SUBJECT,
        module.check,
        module.__doc__,
        fixes=fixes_of(module),
        dialect=dialect_of(module),
        keys=keys_of(module),
        from_loader=from_loader_of(module),
        guard=guard_of(module),
    )


#: the subjects whose own document a rule's `DIALECT` can name
DIALECT_SUBJECTS = ("document", "product", "manifest")


def dialect_of(module: ModuleType) -> str | None:
    """A rule module's `DIALECT` (None when it has none), checked."""
    dialect = getattr(module, "DIALECT", None)
    if dialect is None:
        return None
    from floe_lint.load.dialect import DIALECTS

    if dialect not in DIALECTS:
        raise RuleError(
            f"rule module {module.__name__} has unknown DIALECT {dialect!r} "
            f"(one of: {', '.join(DIALECTS)})"
        )
    if module.SUBJECT not in DIALECT_SUBJECTS:
        raise RuleError(
            f"rule module {module.__name__} has a DIALECT, which only a rule of "
            f"{', '.join(DIALECT_SUBJECTS)} may have"
        )
    return str(dialect)


def from_loader_of(module: ModuleType) -> bool:
    """A rule module's `FROM_LOADER` (False when it has none), checked."""
    value = getattr(module, "FROM_LOADER", False)
    if value is False:
        return False
    if value is not True or module.SUBJECT != "file":
        raise RuleError(
            f"rule module {module.__name__} has FROM_LOADER {value!r}: only True, on a rule of file"
        )
    return True


def guard_of(module: ModuleType) -> str | None:
    """A rule module's `GUARD` (None when it has none), checked: a test of its subject that
    `floe_lint.lint.applicable.GUARDS` knows, for a subject it applies to."""
    guard = getattr(module, "GUARD", None)
    if guard is None:
        return None
    from floe_lint.lint.applicable import GUARDS

    subjects = GUARDS.get(guard) if isinstance(guard, str) else None
    if subjects is None:
        raise RuleError(
            f"rule module {module.__name__} has unknown GUARD {guard!r} "
            f"(one of: {', '.join(sorted(GUARDS))})"
        )
    if module.SUBJECT not in subjects:
        raise RuleError(
            f"rule module {module.__name__} has GUARD {guard!r}, which only a rule of "
            f"{', '.join(subjects)} may have"
        )
    return str(guard)


def keys_of(module: ModuleType) -> tuple[str, ...] | None:
    """A rule module's `KEYS` (None when it has none), checked: a tuple of top-level keys."""
    keys = getattr(module, "KEYS", None)
    if keys is None:
        return None
    if (
        not isinstance(keys, tuple)
        or not keys
        or not all(isinstance(k, str) and k.isprintable() and k and " " not in k for k in keys)
    ):
        raise RuleError(f"rule module {module.__name__} has malformed KEYS {keys!r}")
    if module.SUBJECT not in DIALECT_SUBJECTS:
        raise RuleError(
            f"rule module {module.__name__} has KEYS, which only a rule of "
            f"{', '.join(DIALECT_SUBJECTS)} may have"
        )
    return keys


def fixes_of(module: ModuleType) -> tuple[tuple[str, str], ...]:
    """A rule module's `FIXES` (applicability -> what the fix does), checked and ordered
    safe, unsafe, display-only."""
    fixes = getattr(module, "FIXES", {})
    if not isinstance(fixes, dict) or any(
        k not in APPLICABILITIES or not isinstance(v, str) for k, v in fixes.items()
    ):
        raise RuleError(
            f"rule module {module.__name__} has malformed FIXES (applicability -> description; "
            f"applicabilities: {', '.join(APPLICABILITIES)})"
        )
    order: dict[str, int] = {k: i for i, k in enumerate(APPLICABILITIES)}
    return tuple(sorted(fixes.items(), key=lambda item: order[item[0]]))


_PACKAGE = "floe_lint.rules"


def _module_names() -> set[str] | None:
    """The rule modules of `rules/` by file name (no import); None when not a plain folder."""
    import os

    package = importlib.import_module(_PACKAGE)
    names: set[str] = set()
    for folder in package.__path__:
        try:
            entries = os.listdir(folder)
        except OSError:
            return None
        names.update(
            entry[:-3] for entry in entries if entry.endswith(".py") and not entry.startswith("_")
        )
    return names


def _table_rules() -> tuple[Rule, ...] | None:
    """The built-in rules from the static table, or None when it lists other modules than
    `rules/` holds (a rule added without regenerating it: see floe_lint.lint.rule_table)."""
    try:
        table = importlib.import_module(f"{_PACKAGE}._table")
    except ImportError:
        return None
    rows = table.RULES
    if {row[4] for row in rows} != _module_names():
        return None
    dialects = {
        rule_id: dialect
        for dialect, ids in getattr(table, "DIALECTS", {}).items()
        for rule_id in ids.split()
    }
    keys = {
        rule_id: tuple(needed.split())
        for needed, ids in getattr(table, "KEYS", {}).items()
        for rule_id in ids.split()
    }
    from_loader = set(getattr(table, "FROM_LOADER", "").split())
    guards = {
        rule_id: guard
        for guard, ids in getattr(table, "GUARDS", {}).items()
        for rule_id in ids.split()
    }
    return tuple(
        Rule(
            id,
            name,
            severity,
            subject,
            None,
            doc,
            f"{_PACKAGE}.{module}",
            dialect=dialects.get(id),
            keys=keys.get(id),
            from_loader=id in from_loader,
            guard=guards.get(id),
        )
        for id, name, severity, subject, module, doc in rows
    )


@cache
def builtin_rules() -> tuple[Rule, ...]:
    """Every rule module in `floe_lint.rules`, ordered by id: from the static table, each
    module imported when its rule runs; from the modules themselves when the table is stale."""
    table = _table_rules()
    if table is not None:
        return tuple(sorted(table, key=lambda r: r.id))
    import pkgutil

    package = importlib.import_module(_PACKAGE)
    rules = [
        rule_from_module(importlib.import_module(f"{_PACKAGE}.{info.name}"))
        for info in pkgutil.iter_modules(package.__path__)
        if not info.name.startswith("_")
    ]
    return tuple(sorted(rules, key=lambda r: r.id))


def _check_untaken(rule: Rule, others: Iterable[Rule], where: str) -> None:
    """Rule ids and names are unique across built-in, installed and folder rules."""
    for other in others:
        if rule.id in (other.id, other.name) or rule.name in (other.id, other.name):
            raise ConfigError(
                f"{where}: rule id or name of {rule.id} {rule.name} is already taken by "
                f"{other.id} {other.name}"
            )


def rules_of_entry_points(entries: Iterable[EntryPoint]) -> tuple[Rule, ...]:
    """The rule modules that entry points name, each checked like a folder's rule.

    A broken one stops the run (ConfigError, exit 2): a missing rule must never pass silently.
    """
    rules: list[Rule] = []
    for entry in entries:
        where = one_line(f"rule entry point '{entry.name}' = {entry_point_source(entry)}")
        try:
            module = entry.load()
        except Exception as error:  # a third party's import error of any kind
            reason = one_line(f"{type(error).__name__}: {error}")
            raise ConfigError(f"{where}: failed to load: {reason}") from error
        if not isinstance(module, ModuleType):
            raise ConfigError(f"{where}: names {type(module).__name__}, not a rule module")
        try:
            rule = rule_from_module(module)
        except RuleError as error:
            raise ConfigError(f"{where}: {error}") from error
        if rule.id != entry.name:
            raise ConfigError(
                f"{where}: provides {rule.id!r}; the entry point name must be the rule id"
            )
        _check_untaken(rule, (*builtin_rules(), *rules), where)
        rules.append(rule)
    return tuple(rules)


@cache
def installed_rules() -> tuple[Rule, ...]:
    """Built-in rules and those of the `floe_lint.rules` entry points, ordered by id."""
    extra = rules_of_entry_points(installed(ENTRY_POINT_GROUP))
    return tuple(sorted((*builtin_rules(), *extra), key=lambda r: r.id))


def rules_for(keys: Iterable[str]) -> tuple[Rule, ...]:
    """The rules to check selectors against: the built-in ones when they name every key
    (installed rules are then not loaded: `compile` or `lock` need no rule), else all installed."""
    builtin = builtin_rules()
    if all(selectors.names_a_rule(key, builtin) for key in keys):
        return builtin
    return installed_rules()


def find_rule(key: str, rules: Sequence[Rule] | None = None) -> Rule | None:
    """The rule whose id or name is `key` (any case)."""
    return selectors.find(key, rules if rules is not None else installed_rules())


def folder_rules(folders: Sequence[Path]) -> tuple[Rule, ...]:
    """Rule modules (`*.py` not starting with `_`) of the config's `rule-folders`.

    Loading them runs their code, as with any plugin: only folders the config names are read.
    """
    import hashlib
    import importlib.util
    import sys

    from floe_lint.lint.cache import digest

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
                # the bytes hashed are the bytes run (never a stale __pycache__ of them)
                raw = path.read_bytes()
                RAN[str(path)] = digest(raw)
                exec(compile(raw, str(path), "exec", dont_inherit=True), module.__dict__)
                rules.append(rule_from_module(module))
            except RuleError as error:
                raise ConfigError(f"{path}: {error}") from error
            except Exception as error:
                raise ConfigError(f"{path}: rule module failed to load: {error!r}") from error
            _check_untaken(rules[-1], (*installed_rules(), *rules[:-1]), str(path))
    return tuple(rules)


#: the content hash of each rule-folder module as `folder_rules` ran it, by path: what the
#: result cache keys a run by (`folder_files`), never the file as read again later
RAN: dict[str, str] = {}


def folder_files(folders: Sequence[Path]) -> list[list[str | None]]:
    """[path, content hash] of each file of the rule folders and below: a module as it was
    run, any other file (a helper the modules import, a file one reads) as it is now."""
    from floe_lint.lint.rule_files import content_hash, rule_folder_files

    return [[str(p), RAN.get(str(p)) or content_hash(str(p))] for p in rule_folder_files(folders)]


def enabled_rules(
    select: Sequence[str], ignore: Sequence[str], extra: Sequence[Rule] = ()
) -> list[Rule]:
    """The rules that `select` names (all when empty) minus those `ignore` names."""
    rules = sorted([*installed_rules(), *extra], key=lambda r: r.id)
    return selectors.select(rules, select, ignore)
