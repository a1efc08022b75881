"""`floe-lint explain` output: text, level by level, and JSON (schemas/explain.json).

Names and refs come from users' files: control characters are escaped in the text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TextIO

from floe_lint import __version__
from floe_lint.model.explain import (
    EXPLAIN_VERSION,
    Explanation,
    Item,
    LevelView,
    Ref,
    Site,
    TransformView,
    TrustView,
)
from floe_lint.model.governance import shown
from floe_lint.reporters import display_path, json_text


def _p(text: str) -> str:
    from floe_lint.secrets import mask_url_credentials  # a ref may hold user:password@

    text = mask_url_credentials(text)
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


def _at(site: Site) -> str:
    return f"{display_path(site.path)}:{site.line}"


def _level_lines(level: LevelView) -> list[str]:
    lines = [f"{_p(level.label)}: {display_path(level.path)}"]
    if level.parent_ref is not None:
        lines.append(
            f"  {_p(level.parent_ref.key)} {_p(level.parent_ref.text)} "
            f"({_at(level.parent_ref.site)})"
        )
    lines += [f"  approves {_p(i.name)} ({_at(i.site)})" for i in level.approves]
    if level.inherits_from is not None:
        lines.append(f"  inherits its computes from {_p(level.inherits_from)}")
    lines += [
        f"  does not select {_p(r.name)} (allowed by {_p(r.approved_by)})"
        if r.whitelisted
        else f"  removes {_p(r.name)} (approved by {_p(r.approved_by)})"
        for r in level.removes
    ]
    lines += [
        f"  lists {_p(i.name)} ({_at(i.site)}), which its parent does not approve: ignored"
        for i in level.not_in_parent
    ]
    if level.allows is not None:
        names = ", ".join(_p(n) for n in level.allows.names) or "nothing"
        lines.append(f"  allows below {names} ({_at(level.allows.site)})")
    if level.default is None:
        lines.append("  no default")
    else:
        default = level.default
        inherited = (
            f", inherited from {_p(default.inherited_from)}" if default.inherited_from else ""
        )
        unapproved = "" if default.approved else ": not approved at this level"
        lines.append(f"  default {_p(default.name)}{inherited} ({_at(default.site)}){unapproved}")
    return lines + _governance_lines(level)


def _value(value: Any) -> str:
    """A governance value as YAML writes it (`required`, `90`, `true`)."""
    return _p(shown(value).strip("'"))


def _governance_lines(level: LevelView) -> list[str]:
    lines = []
    for g in level.governance:
        inherited = f", inherited from {_p(g.inherited_from)}" if g.inherited_from else ""
        default = ", floe-core's default" if g.default else ""
        lines.append(
            f"  governance {g.field} {_value(g.value)}{default}{inherited} ({_at(g.site)})"
        )
    lines += [
        f"  governance {n.field} {_value(n.value)} ({_at(n.site)}): weaker than "
        f"{_value(n.in_force)} of {_p(n.set_by)}, not in force"
        for n in level.not_in_force
    ]
    for a in level.plugins_allowed:
        inherited = f", inherited from {_p(a.inherited_from)}" if a.inherited_from else ""
        names = ", ".join(_p(n) for n in a.names) or "nothing"
        lines.append(f"  approved_plugins {_p(a.category)}: {names}{inherited} ({_at(a.site)})")
    lines += [
        f"  approved_plugins {_p(w.category)} lists {_p(w.name)} ({_at(w.site)}), which "
        f"{_p(w.allowed_by)} does not approve: ignored"
        for w in level.plugins_not_allowed
    ]
    return lines


def _transform_line(t: TransformView) -> str:
    head = f"  {_p(t.label)} at line {t.site.line}"
    if t.compute is None:
        return f"{head} -> no compute: it names none and no level sets a default"
    if t.source == "transform":
        where = f"its own compute ({_at(t.compute_site)})" if t.compute_site else "its own"
    else:
        where = f"default of {_p(t.default_of or '?')}" + (
            f" ({_at(t.compute_site)})" if t.compute_site else ""
        )
    line = f"{head} -> {_p(t.compute)}, {where}"
    if not t.approved:
        line += ": not approved"
        if t.removed_by and t.removed_from_whitelist:
            line += f": {_p(t.removed_by)} does not select it"
        elif t.removed_by:
            line += f", removed by {_p(t.removed_by)}"
    return line


def write_text(explanation: Explanation, out: TextIO) -> None:
    for level in explanation.levels:
        for line in _level_lines(level):
            out.write(line + "\n")
    if explanation.kind == "product":
        out.write(f"{_p(explanation.label)}: {display_path(explanation.path)}\n")
        if explanation.platform_ref is not None:
            ref = explanation.platform_ref
            out.write(f"  {_p(ref.key)} {_p(ref.text)} ({_at(ref.site)})\n")
        for transform in explanation.transforms:
            out.write(_transform_line(transform) + "\n")
    for site, message in explanation.problems:
        out.write(f"{_at(site)}: {_p(message)}\n")
    trust = explanation.trust
    if trust is not None:
        if trust.trusted:
            shown = _p(_root(trust.root or ""))
            out.write(f"trusted: yes, the hierarchy ends at trusted root {shown}\n")
        else:
            out.write(f"trusted: NO, {_p(trust.reason)}\n")


def _site_json(site: Site | None) -> dict[str, Any] | None:
    return None if site is None else {"file": display_path(site.path), "line": site.line}


def _masked(text: str) -> str:
    from floe_lint.secrets import mask_url_credentials

    return mask_url_credentials(text)


def _ref_json(ref: Ref | None) -> dict[str, Any] | None:
    if ref is None:
        return None
    from floe_lint.secrets import mask_url_credentials

    text = mask_url_credentials(ref.text)  # a ref may hold user:password@
    return {"text": text, "key": ref.key, **(_site_json(ref.site) or {})}


def _item_json(item: Item) -> dict[str, Any]:
    return {"name": item.name, **(_site_json(item.site) or {})}


def _level_json(level: LevelView) -> dict[str, Any]:
    default = level.default
    return {
        "label": level.label,
        "scope": level.scope,
        "file": display_path(level.path),
        "parent_ref": _ref_json(level.parent_ref),
        "approves": [_item_json(i) for i in level.approves],
        "removes": [
            {"name": r.name, "approved_by": r.approved_by, "whitelist": r.whitelisted}
            for r in level.removes
        ],
        "allows": None
        if level.allows is None
        else {"names": list(level.allows.names), **(_site_json(level.allows.site) or {})},
        "inherits_from": level.inherits_from,
        "not_in_parent": [_item_json(i) for i in level.not_in_parent],
        "default": None
        if default is None
        else {
            "name": default.name,
            "inherited_from": default.inherited_from,
            "approved": default.approved,
            **(_site_json(default.site) or {}),
        },
        "governance": [
            {
                "field": g.field,
                "value": g.value,
                "inherited_from": g.inherited_from,
                **(_site_json(g.site) or {}),
                **({"default": True} if g.default else {}),
            }
            for g in level.governance
        ],
        "governance_not_in_force": [
            {
                "field": n.field,
                "value": n.value,
                **(_site_json(n.site) or {}),
                "in_force": n.in_force,
                "set_by": n.set_by,
            }
            for n in level.not_in_force
        ],
        "approved_plugins": [
            {
                "category": a.category,
                "names": list(a.names),
                "inherited_from": a.inherited_from,
                **(_site_json(a.site) or {}),
            }
            for a in level.plugins_allowed
        ],
        "approved_plugins_not_allowed": [
            {
                "category": w.category,
                "name": w.name,
                **(_site_json(w.site) or {}),
                "allowed_by": w.allowed_by,
            }
            for w in level.plugins_not_allowed
        ],
    }


def _transform_json(t: TransformView) -> dict[str, Any]:
    return {
        "transform": t.label,
        **(_site_json(t.site) or {}),
        "compute": t.compute,
        "source": t.source,
        "compute_at": _site_json(t.compute_site),
        "default_of": t.default_of,
        "approved": t.approved,
        "removed_by": t.removed_by,
    }


def report(explanation: Explanation) -> dict[str, Any]:
    return {
        "version": EXPLAIN_VERSION,
        "tool": {"name": "floe-lint", "version": __version__},
        "file": display_path(explanation.path),
        "kind": explanation.kind,
        "label": explanation.label,
        "platform_ref": _ref_json(explanation.platform_ref),
        "levels": [_level_json(level) for level in explanation.levels],
        "transforms": [_transform_json(t) for t in explanation.transforms],
        "problems": [
            {**(_site_json(site) or {}), "message": _masked(message)}
            for site, message in explanation.problems
        ],
        "trust": _trust_json(explanation.trust),
    }


def _root(root: str) -> str:
    """A trusted root as given: an oci:// ref (credentials masked), else a path."""
    from floe_lint.secrets import mask_url_credentials

    return mask_url_credentials(root) if "://" in root else display_path(Path(root))


def _trust_json(trust: TrustView | None) -> dict[str, Any] | None:
    if trust is None:
        return None
    found: dict[str, Any] = {
        "trusted": trust.trusted,
        "ends_at": display_path(trust.ends_at) if trust.ends_at is not None else None,
        "root": _root(trust.root) if trust.root is not None else None,
        "trusted_roots": [_root(r) for r in trust.roots],
    }
    if not trust.trusted:
        found["reason"] = trust.reason
    return found


def write_json(explanation: Explanation, out: TextIO) -> None:
    out.write(json_text(report(explanation), indent=2) + "\n")
