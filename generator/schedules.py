"""Canary schedules: what Synthetics accepts for a recurring canary, and the alarm period each
gives (docs/aws-facts.md, "Schedules" and "Alarm periods").

The rule itself is `canary_schedule_rule` in copier.yml, the one definition the module's
validations are rendered from; `cw-scaffold cost` and `cw-scaffold check` read it here, and
the default schedule, `canary_schedule_default`, likewise.
"""

from __future__ import annotations

import re
from functools import cache

__all__ = [
    "MAX_EVALUATION_SECONDS",
    "alarm_period_problem",
    "default_schedule",
    "interval_minutes",
    "schedule_problem",
    "schedule_rule",
]

# PutMetricAlarm: evaluation periods x period may cover at most seven days, and at most one
# day for periods under an hour.
MAX_EVALUATION_SECONDS = 604_800
MAX_EVALUATION_SECONDS_SHORT_PERIODS = 86_400
HOUR = 3_600
# PutMetricAlarm: 10, 20 or 30 seconds (high-resolution metrics) or a multiple of 60.
HIGH_RESOLUTION_PERIODS = (10, 20, 30)
_RATE = re.compile(r"rate\((\d+) (minute|minutes|hour)\)")


@cache
def schedule_rule() -> re.Pattern[str]:
    return re.compile(_template_value("canary_schedule_rule"))


def default_schedule() -> str:
    """The schedule of a canary whose service sets none (the module's canary_schedule)."""
    return _template_value("canary_schedule_default")


def _template_value(name: str) -> str:
    from generator.questions import load_questions

    return str(load_questions()[name].default)


def schedule_problem(schedule: str) -> str | None:
    """Why Synthetics refuses `schedule` for a recurring canary, or None when it accepts it."""
    if schedule_rule().fullmatch(schedule):
        return None
    return (
        f"{schedule!r} is not a recurring canary schedule: Synthetics accepts rate(1 minute), "
        "rate(2 minutes) ... rate(60 minutes), rate(1 hour), or cron(...) with six fields"
    )


def interval_minutes(schedule: str) -> int | None:
    """Minutes between runs of a valid rate(...) schedule; None for cron(...)."""
    match = _RATE.fullmatch(schedule)
    if match is None:
        return None
    return int(match[1]) * (60 if match[2] == "hour" else 1)


def alarm_period_problem(period: object, evaluation_periods: object) -> str | None:
    """Why CloudWatch refuses an alarm with this period and evaluation count, or None."""
    if not isinstance(period, int) or isinstance(period, bool):
        return None
    if period <= 0 or (period not in HIGH_RESOLUTION_PERIODS and period % 60):
        return f"period {period} is not 10, 20, 30 or a multiple of 60 seconds"
    if not isinstance(evaluation_periods, int):
        return None
    if period < HOUR and period * evaluation_periods > MAX_EVALUATION_SECONDS_SHORT_PERIODS:
        return (
            f"{evaluation_periods} evaluation periods of {period} s cover more than one day "
            f"({MAX_EVALUATION_SECONDS_SHORT_PERIODS} s, the limit for periods under an hour)"
        )
    if period * evaluation_periods > MAX_EVALUATION_SECONDS:
        return (
            f"{evaluation_periods} evaluation periods of {period} s cover more than seven days "
            f"({MAX_EVALUATION_SECONDS} s)"
        )
    return None
