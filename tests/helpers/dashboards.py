"""CloudWatch dashboard bodies built for a test (the Dashboard Body Structure's shape)."""

from __future__ import annotations

from typing import Any


def metric_widget(**properties: Any) -> dict[str, Any]:
    """A valid metric widget, with `properties` added or replaced."""
    props = {"region": "us-east-1", "metrics": [["AWS/ECS", "CPUUtilization"]], **properties}
    return {"type": "metric", "x": 0, "y": 0, "width": 12, "height": 6, "properties": props}


def body(*widgets: dict[str, Any]) -> dict[str, Any]:
    return {"widgets": list(widgets)}
