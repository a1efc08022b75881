"""SARIF 2.1.0 for GitHub code scanning, built with the `sarif-om` object model.

The usual serializer of sarif-om (`jschema_to_python`) drops every field equal to its schema
default, including an explicit `level: "warning"`; since GitHub reads a missing level as
"warning" only for some producers and the rule's default for others, a downgraded rule could
come back as an error. `to_json` here writes exactly the fields we set, nothing less: objects
are built with `make`, which records their explicit fields.

This module is imported only when SARIF is requested, so `sarif_om` costs nothing otherwise.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO, TypeVar

import attr
import sarif_om as om  # type: ignore[import-untyped]

from floe_lint import __version__
from floe_lint.findings import Finding, Location
from floe_lint.lint import selectors
from floe_lint.lint.baseline import offending_text
from floe_lint.lint.filtering import Suppressed
from floe_lint.lint.registry import Rule
from floe_lint.load import paths
from floe_lint.reporters import printable
from floe_lint.reporters.summary import Silenced

HOMEPAGE = "https://github.com/floe-dev/floe-lint"
SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
MAX_RESULTS = 25_000
SECURITY_SEVERITY = {"secret-literal": "8.0"}
_TAGS = {
    "FL0": "yaml",
    "FL1": "schema",
    "FL2": "compute-governance",
    "FL3": "hierarchy",
    "FL4": "environments",
    "FL5": "security",
    "FL6": "governance",
    "FL9": "suppressions",
}

T = TypeVar("T")
_SET, _EXTRA = "_floe_set", "_floe_extra"


def make(cls: Callable[..., T], extra: Mapping[str, Any] | None = None, **fields: Any) -> T:
    """A sarif-om object that remembers which fields were set (and extra property-bag keys)."""
    for name, value in fields.items():
        if value is None:
            raise ValueError(f"{getattr(cls, '__name__', cls)}.{name} must not be None")
    obj = cls(**fields)
    object.__setattr__(obj, _SET, frozenset(fields))
    object.__setattr__(obj, _EXTRA, dict(extra or {}))
    return obj


def to_json(value: Any) -> Any:
    """Plain JSON data of a sarif-om tree: every field that was set, under its SARIF name."""
    kind = type(value)
    if kind in _SCALARS:  # the exact types first: a log of 20,000 results holds 400,000 values
        return value
    if kind is list:
        return [to_json(v) for v in value]
    if isinstance(value, str | int | float) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    explicit = getattr(value, _SET, None)
    if explicit is None:
        if attr.has(kind):
            raise TypeError(f"{kind.__name__} was not built with make()")
        return value
    out = {prop: to_json(getattr(value, name)) for name, prop in _set(value.__class__, explicit)}
    extra = getattr(value, _EXTRA)
    if extra:
        out.update({k: to_json(v) for k, v in extra.items()})
    return out


_SCALARS = frozenset({str, int, float, bool, type(None)})


@functools.cache
def _set(cls: Any, explicit: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """(attribute, SARIF property name) of the set fields of a sarif-om class, in the schema's
    order; cached, since every result sets the same few of its class's thirty fields."""
    return tuple(
        (f.name, f.metadata["schema_property_name"]) for f in attr.fields(cls) if f.name in explicit
    )


def source_root(cwd: Path | None = None) -> Path:
    """What `%SRCROOT%` stands for: $GITHUB_WORKSPACE, else the enclosing git work tree."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if workspace and Path(workspace).is_dir():
        return Path(workspace).resolve()
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def _uri(path: Path, root: Path) -> tuple[str, bool]:
    """A repo-relative POSIX uri (True), or an absolute file uri outside the root (False)."""
    return _uri_of(paths.resolved(path), root)


@functools.lru_cache(maxsize=4096)  # every result names its file twice
def _uri_of(resolved: Path, root: Path) -> tuple[str, bool]:
    try:
        relative = resolved.relative_to(root)
    except ValueError:
        return resolved.as_uri(), False
    return "/".join(_escape_segment(p) for p in relative.parts), True


def _escape_segment(segment: str) -> str:
    from urllib.parse import quote

    # bytes, so a name that is not UTF-8 is percent-encoded as it is on disk
    return quote(os.fsencode(segment), safe="!$&'()*+,;=:@-._~")


def help_markdown(rule: Rule, url: str) -> str:
    """The rule's docstring as Markdown: summary, why, and its Fails/Passes YAML examples."""
    doc = inspect.cleandoc(rule.doc)
    out: list[str] = []
    block: list[str] | None = None
    for line in doc.splitlines():
        heading = re.fullmatch(r"(Fails|Passes):\s*", line)
        if heading:
            if block is not None:
                out.extend(["```yaml", *inspect.cleandoc("\n".join(block)).splitlines(), "```"])
            out.extend(["", f"**{heading[1]}:**", ""])
            block = []
        elif block is not None:
            block.append(line)
        else:
            out.append(re.sub(r"^Why:", "**Why:**", line))
    if block is not None:
        out.extend(["```yaml", *inspect.cleandoc("\n".join(block)).splitlines(), "```"])
    out.extend(["", f"[Documentation of {rule.id} {rule.name}]({url})"])
    return "\n".join(out).strip() + "\n"


