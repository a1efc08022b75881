"""Which rules can find anything in a batch of subjects, decided before a rule's module is
imported (a rule's module is imported when its `check` is first asked for: floe_lint.lint.registry).

A rule with no subject of its kind in the batch finds nothing there: a run without suppressions
never imports `unused-suppression`, a product's group of a streamed run no manifest rule. A rule
with a `DIALECT` (its row of the static table) finds nothing on a subject whose own document (a
document itself, a product's or a level's) is in the other dialect; a rule with `KEYS` finds
nothing on a subject whose own document holds none of these top-level keys (the
governance-weakening rules: `governance`); a file rule `FROM_LOADER` reports only what the
loader noted for it in the file. None of them is asked about such a subject, and one with no
other subject in the batch is not imported: the rules of upstream's code dialect are not
imported for a tree written in ADR-0010's. Each subject is judged alone, so a file is checked
alike in whatever batch a streamed run puts it (the result cache stores which rules ran on each
file). tests/test_rules_applicable.py holds both halves: each such rule finds nothing on a
subject it is not asked about, and a run prints the same with this selection as without it.

A built-in rule with a `GUARD` (its row of the static table) is asked about every subject, but
through `guarded`: a test of `GUARDS`, which asks the context exactly what the rule's own first
step asks (a schema rule: the document's schema problems of its category, and of its overlays';
a ref rule: the document's ref problems; untrusted-root: whether there are trusted roots;
unpinned-ref: whether the document's ref is an oci:// one; no-floe-document: whether the file
parsed and holds no Floe document; nine compute-policy rules and scope-mismatch: their own
first steps, such as a default that is set and not approved), and
imports the rule's module only for a subject that passes it. Most subjects of most runs pass
none (a valid document has no schema problem), so 24 of the 29 rule modules a product and its
two manifests used to import are not. tests/test_rule_guards.py holds both halves: a rule finds
nothing on a subject its test fails, and a run prints the same with the tests as without them.
A test has no effect of its own (lock-stale has none: it reads floe.lock through the run's
replay, which the result cache keys).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Protocol

    from floe_lint.findings import Finding
    from floe_lint.lint.context import Context
    from floe_lint.load.document import Document, SourceFile

    class Rule(Protocol):
        """What this module reads of a `floe_lint.lint.registry.Rule` (not imported here: the
        registry imports this module)."""

        @property
        def name(self) -> str: ...
        @property
        def subject(self) -> str: ...
        @property
        def dialect(self) -> str | None: ...
        @property
        def keys(self) -> tuple[str, ...] | None: ...
        @property
        def from_loader(self) -> bool: ...
        @property
        def guard(self) -> str | None: ...
        def module_check(self) -> Callable[[Any, Context], Iterable[Finding]]: ...


#: whether rules are selected by dialect (off: every rule with a subject is asked, as before;
#: tests/test_rules_applicable.py compares both)
BY_DIALECT = True
#: whether a rule's `GUARD` is tested before its module is imported (off: every subject goes to
#: the module's check, as before; tests/test_rule_guards.py compares both)
BY_GUARD = True


class Applicable:
    """The subjects of one batch by kind, and what each rule is to check among them."""

    __slots__ = ("_noted", "_own", "subjects")

    def __init__(self, subjects: Mapping[Any, Sequence[Any]]):
        self.subjects = subjects
        #: subject kind -> per subject, its own document's dialect and data (when asked)
        self._own: dict[str, list[tuple[str, Any]]] = {}
        #: per file subject, the rule names of the problems the loader noted in it (when asked)
        self._noted: list[frozenset[str]] | None = None

    def targets(self, rule: Rule) -> Sequence[Any]:
        """The subjects `rule` is to check: those of its kind, less those it can find nothing
        in (its `DIALECT` is not their own document's, their own document holds none of its
        `KEYS`, the loader noted no problem of its name in the file). Decided per subject, so
        that a file's subjects are checked alike in whatever batch they are (the result cache
        stores which rules ran on each file)."""
        found = self.subjects[rule.subject]
        if not found or not BY_DIALECT:
            return found
        if rule.from_loader:
            if self._noted is None:
                self._noted = [frozenset(p.rule for p in source.problems) for source in found]
            return [s for s, noted in zip(found, self._noted, strict=True) if rule.name in noted]
        if rule.dialect is None and rule.keys is None:
            return found
        own = self._own.get(rule.subject)
        if own is None:
            own = self._own[rule.subject] = [(doc.dialect, doc.data) for doc in _docs(rule, found)]
        dialect, keys = rule.dialect, rule.keys
        return [
            subject
            for subject, (its_dialect, data) in zip(found, own, strict=True)
            if (dialect is None or its_dialect == dialect)
            and (keys is None or (isinstance(data, dict) and any(key in data for key in keys)))
        ]


def _docs(rule: Rule, subjects: Sequence[Any]) -> Iterator[Any]:
    """The subjects' own documents: a document itself, a product's or a level's."""
    if rule.subject == "document":
        return iter(subjects)
    return (subject.doc for subject in subjects)


