"""Values floe-core reads differently from their text: PyYAML's timestamps, `!!binary` and
`!!set`, and a pattern-checked value ending in a line break. floe-core (the published models
after `yaml.safe_load`, as its compile loads a file) is the oracle for every case."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.floe_core_oracle import floe_lint, upstream_refusal

HEAD = "apiVersion: floe.dev/v1\nkind: Manifest\n"
META = "metadata: {name: acme, version: VERSION, owner: platform@acme.example}\n"
PLUGINS = "plugins:\n  compute: {type: duckdb}\n"


def _manifest(tmp_path: Path, version: str, rest: str = "") -> Path:
    path = tmp_path / "manifest.yaml"
    path.write_text(HEAD + META.replace("VERSION", version) + PLUGINS + rest, "utf-8")
    return path


def _errors(path: Path) -> list[dict[str, object]]:
    return [f for f in floe_lint(path).on(path) if f["severity"] == "error"]


def test_a_version_ending_in_a_line_break_is_refused_at_the_value(tmp_path: Path) -> None:
    path = tmp_path / "manifest.yaml"
    path.write_text(
        HEAD
        + "metadata:\n  name: acme\n  version: |\n    1.0.0\n  owner: platform@acme.example\n"
        + PLUGINS,
        "utf-8",
    )
    assert upstream_refusal(path) is not None
    (error,) = _errors(path)
    assert (error["rule"], error["line"], error["column"]) == ("FL106", 5, 12)
    assert error["message"] == (
        "'metadata.version' '1.0.0\n' does not match the pattern ^\\d+\\.\\d+\\.\\d+$; the value "
        "ends with a line break, which the pattern refuses (a '|' block keeps it: write '|-' "
        "or a plain value)"
    )


def test_a_version_in_a_stripped_block_is_accepted_by_both(tmp_path: Path) -> None:
    path = tmp_path / "manifest.yaml"
    path.write_text(
        HEAD
        + "metadata:\n  name: acme\n  version: |-\n    1.0.0\n  owner: platform@acme.example\n"
        + PLUGINS,
        "utf-8",
    )
    assert upstream_refusal(path) is None
    assert floe_lint(path).on(path) == []


def test_a_product_name_ending_in_a_line_break_is_refused(tmp_path: Path) -> None:
    (tmp_path / "manifest.yaml").write_text(HEAD + META.replace("VERSION", "1.0.0") + PLUGINS)
    path = tmp_path / "floe.yaml"
    path.write_text(
        'apiVersion: floe.dev/v1\nkind: FloeSpec\nmetadata: {name: "orders\\n", version: 1.0.0}\n'
        "platform: {manifest: manifest.yaml}\ntransforms: [{name: stg_orders}]\n",
        "utf-8",
    )
    assert upstream_refusal(path) is not None
    errors = _errors(path)
    assert [(e["rule"], e["line"], e["column"]) for e in errors] == [("FL106", 3, 18)]
    assert "ends with a line break" in str(errors[0]["message"])


@pytest.mark.parametrize(
    ("version", "reading"),
    [
        ("2024-01-01", "reads 2024-01-01 as a date, not text: quote it"),
        ("2024-01-01 06:00:00", "reads 2024-01-01 06:00:00 as a timestamp, not text: quote it"),
    ],
)
def test_a_timestamp_where_text_is_wanted_is_refused_naming_what_pyyaml_reads(
    tmp_path: Path, version: str, reading: str
) -> None:
    path = _manifest(tmp_path, version)
    assert "valid string" in str(upstream_refusal(path))
    (error,) = _errors(path)
    assert (error["rule"], error["line"], error["column"]) == ("FL102", 3, 33)
    kind = "a date" if " " not in version else "a timestamp"
    assert error["message"] == (
        f"'metadata.version' must be a string, not {kind}; upstream Floe's yaml.safe_load "
        + reading
    )


def test_a_quoted_timestamp_is_text_to_both(tmp_path: Path) -> None:
    path = _manifest(tmp_path, '"2024-01-01"')
    assert upstream_refusal(path) is not None  # not semver, but read as text
    (error,) = _errors(path)
    assert error["rule"] == "FL106"


def test_a_date_that_does_not_exist_is_refused_where_it_is_written(tmp_path: Path) -> None:
    path = _manifest(tmp_path, "2024-02-30")
    assert "day is out of range" in str(upstream_refusal(path))
    errors = _errors(path)
    assert (errors[0]["rule"], errors[0]["line"], errors[0]["column"]) == ("FL001", 3, 33)
    assert errors[0]["message"] == (
        "the value reads as !!timestamp but is not a date that exists: upstream Floe's "
        "yaml.safe_load refuses the file; quote it"
    )


def test_a_timestamp_tag_on_text_of_no_date_is_refused_not_an_internal_error(
    tmp_path: Path,
) -> None:
    """`!!timestamp 1.0.0`: PyYAML's constructor matches no date and stops with an
    AttributeError (upstream's compile fails); floe-lint stopped with one too (exit 2,
    'internal error'), checking nothing else of the run."""
    path = _manifest(tmp_path, "!!timestamp 1.0.0")
    with pytest.raises(AttributeError):
        upstream_refusal(path)
    errors = _errors(path)
    assert [(e["rule"], e["line"], e["column"]) for e in errors] == [("FL001", 3, 33)]
    assert errors[0]["message"] == (
        "the value reads as !!timestamp but is not a date that exists: upstream Floe's "
        "yaml.safe_load refuses the file; quote it"
    )


def test_an_expiry_date_is_a_date_to_both(tmp_path: Path) -> None:
    rest = (
        "governance:\n  policy_overrides:\n"
        "    - {pattern: legacy_*, action: exclude, reason: migration, expires: 2025-01-01}\n"
    )
    path = _manifest(tmp_path, "1.0.0", rest)
    assert upstream_refusal(path) is None
    assert floe_lint(path).on(path) == []


def test_binary_text_floe_core_decodes_is_a_warning_naming_the_text(tmp_path: Path) -> None:
    path = _manifest(tmp_path, "!!binary MS4wLjA=")
    assert upstream_refusal(path) is None
    (finding,) = floe_lint(path).on(path)
    assert (finding["rule"], finding["severity"], finding["line"], finding["column"]) == (
        "FL708",
        "warning",
        3,
        33,
    )
    assert finding["message"] == (
        "'metadata.version': floe-core reads the !!binary value as the string '1.0.0' "
        "(pydantic's lax mode); write '1.0.0' to say so"
    )


def test_binary_that_is_not_text_is_refused(tmp_path: Path) -> None:
    path = _manifest(tmp_path, "!!binary /w==")
    assert "unicode string" in str(upstream_refusal(path))
    (error,) = _errors(path)
    assert (error["rule"], error["line"], error["column"]) == ("FL102", 3, 33)
    assert error["message"] == (
        "'metadata.version' must be a string, not binary data; upstream Floe's yaml.safe_load "
        "reads !!binary as binary data"
    )


def test_binary_the_decoded_text_of_which_breaks_the_pattern_is_refused(tmp_path: Path) -> None:
    path = _manifest(tmp_path, "!!binary dmVyc2lvbg==")  # "version"
    assert upstream_refusal(path) is not None
    errors = _errors(path)
    assert [(e["rule"], e["line"], e["column"]) for e in errors] == [("FL106", 3, 33)]
    assert "'metadata.version' 'version' does not match the pattern" in str(errors[0]["message"])


def test_a_set_where_a_list_is_wanted_is_read_as_a_list(tmp_path: Path) -> None:
    path = _manifest(
        tmp_path, "1.0.0", "scope: enterprise\napproved_sinks: !!set {rest_api, kafka}\n"
    )
    assert upstream_refusal(path) is None
    (finding,) = floe_lint(path).on(path)
    assert (finding["rule"], finding["line"], finding["column"]) == ("FL708", 7, 17)
    assert finding["message"] == (
        "'approved_sinks': floe-core reads the !!set as a list, in no fixed order (pydantic's "
        "lax mode); write a list"
    )


def test_a_set_where_a_mapping_is_wanted_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "manifest.yaml"
    path.write_text(
        HEAD + META.replace("VERSION", "1.0.0") + "plugins:\n  compute:\n    type: duckdb\n"
        "    config: !!set {threads}\n",
        "utf-8",
    )
    assert "valid dictionary" in str(upstream_refusal(path))
    errors = _errors(path)
    assert (errors[0]["rule"], errors[0]["line"], errors[0]["column"]) == ("FL102", 7, 13)
    assert errors[0]["message"] == (
        "'plugins.compute.config' must be a mapping or null, not a set; upstream Floe's "
        "yaml.safe_load reads !!set as a set"
    )


def test_floe_lints_own_dialect_still_reads_a_timestamp_as_its_text(tmp_path: Path) -> None:
    (tmp_path / "manifest.yaml").write_text(
        "plugins: {compute: {approved: [duckdb], default: duckdb}}\n", "utf-8"
    )
    path = tmp_path / "floe.yaml"
    path.write_text(
        "name: orders\nversion: 2024-01-01\nplatform: {ref: manifest.yaml}\n"
        "transforms: [{path: models/x/}]\n",
        "utf-8",
    )
    assert floe_lint(path).on(path) == []
