"""A name that identifies one entry of a list is given to one entry only.

Why: upstream Floe keys these entries by name, and floe-core refuses a file that repeats one
(`floe platform compile` fails at load): a product's destination names, its ingestion source
names and the tables they write (`destinationTable`: two sources loading one table overwrite
each other), and the environments of a manifest's `artifacts.promotion` (the promotion path
would pass the same environment twice). Names are compared exactly, as floe-core compares them.
A product's transforms are `duplicate-transform`'s (FL207).

Fails:
    # expect: floe.yaml:7:12 destination name 'crm' is already used by destinations[0]; floe-core refuses a repeated one
    # file: floe.yaml
    apiVersion: floe.dev/v1
    kind: FloeSpec
    metadata: {name: orders, version: 1.0.0}
    transforms: [{name: stg_orders}]
    destinations:
      - {name: crm, sink_type: rest_api, connection_secret_ref: crm-key}
      - {name: crm, sink_type: rest_api, connection_secret_ref: crm-key-2}

Fails:
    # expect: floe.yaml:9:27 destination table 'raw.orders' is already written by ingestion.sources[0]; floe-core refuses a repeated one
    # file: floe.yaml
    apiVersion: floe.dev/v1
    kind: FloeSpec
    metadata: {name: orders, version: 1.0.0}
    transforms: [{name: stg_orders}]
    ingestion:
      sources:
        - {name: a, sourceType: filesystem, format: csv, path: a.csv, destinationTable: raw.orders}
        - {name: b, sourceType: filesystem, format: csv, path: b.csv,
           destination_table: raw.orders}

Passes:
    # file: floe.yaml
    apiVersion: floe.dev/v1
    kind: FloeSpec
    metadata: {name: orders, version: 1.0.0}
    transforms: [{name: stg_orders}]
    destinations:
      - {name: crm, sink_type: rest_api, connection_secret_ref: crm-key}
      - {name: CRM, sink_type: rest_api, connection_secret_ref: crm-key-2}
"""

from collections.abc import Iterator

from floe_lint.api import Context, Document, Finding

ID, NAME, SEVERITY, SUBJECT = "FL109", "duplicate-name", "error", "document"
DIALECT = "floe"  # upstream's code dialect only: a run without it does not import this
KEYS = ("destinations", "ingestion", "artifacts")  # the lists it reads hang from these

_REFUSED = "; floe-core refuses a repeated one"
#: (list, its entries' keys for the name (an alias first), what the name is, what it does)
_PRODUCT = (
    ("/destinations", ("name",), "destination name", "used"),
    ("/ingestion/sources", ("name",), "ingestion source name", "used"),
    (
        "/ingestion/sources",
        ("destinationTable", "destination_table"),
        "destination table",
        "written",
    ),
)
_MANIFEST = (("/artifacts/promotion/environments", ("name",), "promotion environment", "named"),)


def check(doc: Document, ctx: Context) -> Iterator[Finding]:
    if doc.dialect != "floe":
        return
    for pointer, keys, what, verb in _PRODUCT if doc.kind == "floe" else _MANIFEST:
        entries = doc.get(pointer)
        if not isinstance(entries, list):
            continue
        first: dict[str, str] = {}  # name -> the pointer of the entry's value that gave it
        for index, entry in enumerate(entries):
            name, at = _name(entry, keys)
            if name is None:
                continue
            here = f"{pointer}/{index}/{at}"
            if name not in first:
                first[name] = here
                continue
            yield ctx.finding(
                doc.node(here),
                f"{what} '{name}' is already {verb} by {_shown(first[name])}{_REFUSED}",
                related=[ctx.related(doc.node(first[name]), f"first {verb} here")],
            )


def _name(entry: object, keys: tuple[str, ...]) -> tuple[str | None, str]:
    """The entry's name and the key that holds it, by the key floe-core reads first; text
    only (floe-core reads `!!binary` UTF-8 as its text; anything else it refuses)."""
    if not isinstance(entry, dict):
        return None, ""
    for key in keys:
        if key in entry:
            value = entry[key]
            if isinstance(value, bytes):
                try:
                    value = value.decode("utf-8")
                except UnicodeDecodeError:
                    return None, key
            return (value if isinstance(value, str) else None), key
    return None, ""


def _shown(pointer: str) -> str:
    """`/ingestion/sources/0/name` as `ingestion.sources[0]` (the entry)."""
    head, _, index = pointer.rsplit("/", 1)[0].rpartition("/")
    return f"{head.lstrip('/').replace('/', '.')}[{index}]"