#: the schema categories the schema rules also report in a document's per-environment files
#: (rules/_schema.py's OVERLAY_CATEGORIES: tests/test_rule_guards.py checks they are the same)
OVERLAY_CATEGORIES = frozenset({"unknown-key", "type", "enum"})


def _schema(category: str) -> Callable[[Document, Context], bool]:
    """A schema rule of `category` (rules/_schema.py's `findings`) finds something only in a
    problem of its category: the document's, or an overlay's for an overlay category."""
    overlays = category in OVERLAY_CATEGORIES

    def test(doc: Document, ctx: Context) -> bool:
        if any(p.category == category for p in ctx.schema_problems(doc)):
            return True
        return overlays and any(
            p.category == category
            for overlay in ctx.environment_overlays(doc)
            for p in ctx.overlay_schema_problems(overlay, doc)
        )

    return test


def _may_hold_url_credentials(text: str) -> bool:
    from floe_lint.secrets import may_hold_url_credentials

    return may_hold_url_credentials(text)


def _names_oci(doc: Document, ctx: Context) -> bool:
    """The ref to the level above (a product's platform, a manifest's parent) is an oci:// ref."""
    from floe_lint.model.refs import is_oci

    text = ctx.model_of(doc).ref_node.value
    return isinstance(text, str) and is_oci(text)


def _untyped(source: SourceFile, ctx: Context) -> bool:
    """A file that parsed and holds no manifest or product document (plain loops on a file's
    path here: `any` of a generator stopped early throws it a GeneratorExit, issue 17)."""
    if source.problems:
        return False
    for doc in source.documents:  # noqa: SIM110 - see the docstring
        if doc.kind:
            return False
    return True


def _lists_products(product: Any, ctx: Context) -> bool:
    """product-not-approved: a level above the product lists the products it approves."""
    level = product.platform
    return level is not None and any(
        above.manifest.approved_products is not None for above in level.chain()
    )


def _no_default(product: Any, ctx: Context) -> bool:
    """missing-default: the product's platform sets no default compute."""
    level = product.platform
    return level is not None and level.default is None


def _unchecked(product: Any, ctx: Context) -> bool:
    """platform-not-checked: a product with transforms whose platform could not be loaded or
    that names none."""
    if not product.transforms:
        return False
    level = product.platform
    return (level is not None and level.unloaded() is not None) or bool(product.unlinked)


def _repeats_compute(level: Any, ctx: Context) -> bool:
    """duplicate-compute: the level approves a compute name twice."""
    return len({entry.name for entry in level.entries}) < len(level.entries)


def _default_unapproved(level: Any, ctx: Context) -> bool:
    """default-not-approved: the rule's own first steps (a default that is set, not templated
    and not in the level's effective approved list)."""
    from floe_lint.secrets import is_templated

    if not level.entries and not level.inherits:
        return False
    default = level.default
    return not (
        default is None
        or level.default_level is None
        or is_templated(default)
        or default in level.approved
    )


def _approves_more(level: Any, ctx: Context) -> bool:
    """approved-not-subset: the level approves a compute that its parent's allowance (a known
    list) does not hold."""
    parent = level.parent
    if parent is None or parent.list_unknown:
        return False
    names = parent.children_allowed.names
    return names is not None and any(entry.name not in names for entry in level.entries)


def _unknown_compute(level: Any, ctx: Context) -> bool:
    """unknown-compute: the level approves a name no compute plugin provides."""
    known = ctx.known_computes
    return any(entry.name not in known for entry in level.entries)


def _repeats_transform(product: Any, ctx: Context) -> bool:
    """duplicate-transform: two transforms select the same path (normalized) or name."""
    from floe_lint.model.product import normalized_path

    keys = [
        normalized_path(t.identity) if t.identity_key == "path" else t.identity
        for t in product.transforms
        if t.identity is not None
    ]
    return len(set(keys)) < len(keys)


