"""Schemas shipped with floe-lint (JSON Schema, Draft 2020-12)."""
