"""Built-in compute plugins, one module per engine (see floe_lint.compute)."""
