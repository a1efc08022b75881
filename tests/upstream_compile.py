"""The published floe-core's compile, in process: `compile_pipeline` (what `floe platform
compile` runs) on a floe.yaml and the manifest it is given, with its logging and telemetry
quiet. None when it compiles, else its error's first line."""

from __future__ import annotations

import logging
import os
from pathlib import Path


def upstream_compile(spec: Path, manifest: Path) -> str | None:
    os.environ.setdefault("OTEL_SDK_DISABLED", "true")
    import structlog
    from floe_core.compilation.stages import compile_pipeline

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.CRITICAL))
    cwd = Path.cwd()
    os.chdir(spec.parent)  # its secret scan, when configured, reads the working directory
    try:
        compile_pipeline(spec.resolve(), manifest.resolve())
    except Exception as error:  # every refusal of upstream's compile is a value here
        lines = str(error).splitlines() or [type(error).__name__]
        return f"{type(error).__name__}: {' '.join(line.strip() for line in lines[:2])}"
    finally:
        os.chdir(cwd)
    return None
