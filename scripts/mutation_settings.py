"""A pytest plugin for scripts/mutation.py: Hypothesis without its time-based checks.

A mutant's tests run on a machine shared with other jobs, where a property test can be slow
for reasons of its own; a health check or deadline failing there would count as a kill.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile(
    "mutation", deadline=None, suppress_health_check=list(HealthCheck), print_blob=False
)
settings.load_profile("mutation")
