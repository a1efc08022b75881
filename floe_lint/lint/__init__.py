"""Linting: the rule registry, the engine, filters, suppressions and the baseline."""
