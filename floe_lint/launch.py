"""The `floe-lint` console script: `--version` answers before anything else is imported.

A plain `check` line (`floe_lint.commands.quick`, as pre-commit runs the hook) is run without
importing `floe_lint.cli`; everything else goes to `floe_lint.cli.main`. The cyclic garbage
collector is off from here on for `check` and `impact` (`floe_lint.commands.dispatch` turns it
back on for every other command): the
start-up's imports allocate only objects that live as long as the process, which each
collection would walk again for nothing (5 ms of the pre-commit hook's 70 ms), and the lint
run itself pauses the collector anyway (`floe_lint.load.bulk.gc_paused`). Reference counting
still frees everything as usual.

When `check` (or `impact`) returns with the collector still off, every object left is frozen
(`gc.freeze`) before the interpreter exits: its exit collects garbage twice whatever the
collector's state, and each of those walks every object the run created (6 ms of the
pre-commit hook's 60 ms CPU, measured in issue 17). The output is written and flushed as
before; only the collections over objects that die with the process are skipped. The console
script (`console`) then ends the process at once (`os._exit`, 2 ms of the same 50 ms: the
interpreter's teardown of every module and object) when nothing else could still act at exit:
no `atexit` callback, no other thread, standard output and error flushed; otherwise it exits
as usual. Every file floe-lint writes is written and closed before `main` returns.

Every command but `--version` imports floe-lint's modules through `floe_lint.code_bundle`:
their `.pyc` files read from one file, which is written after a run that imported a module
it did not hold (12 system calls and 0.1 M instructions less per module, issue 17).
"""

import sys


def main() -> int:
    if sys.stdout is None or sys.stderr is None:  # started with one closed (`>&-`)
        if sys.stderr is not None:
            sys.stderr.write("floe-lint: error: standard output is closed: nothing can be shown\n")
        return 2
    if sys.argv[1:] == ["--version"]:
        from floe_lint import __version__

        sys.stdout.write(f"floe-lint {__version__}\n")
        return 0
    import gc

    gc.disable()
    _import_pathlib()
    from floe_lint import code_bundle

    bundle = code_bundle.install()  # floe-lint's modules from one file (issue 17)
    try:
        from floe_lint.commands.quick import run_plain

        status = run_plain(sys.argv[1:], sys.stdout, sys.stderr)  # as pre-commit runs `check`
        if status is None:
            from floe_lint.cli import main as run

            status = run()
    finally:
        code_bundle.finish(bundle)  # and the modules it did not serve, for the next run
    if not gc.isenabled():  # `check` or `impact` ran: nothing but the interpreter's exit follows
        gc.freeze()
    return status


def _import_pathlib() -> None:
    """Import `pathlib` without `urllib.parse` (and the `ipaddress` that it imports): 3 ms of
    the pre-commit hook's start-up, for the one function pathlib takes from it,
    `quote_from_bytes`, which only `Path.as_uri` calls. While pathlib is imported,
    `urllib.parse` is a stand-in whose `quote_from_bytes` imports the real module when first
    called and hands the call to it; the stand-in is removed at once, so every other import of
    `urllib.parse` gets the real module. A pathlib that asks the stand-in for anything else is
    imported again as usual."""
    if "pathlib" in sys.modules or "urllib.parse" in sys.modules:
        return
    import types

    def quote_from_bytes(*args: object, **kwargs: object) -> str:
        from urllib.parse import quote_from_bytes as real

        return real(*args, **kwargs)  # type: ignore[arg-type]

    stand_in = types.ModuleType("urllib.parse")
    stand_in.quote_from_bytes = quote_from_bytes  # type: ignore[attr-defined]
    sys.modules["urllib.parse"] = stand_in
    try:
        __import__("pathlib")
    except ImportError:
        sys.modules.pop("pathlib", None)
    finally:
        if sys.modules.get("urllib.parse") is stand_in:
            del sys.modules["urllib.parse"]
    if "pathlib" not in sys.modules:
        __import__("pathlib")


def console() -> None:
    """The `floe-lint` console script: `main`, then its exit status."""
    status = main()
    import gc

    if gc.get_freeze_count() and _nothing_left_at_exit():
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BaseException:  # what the interpreter's own flush at exit says and does
            sys.exit(status)
        import os

        os._exit(status)
    sys.exit(status)


def _nothing_left_at_exit() -> bool:
    """Whether the interpreter's exit would only tear down: no `atexit` callback (a pool's
    clean-up, a temporary folder's finalizer), no thread but this one (nor any thread's
    exit callback: `concurrent.futures` registers one)."""
    atexit = sys.modules.get("atexit")  # never imported: no callback was registered with it
    if atexit is not None and atexit._ncallbacks():
        return False
    threading = sys.modules.get("threading")
    if threading is None:
        return True
    return threading.active_count() == 1 and not getattr(threading, "_threading_atexits", [])
