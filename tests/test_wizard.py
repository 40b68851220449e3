"""`cw-scaffold new`, interactive: the wizard in a real pseudo-terminal (pexpect), the same
wizard driven by a scripted prompter, and the non-interactive --no-input and --dry-run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.discovery import DiscoveryOff, HealthCheck, Subnet, Vpc
from generator.errors import InvalidAnswer
from generator.questions import ANSWERS_FILE, load_questions, resolve_answers
from generator.render import render
from generator.wizard import ask_answers, summary
from tests.helpers.answers import REJECTED, recorded_answers
from tests.helpers.terminal import (
    CLEAR,
    CONFIRM,
    CTRL_C,
    CTRL_D,
    DEFAULT_PROMPTS,
    DOWN,
    ENTER,
    Scripted,
    Terminal,
    offline_env,
)
from tests.helpers.trees import copier_copy, occupied, tree


def test_enter_alone_writes_the_default_module(template_dir: Path, tmp_path: Path) -> None:
    dest = tmp_path / "module"
    term = Terminal.offline(dest, template_dir, tmp_path)
    for prompt in [*DEFAULT_PROMPTS, CONFIRM]:
        term.answer(prompt)
    assert term.finish() == 0, term.text
    assert "AWS discovery" not in term.text, "no discovery is tried for a new cluster and VPC"
    for part in (
        "Answers:",
        "resources, by Terraform type",
        "Monthly cost estimate",
        "Total",
    ):
        assert part in term.text
    expected = render({}, tmp_path / "defaults", template=template_dir)
    assert tree(dest) == tree(expected)


def test_invalid_answers_are_asked_again_naming_the_rule(
    template_dir: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "module"
    term = Terminal.offline(dest, template_dir, tmp_path)
    term.answer("project_name")
    term.answer("environment_suffix", CLEAR + "Prod" + ENTER)
    term.expect("environment_suffix must be a lowercase slug")
    term.answer("environment_suffix", CLEAR + "prod" + ENTER)
    for prompt in (
        "aws_region",
        "cluster_mode",
        "cluster_name",
        "container_insights",
        "vpc_mode",
        "new_vpc_egress",
    ):
        term.answer(prompt)
    term.answer("services", CLEAR + "orders, bad name" + ENTER)
    term.expect("services 'bad name' is not an ECS service name")
    term.answer("services", CLEAR + "orders, search-api" + ENTER)
    for prompt in (
        "service_endpoint_pattern",
        "canary_runtime",
        "canary_runtime_version",
        "backend",
    ):
        term.answer(prompt)
    term.answer("cross_account_mode", DOWN + ENTER)
    term.answer("source_accounts", "prod=12345" + ENTER)
    term.expect("source_accounts account id for 'prod' must be exactly 12 digits")
    term.answer("source_accounts", CLEAR + "prod=012345678901" + ENTER)
    term.answer("source_account_role")
    term.answer("oam_metric_namespaces")
    term.answer("oam_log_group_patterns", CLEAR + "/ecs/%, bad pattern" + ENTER)
    term.expect("oam_log_group_patterns 'bad pattern' is not a log group pattern")
    term.answer("oam_log_group_patterns", CLEAR + "/ecs/%" + ENTER)
    term.answer("alarm_email", "oncall" + ENTER)
    term.expect("alarm_email must be an e-mail address")
    term.answer("alarm_email", "@example.com" + ENTER)
    term.answer("warning_email", CLEAR + "team@" + ENTER)
    term.expect("warning_email must be an e-mail address")
    term.answer("warning_email", "example.com" + ENTER)
    term.answer("additional_tags", "Environment=production" + ENTER)
    term.expect("the Environment tag comes from environment_suffix")
    term.answer("additional_tags", CLEAR + "Team=platform, CostCenter=1234" + ENTER)
    term.answer(CONFIRM)
    assert term.finish() == 0, term.text
    answers = recorded_answers(dest)
    assert answers["environment_suffix"] == "prod"
    assert answers["services"] == ["orders", "search-api"]
    assert answers["source_accounts"] == {"prod": "012345678901"}, "the leading zero is kept"
    assert answers["oam_log_group_patterns"] == ["/ecs/%"]
    assert answers["alarm_email"] == "oncall@example.com"
    assert answers["warning_email"] == "team@example.com"
    assert answers["additional_tags"] == {"Team": "platform", "CostCenter": "1234"}


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """The empty directory a wizard that stops early renders into: it must stay empty."""
    work = tmp_path / "work"
    work.mkdir()
    return work


@pytest.mark.parametrize("prompt", ["environment_suffix", "vpc_mode", CONFIRM])
def test_ctrl_c_exits_130_and_leaves_nothing(
    prompt: str, template_dir: Path, tmp_path: Path, work: Path
) -> None:
    term = Terminal.offline(work / "module", template_dir, tmp_path)
    for before in [*DEFAULT_PROMPTS, CONFIRM][: [*DEFAULT_PROMPTS, CONFIRM].index(prompt)]:
        term.answer(before)
    term.answer(prompt, CTRL_C)
    assert term.finish() == 130
    assert "interrupted" in term.text and "Traceback" not in term.text
    assert list(work.iterdir()) == []


def test_end_of_input_exits_1_saying_what_to_do_and_leaves_nothing(
    template_dir: Path, tmp_path: Path, work: Path
) -> None:
    term = Terminal.offline(work / "module", template_dir, tmp_path)
    for prompt in DEFAULT_PROMPTS[: DEFAULT_PROMPTS.index("alarm_email")]:
        term.answer(prompt)
    term.answer("alarm_email", CTRL_D)  # on an empty line: end of input
    assert term.finish() == 1
    assert "input ended" in term.text and "--no-input" in term.text
    assert list(work.iterdir()) == []


def test_no_at_the_confirm_writes_nothing(template_dir: Path, tmp_path: Path, work: Path) -> None:
    term = Terminal.offline(work / "module", template_dir, tmp_path)
    for prompt in DEFAULT_PROMPTS:
        term.answer(prompt)
    term.answer(CONFIRM, "n")
    assert term.finish() == 0
    assert "Nothing written." in term.text
    assert list(work.iterdir()) == []


def test_occupied_destination_is_refused_before_any_question(
    template_dir: Path, tmp_path: Path
) -> None:
    dest = occupied(tmp_path / "module", {"main.tf": "# mine\n"})
    term = Terminal.offline(dest, template_dir, tmp_path)
    assert term.finish() == 1
    assert "--force" in term.text and "project_name" not in term.text
    assert [p.name for p in dest.iterdir()] == ["main.tf"]


def test_destination_is_asked_when_not_given(template_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "main.tf").write_text("# mine\n")
    term = Terminal(["--template", str(template_dir)], offline_env(tmp_path), cwd=tmp_path)
    term.answer("Directory to write the module to", CLEAR + "taken" + ENTER)
    term.expect("pass --force")
    term.answer("Directory to write the module to", CLEAR + "mine" + ENTER)
    for prompt in [*DEFAULT_PROMPTS, CONFIRM]:
        term.answer(prompt)
    assert term.finish() == 0, term.text
    assert (tmp_path / "mine" / "versions.tf").is_file()


def test_wizard_and_copier_copy_data_file_make_identical_trees(
    template_dir: Path, tmp_path: Path
) -> None:
    answers: dict[str, Any] = {
        "project_name": "shop",
        "environment_suffix": "qa",
        "aws_region": "eu-west-1",
        "cluster_mode": "existing",
        "cluster_name": "platform",
        "vpc_mode": "existing",
        "vpc_id": "vpc-0a1b2c3d",
        "subnet_ids": ["subnet-0a1b2c3d", "subnet-4e5f6a7b"],
        "create_vpc_endpoints": False,
        "services": ["cart", "search_api"],
        "service_log_groups": {"cart": "/ecs/shop/cart"},
        "service_load_balancers": {
            "search_api": "app/shop/0123456789abcdef targetgroup/search/fedcba9876543210"
        },
        "service_health_checks": {"search_api": "/ready 200-299,304"},
        "service_endpoint_pattern": "https://{service}.shop.internal",
        "canary_runtime": "nodejs",
        "canary_runtime_version": "15.0",
        "backend": "s3",
        "state_bucket": "acme-state",
        "state_key": "shop/qa/terraform.tfstate",
        "state_region": "eu-west-1",
        "cross_account_mode": "accounts",
        "source_accounts": {"payments": "012345678901"},
        "source_account_role": "shop-oam-link",
        "oam_metric_namespaces": [
            "AWS/ECS",
            "ECS/ContainerInsights",
            "CloudWatchSynthetics",
        ],
        "oam_log_group_patterns": ["/ecs/%", "/aws/ecs/%", "/aws/lambda/cwsyn-%"],
        "alarm_email": "oncall@example.com",
        "warning_email": "oncall@example.com",
        "additional_tags": {"Team": "platform"},
    }
    dest = tmp_path / "wizard"
    term = Terminal(
        [str(dest), "--template", str(template_dir), "--no-discovery"],
        offline_env(tmp_path),
    )
    typed = {
        "project_name": CLEAR + "shop" + ENTER,
        "environment_suffix": CLEAR + "qa" + ENTER,
        "aws_region": CLEAR + "eu-west-1" + ENTER,
        "cluster_mode": DOWN + ENTER,
        "cluster_name": CLEAR + "platform" + ENTER,
        "vpc_mode": DOWN + DOWN + ENTER,
        "vpc_id": "vpc-0a1b2c3d" + ENTER,
        "subnet_ids": "subnet-0a1b2c3d, subnet-4e5f6a7b" + ENTER,
        "create_vpc_endpoints": "n",
        "services": CLEAR + "cart, search_api" + ENTER,
        "service_log_groups": "cart=/ecs/shop/cart" + ENTER,
        "service_load_balancers": "search_api=app/shop/0123456789abcdef"
        " targetgroup/search/fedcba9876543210" + ENTER,
        # A value with a comma (a list of status codes) is typed as it is.
        "service_health_checks": "search_api=/ready 200-299,304" + ENTER,
        "service_endpoint_pattern": CLEAR + "https://{service}.shop.internal" + ENTER,
        "canary_runtime": DOWN + ENTER,
        "canary_runtime_version": ENTER,
        "backend": DOWN + ENTER,
        "state_bucket": "acme-state" + ENTER,
        "state_key": ENTER,
        "state_region": ENTER,
        "cross_account_mode": DOWN + ENTER,
        "source_accounts": "payments=012345678901" + ENTER,
        "source_account_role": ENTER,
        "oam_metric_namespaces": CLEAR
        + "AWS/ECS, ECS/ContainerInsights, CloudWatchSynthetics"
        + ENTER,
        "oam_log_group_patterns": ENTER,
        "alarm_email": "oncall@example.com" + ENTER,
        "warning_email": ENTER,  # the alarm e-mail, its default
        "additional_tags": "Team=platform" + ENTER,
    }
    assert list(typed) == list(answers), "every question, in copier.yml's order"
    for prompt, keys in typed.items():
        term.answer(prompt, keys)
    term.answer(CONFIRM)
    assert term.finish() == 0, term.text

    assert tree(dest) == tree(copier_copy(template_dir, answers, tmp_path / "copier"))
    assert "AWS discovery" not in term.text, "--no-discovery: not even tried"
    assert recorded_answers(dest)["vpc_id"] == "vpc-0a1b2c3d"


# The rows that give the refused answer: the wizard refuses it as given. (A row whose refused
# value is the default, such as no source account, is asked again instead, as a user would be.)
GIVEN_AND_REJECTED = [row for row in REJECTED if row[1] in row[0]]


# alike on purpose: the wizard must refuse the cases copier refuses (test_questions.py)
@pytest.mark.parametrize(("answers", "answer", "fragment"), GIVEN_AND_REJECTED)
def test_wizard_refuses_what_copier_refuses_with_the_same_message(
    answers: dict[str, Any],
    answer: str,
    fragment: str,
    template_dir: Path,
    tmp_path: Path,
) -> None:
    with pytest.raises(InvalidAnswer) as by_copier:
        render(answers, tmp_path / "module", template=template_dir)
    with pytest.raises(InvalidAnswer) as by_wizard:
        ask_answers(load_questions(template_dir), Scripted(), preset=answers)
    assert by_wizard.value.answer == by_copier.value.answer == answer
    assert by_wizard.value.rule_message == by_copier.value.rule_message


def test_given_answers_are_not_asked_and_typed_items_become_lists_and_maps() -> None:
    prompter = Scripted(
        {
            "services": ["[orders, 'payments' ,users]"],
            "cross_account_mode": ["accounts"],
            "source_accounts": ["payments=012345678901, search = 210987654321"],
            "additional_tags": ["Team=platform, owner:email=a@b.io"],
        }
    )
    answers = ask_answers(load_questions(), prompter, preset={"environment_suffix": "prod"})
    assert "environment_suffix" not in prompter.asked
    assert answers["environment_suffix"] == "prod"
    assert answers["cluster_name"] == "observability-prod", "defaults follow earlier answers"
    assert answers["services"] == ["orders", "payments", "users"]
    assert answers["source_accounts"] == {
        "payments": "012345678901",
        "search": "210987654321",
    }
    assert answers["additional_tags"] == {"Team": "platform", "owner:email": "a@b.io"}
    assert answers["source_account_role"] == "observability-oam-link"


def test_a_map_item_without_equals_is_asked_again(
    capsys: pytest.CaptureFixture[str],
) -> None:
    prompter = Scripted({"additional_tags": ["Team", "Team=platform"]})
    answers = ask_answers(load_questions(), prompter)
    assert answers["additional_tags"] == {"Team": "platform"}
    assert "additional_tags 'Team' is not key=value" in capsys.readouterr().out


class FakeDiscovery:
    """Discovery's interface, answering from memory; `off` set means every look-up fails."""

    def __init__(self, region: str, off: str | None = None) -> None:
        self.region = region
        self.off = None
        self._off = DiscoveryOff(off) if off else None
        self.calls: list[str] = []

    def _result(self, name: str, value: Any) -> Any:
        self.calls.append(name)
        if self._off:
            self.off = self._off
            return self._off
        return value

    def clusters(self) -> Any:
        return self._result("clusters", ["alpha", "platform"])

    def vpcs(self) -> Any:
        return self._result(
            "vpcs",
            [
                Vpc("vpc-11111111", "", "172.31.0.0/16", True),
                Vpc("vpc-22222222", "apps", "10.1.0.0/16", False),
            ],
        )

    def subnets(self, vpc_id: str) -> Any:
        assert vpc_id == "vpc-22222222"
        return self._result(
            "subnets",
            [
                Subnet("subnet-0000000a", "eu-west-1a", "10.1.1.0/24", ""),
                Subnet("subnet-0000000b", "eu-west-1b", "10.1.2.0/24", ""),
            ],
        )

    def default_vpc_id(self) -> Any:
        return "vpc-11111111"

    def canary_endpoints(self, vpc_id: str) -> Any:
        return self._result("canary_endpoints", [])

    def services(self, cluster: str) -> Any:
        return self._result("services", ["orders", "payments"])

    def log_groups(self, cluster: str, services: list[str]) -> Any:
        return self._result("log_groups", {s: f"/ecs/{s}" for s in services})

    def load_balancers(self, cluster: str, services: list[str]) -> Any:
        return self._result(
            "load_balancers",
            {
                services[0]: {
                    "load_balancer": "app/web/0123456789abcdef",
                    "target_group": f"targetgroup/{services[0]}/0123456789abcdef",
                }
            },
        )

    def health_checks(self, cluster: str, services: list[str]) -> Any:
        return self._result("health_checks", {services[0]: HealthCheck("/healthz", "200,204")})


