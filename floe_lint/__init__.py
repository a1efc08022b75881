"""floe-lint: static policy checks for Floe manifests and data products."""

__version__ = "0.1.0"
