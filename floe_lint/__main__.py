from floe_lint.cli import main

if __name__ == "__main__":  # not when a `check --jobs` worker process re-imports it (spawn)
    raise SystemExit(main())