EXISTING = {"cluster_mode": ["existing"], "vpc_mode": ["existing"]}


def test_discovered_clusters_vpcs_and_subnets_are_offered() -> None:
    made: list[FakeDiscovery] = []

    def discover(region: str) -> FakeDiscovery:
        made.append(FakeDiscovery(region))
        return made[-1]

    prompter = Scripted(
        {
            **EXISTING,
            "aws_region": ["eu-west-1"],
            "cluster_name": ["platform"],
            "vpc_id": ["vpc-22222222"],
        }
    )
    answers = ask_answers(load_questions(), prompter, discover=discover)
    assert [d.region for d in made] == ["eu-west-1"], "one discovery, in the region answered"
    assert [v for _, v in prompter.offered["cluster_name"]][:2] == ["alpha", "platform"]
    vpc_titles = [t for t, _ in prompter.offered["vpc_id"]]
    assert vpc_titles[0].endswith("(default VPC)") and "apps" in vpc_titles[1]
    assert "by hand" in vpc_titles[-1]
    assert answers["cluster_name"] == "platform" and answers["vpc_id"] == "vpc-22222222"
    assert answers["subnet_ids"] == ["subnet-0000000a", "subnet-0000000b"], "all pre-checked"
    assert answers["service_load_balancers"] == {
        "orders": "app/web/0123456789abcdef targetgroup/orders/0123456789abcdef"
    }, "the discovered load balancer, as the question's text form"
    assert answers["service_health_checks"] == {"orders": "/healthz 200,204"}, (
        "its target group's health check, as the question's text form"
    )


