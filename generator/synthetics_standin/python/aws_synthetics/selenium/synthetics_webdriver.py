"""Stand-in for aws_synthetics.selenium.synthetics_webdriver: steps, user agent."""

import inspect
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aws_synthetics.common import synthetics_configuration
from aws_synthetics.common import synthetics_logger as logger

USER_AGENT = (
    "CloudWatchSynthetics/arn:aws:synthetics:us-east-1:123456789012:canary:cw-scaffold-local"
)


def get_canary_user_agent_string() -> str:
    return USER_AGENT


async def execute_step(step_name: str, function_to_execute: Callable[[], Any]) -> Any:
    """Run one step: log, time, record pass or fail, return or re-raise.

    Like AWS's, the function may be sync or async, and a failure is re-raised
    unless continue_on_step_failure is set (the run is then failed anyway).
    """
    logger.info("Executing step: %s", step_name)
    started = time.monotonic()
    try:
        result = function_to_execute()
        if inspect.isawaitable(result):
            result = await result
    except Exception as error:
        _record(step_name, started, error)
        if synthetics_configuration._options["continue_on_step_failure"]:
            return None
        raise
    _record(step_name, started, None)
    return result


def _record(step_name: str, started: float, error: Exception | None) -> None:
    status = "PASSED" if error is None else "FAILED"
    logger.info("Step %s: %s", status, step_name)
    entry = {
        "step": step_name,
        "status": status,
        "failure_reason": None if error is None else str(error),
        "duration_ms": round((time.monotonic() - started) * 1000),
    }
    with Path(os.environ["CW_SCAFFOLD_SYNTHETICS_REPORT"]).open("a", encoding="utf-8") as report:
        report.write(json.dumps(entry) + "\n")
