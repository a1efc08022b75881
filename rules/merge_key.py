"""A YAML merge (`<<`) must read the same in every YAML loader Floe may run with.

Why: upstream Floe reads files with PyYAML, and PyYAML's merges changed: within one
`<<: [*a, *b]` the first source wins up to 6.0.3 and the last from 6.0.4 on, and upstream
accepts any 6.x. A second `<<` in one mapping is a repeated key, and a merge of something that
is not a mapping makes PyYAML refuse the file. And 6.0.4 keeps, of the pairs a mapping merges,
only the first whose key is the same string object (an anchored key and its alias, or a
one-character key): a source that sets such a key over its own merge, merged again, gives the
merged value with 6.0.4 and the override before. Either way floe-lint would check one compute
while the runtime may read another. Sources that agree, or a key the mapping sets itself,
read the same everywhere and pass.

Fails:
    # expect: manifest.yaml:4:5 the sources merged here disagree on 'default' (line 1, column 54 and line 4,
    # file: manifest.yaml
    base: &base {approved: [duckdb, snowflake], default: duckdb}
    plugins:
      compute:
        <<: [*base, {default: snowflake}]

Fails:
    # expect: manifest.yaml:6:5 a second merge key '<<' in one mapping (the first is at line 5): PyYAML lets the
    # file: manifest.yaml
    a: &a {approved: [duckdb], default: duckdb}
    b: &b {approved: [duckdb, spark], default: duckdb}
    plugins:
      compute:
        <<: *a
        <<: *b

Fails:
    # expect: manifest.yaml:5:5 'default' is merged here with the values at line 1, column 51 and line 2, column 21
    # file: manifest.yaml
    a: &a {approved: [duckdb, snowflake], &d default: snowflake}
    b: &b {<<: *a, *d : duckdb}
    plugins:
      compute:
        <<: *b

Passes:
    # file: manifest.yaml
    base: &base {approved: [duckdb, snowflake], default: duckdb}
    plugins:
      compute:
        <<: [*base, {default: snowflake}]
        default: snowflake
"""

from collections.abc import Iterator

from floe_lint.api import Context, Finding, SourceFile

ID, NAME, SEVERITY, SUBJECT = "FL005", "merge-key", "error", "file"
FROM_LOADER = True  # reports only the problems the loader noted for it


def check(source: SourceFile, ctx: Context) -> Iterator[Finding]:
    return ctx.load_findings(source, NAME, related="the first")