def test_discovery_off_says_why_once_then_asks_by_hand(
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake = FakeDiscovery("us-east-1", off="no AWS credentials found")
    prompter = Scripted(
        {
            **EXISTING,
            "cluster_name": ["platform"],
            "vpc_id": ["vpc-22222222"],
            "subnet_ids": ["subnet-0000000a"],
        }
    )
    answers = ask_answers(load_questions(), prompter, discover=lambda region: fake)
    assert capsys.readouterr().out.count("AWS discovery is off: no AWS credentials found") == 1
    assert fake.calls == ["clusters"], "nothing more is asked of AWS after a failure"
    assert not {"cluster_name", "vpc_id", "subnet_ids"} & set(prompter.offered)
    assert answers["subnet_ids"] == ["subnet-0000000a"]


def test_no_input_names_a_missing_required_answer(
    template_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for data, name in (
        (["vpc_mode=existing"], "vpc_id"),
        (["backend=s3"], "state_bucket"),
    ):
        args = [arg for item in data for arg in ("--data", item)]
        code = main(
            [
                "new",
                str(tmp_path / "module"),
                "--template",
                str(template_dir),
                "--no-input",
                *args,
            ]
        )
        assert code == 1
        err = capsys.readouterr().err
        assert f"answer '{name}' is required" in err and f"--data {name}=" in err
    assert list(tmp_path.iterdir()) == []


def test_dry_run_prints_summary_and_files_and_writes_nothing(
    template_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "module"
    code = main(
        [
            "new",
            str(dest),
            "--template",
            str(template_dir),
            "--defaults",
            "--dry-run",
            "--data",
            "services=[orders]",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "services                  orders" in out
    assert "12 cloudwatch_metric_alarm" in out and "Total" in out
    assert "Alarms notify per service once it is deployed" in out
    for name in (
        "versions.tf",
        "canaries/canary.py",
        ANSWERS_FILE,
        "services.auto.tfvars",
    ):
        assert f"\n  {name}\n" in out
    assert "Nothing written" in out and "Rendered" not in out
    assert list(tmp_path.iterdir()) == []


def test_dest_is_required_without_a_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["new", "--defaults"]) == 2
    assert "name the directory" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("egress", "said"),
    [
        ("endpoints", "through interface endpoints, with no route to the internet"),
        ("nat", "through one NAT gateway"),
        ("none", "image pulls fail without it"),
    ],
)
def test_summary_says_how_a_new_vpcs_tasks_reach_ecr_and_logs(egress: str, said: str) -> None:
    """Issue 12: the new VPC had no route to ECR or CloudWatch Logs; the summary says what the
    services get, and what the answer costs is in the estimate below it."""
    answers = resolve_answers({"new_vpc_egress": egress}, load_questions())
    text = summary(answers)
    (line,) = [row for row in text.splitlines() if row.startswith("ECS tasks in the new VPC")]
    assert said in line
    assert ("ECR and Logs interface endpoints" in text) == (egress == "endpoints")
    assert ("Public IPv4 address" in text) == (egress == "nat")
    other = summary(resolve_answers({"vpc_mode": "default"}, load_questions()))
    assert "ECS tasks in the new VPC" not in other
