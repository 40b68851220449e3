"""Validate a CloudWatch dashboard body against the documented structure.

Source: Amazon CloudWatch API Reference, "Dashboard Body Structure and Syntax"
(docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html):
widgets 0-500; widget type metric|text|log|alarm|explorer with `properties`; x 0-23 and y
together; width 1-24; height 1-1000; metric widgets need `region`, `period` a multiple of 60,
`view` timeSeries|singleValue|gauge|bar|pie|table, a gauge needs yAxis.left min and max; each
metric is [Namespace, MetricName, DimName, DimValue, ..., {rendering properties}] and each
expression is [{expression, label, id}]; a horizontal annotation has a numeric `value` and
optionally `label`, `color`, `fill` (above|below), `visible` and `yAxis` (left|right); alarm
widgets list 1-100 alarms; text widgets have
`markdown`; log widgets `region` and `query`. The 500-per-widget / 2,500-per-dashboard metric
limits are CloudWatch service quotas.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

MAX_WIDGETS = 500
MAX_METRICS_PER_WIDGET = 500
MAX_METRICS_PER_DASHBOARD = 2500
WIDGET_TYPES = {"metric", "text", "log", "alarm", "explorer"}
VIEWS = {"timeSeries", "singleValue", "gauge", "bar", "pie", "table"}
# Documented per-metric keys: the rendering properties plus id, label, region, accountId.
METRIC_OPTIONS = {
    "color",
    "label",
    "period",
    "stat",
    "visible",
    "yAxis",
    "id",
    "region",
    "accountId",
}
EXPRESSION_OPTIONS = METRIC_OPTIONS | {"expression"}
_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
_ID = re.compile(r"[a-z][A-Za-z0-9_]*")


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _period_ok(value: Any) -> bool:
    return _int(value) and value >= 60 and value % 60 == 0


def problems(body: Any) -> Iterator[str]:
    """Every way `body` (parsed JSON) breaks the documented structure, one line each."""
    if not isinstance(body, dict):
        yield "the body is not a JSON object"
        return
    widgets = body.get("widgets")
    if not isinstance(widgets, list):
        yield "the body needs a `widgets` array"
        return
    if len(widgets) > MAX_WIDGETS:
        yield f"{len(widgets)} widgets: a dashboard holds at most {MAX_WIDGETS}"
    total = 0
    for i, widget in enumerate(widgets):
        yield from _widget(f"widgets[{i}]", widget)
        metrics = widget.get("properties", {}).get("metrics") if isinstance(widget, dict) else None
        if isinstance(metrics, list) and widget.get("type") == "metric":
            total += len(metrics)
    if total > MAX_METRICS_PER_DASHBOARD:
        yield f"{total} metrics in all: a dashboard holds at most {MAX_METRICS_PER_DASHBOARD}"


def _widget(where: str, widget: Any) -> Iterator[str]:
    if not isinstance(widget, dict):
        yield f"{where} is not an object"
        return
    kind = widget.get("type")
    if kind not in WIDGET_TYPES:
        yield f"{where}.type is {kind!r}: expected one of {', '.join(sorted(WIDGET_TYPES))}"
    yield from _placement(where, widget)
    props = widget.get("properties")
    if not isinstance(props, dict):
        yield f"{where}.properties is required"
        return
    yield from _properties(where, kind, props)


def _placement(where: str, widget: dict[str, Any]) -> Iterator[str]:
    """x, y, width and height: on the dashboard's 24-column grid."""
    if ("x" in widget) != ("y" in widget):
        yield f"{where}: x and y must be given together"
    if "x" in widget and not (_int(widget["x"]) and 0 <= widget["x"] <= 23):
        yield f"{where}.x is {widget['x']!r}: expected 0-23"
    if "y" in widget and not (_int(widget["y"]) and widget["y"] >= 0):
        yield f"{where}.y is {widget['y']!r}: expected an integer >= 0"
    if "width" in widget and not (_int(widget["width"]) and 1 <= widget["width"] <= 24):
        yield f"{where}.width is {widget['width']!r}: expected 1-24"
    if "height" in widget and not (_int(widget["height"]) and 1 <= widget["height"] <= 1000):
        yield f"{where}.height is {widget['height']!r}: expected 1-1000"


def _properties(where: str, kind: Any, props: dict[str, Any]) -> Iterator[str]:
    """What each type of widget requires in its properties."""
    if kind == "metric":
        yield from _metric_widget(f"{where}.properties", props)
    elif kind == "alarm":
        alarms = props.get("alarms")
        if not (isinstance(alarms, list) and 1 <= len(alarms) <= 100):
            yield f"{where}.properties.alarms must list 1-100 alarm ARNs"
        elif not all(isinstance(a, str) for a in alarms):
            yield f"{where}.properties.alarms must hold ARN strings"
    elif kind == "text" and not isinstance(props.get("markdown"), str):
        yield f"{where}.properties.markdown is required in a text widget"
    elif kind == "log":
        for key in ("region", "query"):
            if not isinstance(props.get(key), str):
                yield f"{where}.properties.{key} is required in a log widget"
    elif kind == "explorer" and not isinstance(props.get("metrics"), list):
        yield f"{where}.properties.metrics is required in an explorer widget"


