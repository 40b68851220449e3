"""The template's own source: readable prose, and each validation rule defined once (the
questions in copier.yml and the module's variables.tf agree)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.questions import load_questions

REPO = Path(__file__).resolve().parent.parent
TEMPLATE = REPO / "template"


def test_the_readme_template_wraps_its_prose() -> None:
    """Issue 14: lines of several hundred characters in README.md.jinja."""
    lines = (TEMPLATE / "README.md.jinja").read_text().splitlines()
    long = [(number, len(line)) for number, line in enumerate(lines, 1) if len(line) > 120]
    assert long == []


def _question_patterns() -> dict[str, list[str]]:
    """Every regex_search pattern of each question's validator, as copier applies it."""
    found: dict[str, list[str]] = {}
    for name, question in load_questions().items():
        for literal in re.findall(r"regex_search\('((?:[^'\\]|\\.)*)'\)", str(question.validator)):
            # a single-quoted Jinja string: \\ stands for one backslash
            pattern = literal.replace("\\\\", "\\")
            # Python's \uXXXX escapes, as the characters Terraform's string escapes give
            pattern = re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m[1], 16)), pattern)
            found.setdefault(name, []).append(pattern)
    return found


def _variable_patterns() -> dict[str, list[str]]:
    """Every regex(...) pattern of each variable's validations, as Terraform applies it."""
    text = (TEMPLATE / "variables.tf.jinja").read_text()
    found: dict[str, list[str]] = {}
    for block in re.split(r'\nvariable "', text)[1:]:
        name = block.split('"', 1)[0]
        for literal in re.findall(r'regex\("((?:[^"\\]|\\.)*)"', block):
            if "{{" not in literal:  # rendered from copier.yml itself (canary_schedule_rule)
                found.setdefault(name, []).append(json.loads(f'"{literal}"'))
    return found


# question in copier.yml => the variable that holds its answer in the module
ANSWERS = {
    "project_name": "project_name",
    "environment_suffix": "environment_suffix",
    "aws_region": "aws_region",
    "cluster_name": "cluster_name",
    "vpc_id": "vpc_id",
    "subnet_ids": "subnet_ids",
    "services": "service_names",
    "source_accounts": "source_accounts",
    "source_account_role": "source_account_role",
    "alarm_email": "alarm_emails",
    "warning_email": "warning_emails",
    "service_endpoint_pattern": "service_endpoint_pattern",
}


@pytest.mark.parametrize(("question", "variable"), sorted(ANSWERS.items()))
def test_a_question_and_its_variable_validate_with_the_same_regex(
    question: str, variable: str
) -> None:
    """Issue 14: define each regex once. A question's pattern ends in \\Z (copier), the
    variable's in $ (Terraform's RE2, where $ ends the text without multi-line mode)."""
    asked = {p.removesuffix("\\Z") for p in _question_patterns()[question]}
    checked = {p.removesuffix("$") for p in _variable_patterns()[variable]}
    assert checked <= asked, f"{variable} validates with {checked - asked}, {question} with {asked}"