def _unapproved_selection(product: Any, ctx: Context) -> bool:
    """compute-not-approved: the rule's own first steps (a loaded platform with computes, and a
    transform naming one, not templated, that the platform does not approve)."""
    from floe_lint.secrets import is_templated

    level = product.platform
    if level is None or level.unloaded() is not None:
        return False
    for above in level.chain():  # (loops: see `_untyped`)
        if above.entries:
            break
    else:
        return False
    for t in product.transforms:
        compute = t.compute
        if isinstance(compute, str) and compute not in level.approved and not is_templated(compute):
            return True
    return False


def _scope_amiss(level: Any, ctx: Context) -> bool:
    """scope-mismatch: each condition the rule reports (a blank parent ref; a parent where the
    scope allows none, or none where it needs one; a domain under a central manifest; a key
    placed at another scope)."""
    written = level.parent_node.value
    scope, has_parent = level.scope, level.has_parent
    return (
        (isinstance(written, str) and not written.strip())
        or (scope == "enterprise" and has_parent)
        or (scope == "domain" and not has_parent)
        or (scope is None and has_parent)
        or (scope == "domain" and level.parent is not None and level.parent.scope is None)
        or bool(level.manifest.misplaced)
    )


#: the tests of `TESTS` that are given the subject itself (a `Product`, a `Level`), not its
#: own document
ON_SUBJECT = frozenset(
    {
        "approved-products",
        "no-default",
        "unchecked-platform",
        "repeated-compute",
        "default-unapproved",
        "unapproved-compute",
        "unknown-compute",
        "repeated-transform",
        "unapproved-selection",
        "scope-amiss",
    }
)

#: each `GUARD` a rule may name: a test of its subject's own document (a file rule's: the file;
#: False: the rule finds nothing on that subject), and the subjects of the rules that may name it
TESTS: dict[str, Callable[[Any, Context], bool]] = {
    "schema:unknown-key": _schema("unknown-key"),
    "schema:type": _schema("type"),
    "schema:required": _schema("required"),
    "schema:enum": _schema("enum"),
    "schema:empty-list": _schema("empty-list"),
    "schema:invalid": _schema("invalid"),
    "schema:coerced": _schema("coerced"),
    "ref-problems": lambda doc, ctx: bool(ctx.ref_problems(doc)),
    "trusted-roots": lambda doc, ctx: ctx.trust is not None,
    "mixed-dialect": lambda doc, ctx: ctx.mixed_dialect(doc) is not None,
    "url-credentials": lambda doc, ctx: _may_hold_url_credentials(doc.text),
    "oci-ref": _names_oci,
    "untyped-file": _untyped,
    "approved-products": _lists_products,
    "no-default": _no_default,
    "unchecked-platform": _unchecked,
    "repeated-compute": _repeats_compute,
    "default-unapproved": _default_unapproved,
    "unapproved-compute": _approves_more,
    "unknown-compute": _unknown_compute,
    "repeated-transform": _repeats_transform,
    "unapproved-selection": _unapproved_selection,
    "scope-amiss": _scope_amiss,
}
GUARDS: dict[str, tuple[str, ...]] = {
    **{name: ("document",) for name in TESTS if name.startswith("schema:")},
    "ref-problems": ("document", "manifest", "product"),
    "trusted-roots": ("document", "manifest", "product"),
    "mixed-dialect": ("document",),
    "url-credentials": ("document",),
    "oci-ref": ("document",),
    "untyped-file": ("file",),
    "approved-products": ("product",),
    "no-default": ("product",),
    "unchecked-platform": ("product",),
    "repeated-compute": ("manifest",),
    "default-unapproved": ("manifest",),
    "unapproved-compute": ("manifest",),
    "unknown-compute": ("manifest",),
    "repeated-transform": ("product",),
    "unapproved-selection": ("product",),
    "scope-amiss": ("manifest",),
}


def guarded(rule: Rule) -> Callable[[Any, Context], Iterable[Finding]]:
    """`rule`'s check behind the test its `GUARD` names: nothing for a subject that fails it,
    the module's own check (imported when first needed) for one that passes."""
    test = TESTS[str(rule.guard)]
    own = rule.subject in ("manifest", "product") and rule.guard not in ON_SUBJECT
    found: list[Callable[[Any, Context], Iterable[Finding]]] = []

    def check(subject: Any, ctx: Context) -> Iterable[Finding]:
        if BY_GUARD and not test(subject.doc if own else subject, ctx):
            return ()
        if not found:
            found.append(rule.module_check())
        return found[0](subject, ctx)

    return check
