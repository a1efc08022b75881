from floe_lint.cli import main

raise SystemExit(main())
