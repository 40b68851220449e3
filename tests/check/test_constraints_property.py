"""Property: a value drawn from a constraint passes it; one outside it fails.

The constraints are the real ones, built from the botocore models: an enum (the alarm's
comparison operator), a length (its description, 0-1024), a range (its evaluation interval,
10-3600 seconds), a list length (its actions, at most 5) and a pattern (the canary's name
is NAME-LIMIT's, so the canary's handler: module.function).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.check.constraints import violations
from generator.check.constraints.tree import constraints_for, problems

ALARM = constraints_for("aws_cloudwatch_metric_alarm")
OPERATORS = ALARM["comparison_operator"].enum
fast = settings(max_examples=60, deadline=None)


def test_the_constraints_are_the_models():
    assert "GreaterThanThreshold" in OPERATORS
    assert (ALARM["alarm_description"].min, ALARM["alarm_description"].max) == (0, 1024)
    assert (ALARM["evaluation_interval"].min, ALARM["evaluation_interval"].max) == (10, 3600)
    assert ALARM["alarm_actions"].max == 5


@fast
@given(st.sampled_from(OPERATORS))
def test_enum_members_pass(value):
    assert list(problems(ALARM["comparison_operator"], value)) == []


@fast
@given(st.text(min_size=1).filter(lambda v: v not in OPERATORS))
def test_values_outside_the_enum_fail(value):
    ((_, message),) = problems(ALARM["comparison_operator"], value)
    assert "is not one of" in message


@fast
@given(st.text(alphabet="abc xyz-_./", min_size=1, max_size=1024))
def test_lengths_inside_pass(value):
    assert list(problems(ALARM["alarm_description"], value)) == []


@fast
@given(st.text(alphabet="abc", min_size=1025, max_size=3000))
def test_lengths_outside_fail(value):
    ((_, message),) = problems(ALARM["alarm_description"], value)
    assert f"is {len(value)} characters" in message


@fast
@given(st.integers(10, 3600))
def test_numbers_inside_the_range_pass(value):
    assert list(problems(ALARM["evaluation_interval"], value)) == []


@fast
@given(st.one_of(st.integers(max_value=9), st.integers(min_value=3601)))
def test_numbers_outside_the_range_fail(value):
    ((_, message),) = problems(ALARM["evaluation_interval"], value)
    assert "minimum" in message or "maximum" in message


@fast
@given(st.lists(st.sampled_from(["arn:aws:sns:us-east-1:123456789012:a"]), min_size=6))
def test_lists_longer_than_allowed_fail(actions):
    found = violations("aws_cloudwatch_metric_alarm", {"alarm_actions": actions})
    assert [v.message for v in found] == [f"has {len(actions)} items: at most 5 allowed"]


@fast
@given(st.from_regex(r"[a-z][a-z0-9_]{0,20}\.[a-z_][a-z0-9_]{0,20}", fullmatch=True))
def test_handlers_matching_the_pattern_pass(handler):
    assert violations("aws_synthetics_canary", {"handler": handler}) == []


@fast
@given(st.from_regex(r"[a-z]{1,10} [a-z]{1,10}", fullmatch=True))
def test_handlers_outside_the_pattern_fail(handler):
    (found,) = violations("aws_synthetics_canary", {"handler": handler})
    assert "does not match the pattern" in found.message
