"""What compute plugins are given and return (part of the plugin API: `floe_lint.api`)."""

from __future__ import annotations

from collections.abc import Mapping

from floe_lint.record import Frozen, set_field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class ComputeConfig(Frozen):
    """What a plugin is given: one effective approved compute of a platform."""

    __slots__ = ("connection_secret", "name", "properties")
    name: str
    connection_secret: str | None
    properties: Mapping[str, Any]

    def __init__(
        self,
        name: str,
        connection_secret: str | None = None,
        properties: Mapping[str, Any] | None = None,
    ) -> None:
        set_field(self, "name", name)
        set_field(self, "connection_secret", connection_secret)
        set_field(self, "properties", {} if properties is None else properties)


class ConnectionResult(Frozen):
    """Outcome of `validate_connection`. `checked` is False when nothing was attempted
    (missing driver or credentials); `message` then says what is needed."""

    __slots__ = ("checked", "latency_ms", "message", "success")
    success: bool
    message: str
    latency_ms: float | None
    checked: bool

    def __init__(
        self, success: bool, message: str, latency_ms: float | None = None, checked: bool = True
    ) -> None:
        set_field(self, "success", success)
        set_field(self, "message", message)
        set_field(self, "latency_ms", latency_ms)
        set_field(self, "checked", checked)


class ResourceSpec(Frozen):
    """Kubernetes requests and limits of the pod that runs a dbt step."""

    __slots__ = ("cpu_limit", "cpu_request", "memory_limit", "memory_request")
    cpu_request: str
    cpu_limit: str
    memory_request: str
    memory_limit: str

    def __init__(
        self, cpu_request: str, cpu_limit: str, memory_request: str, memory_limit: str
    ) -> None:
        set_field(self, "cpu_request", cpu_request)
        set_field(self, "cpu_limit", cpu_limit)
        set_field(self, "memory_request", memory_request)
        set_field(self, "memory_limit", memory_limit)
