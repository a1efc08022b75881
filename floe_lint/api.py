"""The stable surface for extensions: rule folders, entry-point rules and compute plugins
import this module and nothing else of floe_lint, so the internals can move freely.

A rule is a module with `ID`, `NAME`, `SEVERITY`, `SUBJECT` and `check(subject, ctx)`; its
docstring (Why / Fails / Passes) is its documentation. `SUBJECT` chooses what `check` gets:

    "product"      a `Product`: its `platform` (a `Level`, or None) and its `transforms`
    "manifest"     a `Level`: scope, parent, approved computes and default, resolved; the
                   governance in force (`level.governance`) and its `weakenings`
    "document"     every Floe `Document` (raw data by JSON pointer; `ctx.model_of(doc)`)
    "file"         every `SourceFile` (its load problems; syntax, duplicate keys)
    "suppression"  each `Unused` suppression comment, after every other rule
    "control"      each `Refusal` of central control (a suppression of a mandatory rule,
                   an expired exception), in the filter stage

A finding may carry a fix (`ctx.finding(..., fix=ctx.fix("safe", title, edit, ...))`),
made of minimal text edits (`ctx.replace_value`, `ctx.remove_item`); the module declares
`FIXES = {applicability: what it does}` (see docs/fixes.md).

The model's views name the node each value came from (`transform.compute_node`,
`level.approved_node`, `level.default_node`, `product.platform_node`, `entry.name_node`);
a rule points its finding at such a node: `ctx.finding(node, message, related=[...])`.
Rules see the model, not a dialect's pointers, so they work for every input dialect.

A compute plugin subclasses `ComputePlugin` and is found through the entry point group
`floe_lint.compute`. See docs/extending.md for a rule and a plugin package end to end.

`API_VERSION` changes only when something here changes incompatibly.
"""

from __future__ import annotations

from floe_lint.compute.plugin import (
    REMOTE_RESOURCES,
    SECRET,
    ComputeConfig,
    ComputePlugin,
    ConnectionResult,
    PluginError,
    ResourceSpec,
    config_schema,
    copied,
    driver_available,
    env_var,
    from_environment,
    not_checked,
    profile_schema,
    resolve_env,
    shown,
    sized,
    timed,
)
from floe_lint.findings import SEVERITIES, Edit, Finding, Fix, Location, Related, Span
from floe_lint.lint.context import Context
from floe_lint.lint.mandatory import Refusal
from floe_lint.lint.suppressions import Unused
from floe_lint.load.document import Document, Node, SourceFile
from floe_lint.load.validation import CATEGORIES, SchemaProblem
from floe_lint.model.hierarchy import RefProblem
from floe_lint.model.level import EffectiveCompute, Level
from floe_lint.model.manifest import ComputeEntry, Manifest, Selection, Whitelist
from floe_lint.model.product import Product, Transform, normalized_path
from floe_lint.model.refs import OciRef, RefError, is_oci, parse_oci
from floe_lint.secrets import (
    is_reference,
    is_secret_key,
    is_templated,
    literal_credentials,
    mask_url_credentials,
    may_hold_credentials,
    may_hold_url_credentials,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from floe_lint.findings import Severity
    from floe_lint.lint.governance import overlay_weakenings as governance_overlay_weakenings
    from floe_lint.lint.governance import shown_entry as governance_entry_text
    from floe_lint.lint.governance import weakenings as governance_weakenings
    from floe_lint.lint.naming_compared import compare_naming, naming_text
    from floe_lint.load.lax import read_as as floe_core_reads
    from floe_lint.load.validation import Category as SchemaCategory
    from floe_lint.model.upstream_enforcement import (
        Enforcement,
        depends_on,
        matches_naming,
        strict_enforcement,
    )
    from floe_lint.suggest import did_you_mean, same_name
else:
    #: names whose module is imported when a rule first asks for them: only the rules of
    #: governance weakenings and of upstream's enforcement use them, and a run that needs
    #: none of those rules (floe_lint.lint.applicable) does not import them
    _LATER = {
        "governance_weakenings": ("floe_lint.lint.governance", "weakenings"),
        "governance_entry_text": ("floe_lint.lint.governance", "shown_entry"),
        "governance_overlay_weakenings": ("floe_lint.lint.governance", "overlay_weakenings"),
        # what pydantic's lax mode (floe-core's models) reads a value of another type as
        "floe_core_reads": ("floe_lint.load.lax", "read_as"),
        "Enforcement": ("floe_lint.model.upstream_enforcement", "Enforcement"),
        "depends_on": ("floe_lint.model.upstream_enforcement", "depends_on"),
        "matches_naming": ("floe_lint.model.upstream_enforcement", "matches_naming"),
        # a level's custom naming patterns against the convention above (FL612, FL614)
        "compare_naming": ("floe_lint.lint.naming_compared", "compare_naming"),
        "naming_text": ("floe_lint.lint.naming_compared", "naming_text"),
        "strict_enforcement": ("floe_lint.model.upstream_enforcement", "strict_enforcement"),
        # the rules that suggest a name do so in a finding's message (a clean run has none)
        "did_you_mean": ("floe_lint.suggest", "did_you_mean"),
        "same_name": ("floe_lint.suggest", "same_name"),
    }

    def __getattr__(name: str) -> object:
        """`Severity` and `SchemaCategory`, the `Literal` types of API 1, made when asked for:
        `typing` is not imported on a run's hot path (3 ms of every start-up, issue 17); and
        the names of `_LATER`, imported when first asked for."""
        later = _LATER.get(name)
        if later is not None:
            import importlib

            found = globals()[name] = getattr(importlib.import_module(later[0]), later[1])
            return found
        values = {"Severity": SEVERITIES, "SchemaCategory": CATEGORIES}.get(name)
        if values is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        from typing import Literal

        made = globals()[name] = Literal[values]
        return made


API_VERSION = 1
#: The name API 1 gave `is_reference` (a bare `{{ env_var('NAME') }}`).
is_env_var_reference = is_reference

__all__ = [
    "API_VERSION",
    "REMOTE_RESOURCES",
    "SECRET",
    "ComputeConfig",
    "ComputeEntry",
    "ComputePlugin",
    "ConnectionResult",
    "Context",
    "Document",
    "Edit",
    "EffectiveCompute",
    "Enforcement",
    "Finding",
    "Fix",
    "Level",
    "Location",
    "Manifest",
    "Node",
    "OciRef",
    "PluginError",
    "Product",
    "RefError",
    "RefProblem",
    "Refusal",
    "Related",
    "ResourceSpec",
    "SchemaCategory",
    "SchemaProblem",
    "Selection",
    "Severity",
    "SourceFile",
    "Span",
    "Transform",
    "Unused",
    "Whitelist",
    "compare_naming",
    "config_schema",
    "copied",
    "depends_on",
    "did_you_mean",
    "driver_available",
    "env_var",
    "floe_core_reads",
    "from_environment",
    "governance_entry_text",
    "governance_overlay_weakenings",
    "governance_weakenings",
    "is_env_var_reference",
    "is_oci",
    "is_reference",
    "is_secret_key",
    "is_templated",
    "literal_credentials",
    "mask_url_credentials",
    "matches_naming",
    "may_hold_credentials",
    "may_hold_url_credentials",
    "naming_text",
    "normalized_path",
    "not_checked",
    "parse_oci",
    "profile_schema",
    "resolve_env",
    "same_name",
    "shown",
    "sized",
    "strict_enforcement",
    "timed",
]
