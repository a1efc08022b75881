"""`floe-lint compile`: lint a product, then write (or, with --check, compare) its
compiled_artifacts.json and profiles.yml.

pydantic is imported only here, when the command runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from floe_lint.commands import targets
from floe_lint.commands.usage import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    UsageError,
    parse_ref_overrides,
    with_manifest,
)


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Compile (or, with --check, compare) the product given, else ./floe.yaml. `--check`
    given no product where there is no ./floe.yaml (the pre-commit hook, which passes no file
    names, at the root of a repository of many products) compares every committed
    compiled_artifacts.json with what its product compiles to (see
    `targets.committed_outputs`)."""
    from floe_lint.cli import DEFAULT_OUT
    from floe_lint.reporters import display_path, printable

    if args.product is not None:
        return _run(args, targets.product_file(args.product), args.out, stdout, stderr)
    here = [Path(name) for name in ("floe.yaml", "floe.yml") if Path(name).is_file()]
    if here or not args.check or args.out != DEFAULT_OUT:
        return _run(args, targets.product_file(Path("floe.yaml")), args.out, stdout, stderr)
    found, orphans = targets.committed_outputs(Path.cwd())
    for artifacts in orphans:
        stderr.write(
            f"floe-lint: no floe.yaml above {printable(display_path(artifacts))}: not compared "
            "(name its product: compile --check PRODUCT --out FOLDER)\n"
        )
    if not found:
        raise UsageError(
            "no floe.yaml here, and git tracks no compiled_artifacts.json below it with a "
            "floe.yaml above: name the product and its output folder, e.g. 'floe-lint compile "
            "--check products/orders/floe.yaml --out products/orders/target/floe' (pre-commit: "
            "args: [products/orders/floe.yaml, --out, products/orders/target/floe])"
        )
    codes = [_run(args, product, out, stdout, stderr) for product, out in found]
    return max(codes)


def _run(args: argparse.Namespace, product: Path, out: Path, stdout: TextIO, stderr: TextIO) -> int:
    from floe_lint.commands.fetching import fetcher
    from floe_lint.compute import artifacts
    from floe_lint.compute.compiler import CompileError, compile_product
    from floe_lint.config import load_config
    from floe_lint.lint import engine
    from floe_lint.reporters import display_path, printable, sorted_findings

    config = with_manifest(
        load_config(args.config, Path.cwd(), isolated=args.isolated, targets=[product]),
        args.manifest,
    )
    refs = parse_ref_overrides(args.ref)
    fetch = fetcher(config, [product])
    result = engine.run([product], config, refs=refs, fetch=fetch)
    errors = [f for f in sorted_findings(result.findings) if f.severity == "error"]
    if errors:
        from floe_lint import masking
        from floe_lint.reporters import text

        text.write(
            errors,
            stdout,
            show_source=False,
            colour=False,
            read_lines=masking.reader(result.files),
        )
        count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
        outcome = "nothing compared" if args.check else "nothing written"
        stderr.write(
            f"floe-lint: compile refused: {count} in {display_path(product)} or its platform; "
            f"{outcome}\n"
        )
        return EXIT_FINDINGS

    hierarchy = targets.hierarchy(config, refs, fetch)
    doc = targets.first(hierarchy, product, ("floe",))
    try:
        if doc.dialect == "floe":  # upstream's code dialect: upstream's CompiledArtifacts
            from floe_lint.compute.floe_compile import compile_floe_product

            compiled = compile_floe_product(doc, hierarchy.platform(doc))
        else:
            compiled = compile_product(doc, hierarchy.platform(doc))
    except CompileError as error:
        stderr.write(f"floe-lint: compile failed: {printable(str(error))}\n")
        return EXIT_FINDINGS

    for target, source in compiled.rendered_by.items():
        stdout.write(f"profile {printable(target)}: rendered by {printable(source)}\n")
    if args.check:
        problems = [
            (name, why)
            for name, text_ in compiled.files.items()
            if (why := artifacts.stale(out / name, text_)) is not None
        ]
        for name, why in problems:
            stderr.write(
                f"floe-lint: {display_path(out / name)} is {why}; run this and commit the "
                f"result: {_rewrite_command(args, product, out)}\n"
            )
        if not problems:
            stdout.write(f"floe-lint: {display_path(out)} is up to date\n")
        return EXIT_FINDINGS if problems else EXIT_CLEAN
    from floe_lint.load.root import workspace_root
    from floe_lint.safe_write import check_no_symlink, write_file

    # Links in folders inside the repository (git's root, else the config's folder, else the
    # working directory) are refused, and the output folder and files wherever they are.
    root = workspace_root(None, config.path, Path.cwd())
    try:  # every target first: a refused link must not leave the other file written
        for name in compiled.files:
            check_no_symlink(out / name, root)
    except OSError as error:
        raise UsageError(f"cannot write {display_path(out)}: {error.strerror or error}") from error
    for name, text_ in compiled.files.items():
        try:
            changed = write_file(out / name, text_, root)
        except OSError as error:
            raise UsageError(f"cannot write {out / name}: {error.strerror or error}") from error
        stdout.write(f"{'wrote' if changed else 'unchanged'} {display_path(out / name)}\n")
    return EXIT_CLEAN


def _rewrite_command(args: argparse.Namespace, product: Path, out: Path) -> str:
    """The `compile` command that rewrites exactly what `compile --check` compared."""
    import shlex

    from floe_lint.cli import DEFAULT_OUT
    from floe_lint.reporters import display_path

    words = ["floe-lint", "compile", display_path(product)]
    if out != DEFAULT_OUT:
        words += ["--out", display_path(out)]
    if args.config is not None:
        words += ["--config", display_path(args.config)]
    for ref in args.ref:
        words += ["--ref", ref]
    return shlex.join(words)
