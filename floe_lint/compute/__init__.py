"""Compute: the ComputePlugin contract and registry, compile, artifacts."""