def _why(rule: Rule) -> str:
    doc = inspect.cleandoc(rule.doc)
    match = re.search(r"^Why:\s*(.*?)(?:\n\s*\n|\Z)", doc, re.S | re.M)
    why = " ".join(match[1].split()) if match else ""
    return f"{rule.summary} {why}".strip()


def rule_url(rule: Rule) -> str:
    module = rule.module or ""  # from the rule table: the rule's module is not imported
    if module.startswith("floe_lint.rules."):
        return f"{HOMEPAGE}/blob/main/rules/{module.rsplit('.', 1)[-1]}.py"
    return HOMEPAGE


def _descriptor(rule: Rule, level: str) -> Any:
    url = rule_url(rule)
    tags = ["floe", _TAGS.get(rule.id[:3], "policy")]
    extra: dict[str, Any] = {}
    if rule.name in SECURITY_SEVERITY:
        tags = list(dict.fromkeys([*tags, "security"]))
        extra["security-severity"] = SECURITY_SEVERITY[rule.name]
    return make(
        om.ReportingDescriptor,
        id=rule.id,
        name=rule.name,
        short_description=make(om.MultiformatMessageString, text=rule.summary),
        full_description=make(om.MultiformatMessageString, text=_why(rule)),
        help=make(
            om.MultiformatMessageString,
            text=f"{inspect.cleandoc(rule.doc)}\n\nDocumentation: {url}\n",
            markdown=help_markdown(rule, url),
        ),
        help_uri=url,
        default_configuration=make(om.ReportingConfiguration, level=level),
        properties=make(om.PropertyBag, extra=extra, tags=tags),
    )


def alert_text(message: str) -> str:
    """A finding's message as an alert title: capitalised, ending with a full stop, each control
    or bidi character of user text escaped (`printable`) as the text format shows it: a SARIF
    viewer (GitHub code scanning) decodes the JSON and shows the message to a reviewer, where a
    raw U+202E would reorder what they read."""
    text = printable(message.strip())
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


