"""The OCI registry client and the floe.lock file."""

#: the lock file beside a product (its name here: a run that finds none imports no lock code)
LOCK_NAME = "floe.lock"
