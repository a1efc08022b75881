"""The OCI registry client and the floe.lock file."""