def _metric_widget(where: str, props: dict[str, Any]) -> Iterator[str]:
    if not isinstance(props.get("region"), str):
        yield f"{where}.region is required in a metric widget"
    if "period" in props and not _period_ok(props["period"]):
        yield f"{where}.period is {props['period']!r}: expected a multiple of 60"
    yield from _view(where, props)
    yield from _horizontal_annotations(where, props)
    metrics = props.get("metrics")
    alarms = (props.get("annotations") or {}).get("alarms")
    if metrics is None:
        if not alarms:
            yield f"{where} needs `metrics` (or an alarm annotation)"
        return
    if not isinstance(metrics, list):
        yield f"{where}.metrics must be an array of arrays"
        return
    if len(metrics) > MAX_METRICS_PER_WIDGET:
        yield f"{where}.metrics has {len(metrics)} entries: at most {MAX_METRICS_PER_WIDGET}"
    for i, entry in enumerate(metrics):
        yield from _metric_entry(f"{where}.metrics[{i}]", entry, first=i == 0)


HORIZONTAL_ANNOTATION_KEYS = {"value", "label", "color", "fill", "visible", "yAxis"}


def _horizontal_annotations(where: str, props: dict[str, Any]) -> Iterator[str]:
    """Threshold lines: a `value` each, on the left or the right axis."""
    lines = (props.get("annotations") or {}).get("horizontal")
    if lines is None:
        return
    if not isinstance(lines, list):
        yield f"{where}.annotations.horizontal must be an array"
        return
    for i, line in enumerate(lines):
        yield from _horizontal_line(f"{where}.annotations.horizontal[{i}]", line)


def _horizontal_line(at: str, line: Any) -> Iterator[str]:
    if not isinstance(line, dict):
        yield f"{at} is not an object"
        return
    unknown = sorted(set(line) - HORIZONTAL_ANNOTATION_KEYS)
    if unknown:
        yield f"{at}: unknown key(s) {', '.join(unknown)}"
    value = line.get("value")
    if not isinstance(value, int | float) or isinstance(value, bool):
        yield f"{at}.value must be a number"
    if line.get("yAxis", "left") not in ("left", "right"):
        yield f"{at}: yAxis {line['yAxis']!r} is not left or right"
    if line.get("fill", "above") not in ("above", "below"):
        yield f"{at}: fill {line['fill']!r} is not above or below"
    if "color" in line and not _matches(_COLOR, line["color"]):
        yield f"{at}: color {line['color']!r} is not #rrggbb"


def _view(where: str, props: dict[str, Any]) -> Iterator[str]:
    view = props.get("view")
    if view is not None and view not in VIEWS:
        yield f"{where}.view is {view!r}: expected one of {', '.join(sorted(VIEWS))}"
    if view == "gauge":
        left = (props.get("yAxis") or {}).get("left") or {}
        if "min" not in left or "max" not in left:
            yield f"{where}: a gauge needs yAxis.left.min and yAxis.left.max"


def _metric_entry(where: str, entry: Any, *, first: bool) -> Iterator[str]:
    if not isinstance(entry, list) or not entry:
        yield (
            f"{where} must be an array [namespace, metric, dimension, value, ..., {{options}}]"
            " or [{expression, id, label}]"
        )
        return
    options = entry[-1] if isinstance(entry[-1], dict) else None
    items = entry[:-1] if options is not None else entry
    if any(isinstance(item, dict) for item in items):
        # The F3 failure: HCL maps spliced into the array. AWS: "Field "metrics" has to be an
        # array of array of strings, with an optional metricRenderer object as last element".
        yield f"{where} has an object before its last element: only one trailing options object"
    elif not all(isinstance(item, str) for item in items):
        yield f"{where} must hold strings (then one optional options object)"
    elif options is not None and "expression" in options:
        if items:
            yield f"{where}: an expression entry is [{{expression, id, label}}] alone"
    elif len(items) < 2:
        yield f"{where} needs at least a namespace and a metric name"
    elif len(items) % 2:
        yield f"{where} has a dimension name without a value"
    elif first and "." in items:
        yield f"{where}: '.' repeats the previous entry, and the first entry has none"
    if options is not None:
        yield from _options(where, options)


def _options(where: str, options: dict[str, Any]) -> Iterator[str]:
    allowed = EXPRESSION_OPTIONS if "expression" in options else METRIC_OPTIONS
    unknown = sorted(set(options) - allowed)
    if unknown:
        yield f"{where}: unknown option(s) {', '.join(unknown)}"
    if "color" in options and not _matches(_COLOR, options["color"]):
        yield f"{where}: color {options['color']!r} is not #rrggbb"
    if "id" in options and not _matches(_ID, options["id"]):
        yield f"{where}: id {options['id']!r} must start with a lowercase letter"
    if "yAxis" in options and options["yAxis"] not in ("left", "right"):
        yield f"{where}: yAxis {options['yAxis']!r} is not left or right"
    if "period" in options and not _period_ok(options["period"]):
        yield f"{where}: period {options['period']!r} is not a multiple of 60"
    if "visible" in options and not isinstance(options["visible"], bool):
        yield f"{where}: visible must be true or false"


def _matches(pattern: re.Pattern[str], value: Any) -> bool:
    return isinstance(value, str) and pattern.fullmatch(value) is not None
