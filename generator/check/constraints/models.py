"""The AWS API's own value constraints, read from the botocore service models boto3 ships.

Each model (botocore/data/<service>/<version>/service-2.json.gz) describes an operation's
input as shapes: strings carry `enum`, `pattern` and `min`/`max` length, numbers `min`/`max`,
lists and maps `min`/`max` entries. botocore's own Loader reads them from the installed
package; nothing is downloaded. A model is loaded the first time a resource type of its
service is checked, and kept for the process (the EC2 model, the largest, takes ~0.1 s).

A value must match a pattern whole: the services answer "Member must satisfy regular
expression pattern: [\\.\\-_A-Za-z0-9]+" for an EventBridge rule named "my rule", which a
pattern merely found in the value would allow. A pattern Python's `re` cannot compile (`\\p{L}`
classes) is left out rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

Shape = Mapping[str, Any]


@cache
def _loader() -> Any:
    from botocore.loaders import Loader

    return Loader()


@cache
def service_model(service: str) -> Mapping[str, Any]:
    """botocore's service-2 model of `service` (`cloudwatch`, `logs`, ...)."""
    model: Mapping[str, Any] = _loader().load_service_model(service, "service-2")
    return model


@cache
def services() -> frozenset[str]:
    """Every service botocore has a model for."""
    return frozenset(_loader().list_available_services("service-2"))


def operation_input(service: str, operation: str) -> Shape | None:
    """The input structure of `operation`, or None when the service has no such operation."""
    model = service_model(service)
    op = model["operations"].get(operation)
    if op is None or "input" not in op:
        return None
    shape: Shape = model["shapes"][op["input"]["shape"]]
    return shape


def shape(service: str, name: str) -> Shape:
    found: Shape = service_model(service)["shapes"][name]
    return found


def member_shape(service: str, structure: Shape, member: str) -> tuple[str, Shape] | None:
    """(`member`'s name as the model spells it, its shape), matched without case or
    underscores: Terraform's `ok_actions` is the API's `OKActions`."""
    wanted = member.replace("_", "").lower()
    for name, ref in structure.get("members", {}).items():
        if name.lower() == wanted:
            return name, shape(service, ref["shape"])
    return None


def item_shape(service: str, list_or_map: Shape, part: str = "member") -> Shape:
    return shape(service, list_or_map[part]["shape"])


@cache
def compiled(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:
        return None