class _Uris(dict[Path, tuple[str, bool]]):
    """`_uri` of each path under one root, worked out once per file of a log rather than twice
    per result (a log may hold 20,000 results in a few files)."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root

    def __missing__(self, path: Path) -> tuple[str, bool]:
        value = self[path] = _uri(path, self.root)
        return value


def _physical(location: Location, uris: _Uris) -> Any:
    uri, inside = uris[location.path]
    span = location.span
    start_line, start_col = max(span.start_line, 1), max(span.start_col, 1)
    end_line = max(span.end_line, start_line)
    end_col = max(span.end_col, 1)
    if end_line == start_line and end_col <= start_col:
        end_col = start_col + 1
    artifact = (
        make(om.ArtifactLocation, uri=uri, uri_base_id=SRCROOT)
        if inside
        else make(om.ArtifactLocation, uri=uri)
    )
    return make(
        om.PhysicalLocation,
        artifact_location=artifact,
        region=make(
            om.Region,
            start_line=start_line,
            start_column=start_col,
            end_line=end_line,
            end_column=end_col,
        ),
    )


def fingerprint(finding: Finding, uris: _Uris, lines: list[str]) -> str:
    """Stable across line shifts: rule, file, JSON pointer and the offending text, no line."""
    uri, _ = uris[finding.path]
    value = "<sensitive>" if finding.sensitive else offending_text(finding, lines)
    key = "\0".join((finding.rule_id, uri, finding.pointer, value))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _result(
    finding: Finding,
    index: int,
    uris: _Uris,
    lines: list[str],
    suppressed: Suppressed | None = None,
) -> Any:
    fields: dict[str, Any] = {
        "rule_id": finding.rule_id,
        "rule_index": index,
        "level": finding.severity,
        "kind": "fail",
        "message": make(om.Message, text=alert_text(finding.message)),
        "locations": [make(om.Location, physical_location=_physical(finding.location, uris))],
        "partial_fingerprints": {"floeLintFingerprint/v1": fingerprint(finding, uris, lines)},
    }
    if finding.related:
        fields["related_locations"] = [
            make(
                om.Location,
                id=i,
                physical_location=_physical(r.location, uris),
                message=make(om.Message, text=alert_text(r.message)),
            )
            for i, r in enumerate(finding.related)
        ]
    if suppressed is not None:
        fields["suppressions"] = [
            # sarif-om predates the final 2.1.0 `status` property; it goes in as an extra.
            make(
                om.Suppression,
                extra={"status": "accepted"},
                kind=suppressed.kind,
                justification=suppressed.justification,
            )
        ]
    return make(om.Result, **fields)


def build(
    findings: Sequence[Finding],
    rules: Sequence[Rule],
    *,
    lines_of: Callable[[Path], list[str]],
    severity: Mapping[str, str] | None = None,
    suppressed: Sequence[Suppressed] = (),
    include_suppressed: bool = False,
    category: str | None = None,
    root: Path | None = None,
    warn: Callable[[str], None] | None = None,
    silenced: Silenced | None = None,
) -> dict[str, Any]:
    """The SARIF log as plain JSON data (one run); the counts of `silenced` findings are the
    run's properties `suppressed` and `baselined` (whether or not they are listed)."""
    root = root or source_root()
    overrides = severity or {}
    index = {rule.id: i for i, rule in enumerate(rules)}
    descriptors = [
        _descriptor(r, selectors.most_specific(overrides, r) or r.severity) for r in rules
    ]
    uris = _Uris(root)
    results = [_result(f, index.get(f.rule_id, -1), uris, lines_of(f.path)) for f in findings]
    if include_suppressed:
        results += [
            _result(s.finding, index.get(s.finding.rule_id, -1), uris, lines_of(s.finding.path), s)
            for s in suppressed
        ]
    run_fields: dict[str, Any] = {}
    if len(results) > MAX_RESULTS:
        message = (
            f"{len(results)} results exceed GitHub's limit of {MAX_RESULTS} per run; "
            f"only the first {MAX_RESULTS} are included"
        )
        (warn or (lambda text: print(f"floe-lint: warning: {text}", file=sys.stderr)))(message)
        results = results[:MAX_RESULTS]
        run_fields["invocations"] = [
            make(
                om.Invocation,
                execution_successful=True,
                tool_execution_notifications=[
                    make(
                        om.Notification,
                        level="warning",
                        message=make(om.Message, text=message + "."),
                    )
                ],
            )
        ]
    if category:
        run_fields["automation_details"] = make(om.RunAutomationDetails, id=automation_id(category))
    run = make(
        om.Run,
        tool=make(
            om.Tool,
            driver=make(
                om.ToolComponent,
                name="floe-lint",
                version=__version__,
                semantic_version=__version__,
                information_uri=HOMEPAGE,
                rules=descriptors,
            ),
        ),
        original_uri_base_ids={
            SRCROOT: make(om.ArtifactLocation, uri=root.as_uri().rstrip("/") + "/")
        },
        column_kind="unicodeCodePoints",
        results=results,
        **run_fields,
    )
    log = make(om.SarifLog, version="2.1.0", schema_uri=SCHEMA_URI, runs=[run])
    data: dict[str, Any] = to_json(log)
    if silenced is not None:
        data["runs"][0]["properties"] = {word: n for n, word in silenced.counts()}
    return data


def automation_id(category: str) -> str:
    """`runs[].automationDetails.id` for a code scanning category: `CATEGORY/`.

    GitHub takes the category as the part of the id before its last `/` (the rest is a run
    id), so a bare `floe-lint/platform` would be category `floe-lint`, shared with every
    other job; the trailing slash keeps the whole name.
    """
    return category.rstrip("/") + "/"


def write(data: Mapping[str, Any], out: TextIO) -> None:
    from floe_lint.reporters import json_text

    # Compact, in one write: SARIF is read by tools, and json encodes indented output in
    # Python (six times slower: seconds for a comment naming 20,000 codes).
    out.write(json_text(data, separators=(",", ":")) + "\n")
