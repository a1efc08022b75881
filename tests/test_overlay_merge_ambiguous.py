"""FL403: upstream Floe defines no merge of a per-environment file with its base (floe-core never
reads `floe.prod.yaml`), so an overlay entry that names a transform without the compute the base
gives it reads two ways: the environment's list replacing the base's (the default compute) or
entries merged by path (the base's compute). Reported at the entry, as a warning."""

from __future__ import annotations

from tests.conftest import run_cli

BASE = """name: orders
platform: {ref: manifest.yaml}
transforms:
  - {path: models/x/, compute: spark}
  - {path: models/y/}
  - {path: models/z/, compute: duckdb}
"""
MANIFEST = "plugins: {compute: {approved: [duckdb, spark], default: duckdb}}\n"


def _fl403(run) -> list[tuple[str, int, int, str]]:  # type: ignore[no-untyped-def]
    return [
        (f["file"], f["line"], f["column"], f["message"])
        for f in run.findings
        if f["rule"] == "FL403"
    ]


def test_an_overlay_entry_without_the_base_compute_is_reported_at_the_entry(lint) -> None:
    run = lint(
        {
            "floe.yaml": BASE,
            "manifest.yaml": MANIFEST,
            "floe.prod.yaml": "transforms:\n"
            "  - {path: ./models/x, tags: [hourly]}\n"
            "  - {path: models/y/, tags: [hourly]}\n"
            "  - {path: models/z/, compute: duckdb, tags: [hourly]}\n"
            "  - {path: models/new/}\n",
        }
    )
    assert _fl403(run) == [
        (
            "floe.prod.yaml",
            2,
            5,
            "a per-environment file names transform './models/x' without the compute 'spark' "
            "that floe.yaml gives it at line 4: where the environment's list replaces the "
            "base's, it runs on the default compute there; where entries merge by path, on "
            "'spark'. Upstream Floe defines no merge of per-environment files: write "
            "`compute: spark` here",
        )
    ]
    assert [f["severity"] for f in run.findings if f["rule"] == "FL403"] == ["warning"]
    assert run.code == 0  # a warning: the run passes


def test_upstream_dialect_transforms_are_named_and_the_overlay_alone_is_checked(lint) -> None:
    files = {
        "floe.yaml": "apiVersion: floe.dev/v1\nkind: FloeSpec\n"
        "metadata: {name: orders, version: 1.0.0}\nplatform: {manifest: manifest.yaml}\n"
        "transforms:\n  - {name: bronze_orders, compute: spark}\n",
        "manifest.yaml": "apiVersion: floe.dev/v1\nkind: Manifest\n"
        "metadata: {name: acme-platform, version: 1.0.0, owner: platform@acme.example}\n"
        "plugins: {compute: {type: duckdb}, orchestrator: {type: dagster}}\n",
        "floe.dev.yaml": "transforms:\n  - name: bronze_orders\n    tags: [dev]\n",
    }
    expected = [
        (
            "floe.dev.yaml",
            2,
            5,
            "a per-environment file names transform 'bronze_orders' without the compute "
            "'spark' that floe.yaml gives it at line 6: where the environment's list replaces "
            "the base's, it runs on the default compute there; where entries merge by name, on "
            "'spark'. Upstream Floe defines no merge of per-environment files: write "
            "`compute: spark` here",
        )
    ]
    assert _fl403(lint(files)) == expected
    alone = run_cli("check", "floe.dev.yaml", "--format", "json", "--no-cache")
    assert _fl403(alone) == expected
    # on duckdb, the platform's compute (`plugins.compute.type`, upstream's default): the
    # environment's list replacing the base's runs it on duckdb too, one reading
    files["floe.yaml"] = files["floe.yaml"].replace("compute: spark", "compute: duckdb")
    assert _fl403(lint(files)) == []


def test_entries_that_read_one_way_pass(lint) -> None:
    """Every transform of the base listed, each with the compute the base gives it (or none
    there), or without it where that compute is the platform's default (`models/z/` on duckdb:
    the environment's list replacing the base's runs it on duckdb too; was a false warning),
    or no transforms list at all."""
    for overlay in (
        "transforms:\n  - {path: models/x/, compute: spark, tags: [hourly]}\n"
        "  - {path: models/y/, tags: [hourly]}\n  - {path: models/z/}\n"
        "  - {path: models/other/}\n",
        "schedule: {cron: '0 * * * *'}\n",
    ):
        run = lint({"floe.yaml": BASE, "manifest.yaml": MANIFEST, "floe.prod.yaml": overlay})
        assert _fl403(run) == [], overlay


def test_the_base_transforms_left_out_of_an_overlay_list_are_reported_once_at_the_list(
    lint,
) -> None:
    """Where the environment's list replaces the base's, a transform it leaves out does not run
    there; where entries merge, it runs as in the base: one warning at the overlay's
    `transforms` naming every transform left out, pointing at each in the base (one warning per
    transform tripled the output of a tree whose products override one transform each)."""
    run = lint(
        {
            "floe.yaml": BASE,
            "manifest.yaml": MANIFEST,
            "floe.prod.yaml": "schedule: {cron: '0 * * * *'}\n"
            "transforms:\n  - {path: ./models/x, compute: spark}\n",
        }
    )
    assert _fl403(run) == [
        (
            "floe.prod.yaml",
            2,
            1,
            "a per-environment file's transforms leave out 2 transforms of floe.yaml: "
            "'models/y/' (line 5), 'models/z/' (line 6): where the environment's list replaces "
            "the base's, they do not run there; where entries merge by path, they run as in the "
            "base. Upstream Floe defines no merge of per-environment files: list them here too",
        ),
    ]
    related = [f["related"] for f in run.findings if f["rule"] == "FL403"]
    assert [[r["line"] for r in each] for each in related] == [[5, 6]], related


def test_a_long_list_left_out_names_ten_and_counts_the_rest(lint) -> None:
    many = "".join(f"  - {{path: models/t{i:02d}/, compute: spark}}\n" for i in range(13))
    run = lint(
        {
            "floe.yaml": BASE + many,
            "manifest.yaml": MANIFEST,
            "floe.prod.yaml": "transforms:\n  - {path: models/x/, compute: spark}\n",
        }
    )
    [(path, line, column, message)] = _fl403(run)
    assert (path, line, column) == ("floe.prod.yaml", 1, 1)
    assert message.startswith(
        "a per-environment file's transforms leave out 15 transforms of floe.yaml: "
        "'models/y/' (line 5), 'models/z/' (line 6), 'models/t00/' (line 7), "
    ), message
    assert "'models/t07/' (line 14) and 5 more: where the environment's list" in message
    related = [f["related"] for f in run.findings if f["rule"] == "FL403"]
    assert [len(each) for each in related] == [10]


def test_an_environments_block_is_read_as_a_per_environment_file_is(lint) -> None:
    """An `environments:` block that lists transforms reads the same two ways (the block's
    list replacing the base's, or entries merged by path); it passed silently before."""
    block = (
        "environments:\n"
        "  prod:\n"
        "    transforms:\n"
        "      - {path: models/x/, tags: [hourly]}\n"
        "      - {path: models/y/}\n"
        "  dev: {schedule: '@hourly'}\n"
        "  test:\n"
        "    transforms:\n"
        "      - {path: models/x/, compute: spark}\n"
        "      - {path: models/y/}\n"
        "      - {path: models/z/, compute: duckdb}\n"
    )
    run = lint({"floe.yaml": BASE + block, "manifest.yaml": MANIFEST})
    assert _fl403(run) == [
        (
            "floe.yaml",
            9,
            5,
            "the transforms of environment 'prod' in 'environments' leave out transform "
            "'models/z/' of floe.yaml (line 6): where the environment's list replaces the "
            "base's, it does not run there; where entries merge by path, it runs as in the "
            "base. Upstream Floe defines no merge of environment blocks: list it here too",
        ),
        (
            "floe.yaml",
            10,
            9,
            "environment 'prod' in 'environments' names transform 'models/x/' without the "
            "compute 'spark' that floe.yaml gives it at line 4: where the environment's list "
            "replaces the base's, it runs on the default compute there; where entries merge by "
            "path, on 'spark'. Upstream Floe defines no merge of environment blocks: write "
            "`compute: spark` here",
        ),
    ]


def test_a_block_in_a_per_environment_file_is_read_too(lint) -> None:
    overlay = "env_overrides:\n  prod:\n    transforms: [{path: models/x/}, {path: models/y/}, {path: models/z/}]\n"
    run = lint({"floe.yaml": BASE, "manifest.yaml": MANIFEST, "floe.prod.yaml": overlay})
    assert [f[:3] for f in _fl403(run)] == [("floe.prod.yaml", 3, 18)]
    assert _fl403(run)[0][3].startswith(
        "environment 'prod' in 'env_overrides' names transform 'models/x/' without the compute "
        "'spark'"
    )
