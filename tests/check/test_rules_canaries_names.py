"""F9 (placeholder canaries) and NAME-LIMIT (AWS name limits)."""

from __future__ import annotations

import pytest

from generator.check.findings import Severity
from generator.check.hcl import Script
from generator.check.rules.canaries import missing_checks

PLACEHOLDER_PY = """
from aws_synthetics.selenium import synthetics_webdriver as syn_webdriver
import urllib.request

async def handler(event, context):
    # only checks that the endpoint answers
    urllib.request.urlopen("http://api.internal:8080/health")
"""

THOROUGH_PY = """
import json
import time
import urllib.request

def handler(event, context):
    started = time.monotonic()
    with urllib.request.urlopen("http://api.internal:8080/health") as response:
        body = response.read().decode()
        elapsed_ms = (time.monotonic() - started) * 1000
    if response.status != 200:
        raise Exception(f"status {response.status}")
    if json.loads(body)["status"] != "ok":
        raise Exception("unhealthy")
    if elapsed_ms > 500:
        raise Exception("slow")
"""

PLACEHOLDER_JS = """
const synthetics = require('Synthetics');
exports.handler = async () => {
  // status, body and latency are not checked
  await synthetics.executeHttpStep('health', { hostname: 'api.internal', path: '/health' });
};
"""

THOROUGH_JS = """
const synthetics = require('@aws/synthetics-puppeteer');
exports.handler = async () => {
  const started = Date.now();
  await synthetics.executeHttpStep('health', { hostname: 'api', path: '/health' }, (res) =>
    new Promise((resolve, reject) => {
      let data = '';
      res.on('data', (chunk) => { data += chunk; });
      res.on('end', () => {
        const latency = Date.now() - started;
        if (res.statusCode !== 200) reject(new Error('status'));
        else if (!data.includes('"ok"')) reject(new Error('body'));
        else if (latency > 500) reject(new Error('slow'));
        else resolve();
      });
    }));
};
"""


def test_placeholder_python_canary(module, run):
    ctx = module({"canaries/health.py": PLACEHOLDER_PY, "main.tf": ""})
    (found,) = run("F9", ctx)
    assert (found.rule, found.severity, found.file) == ("F9", Severity.ERROR, "canaries/health.py")
    assert "checks no status/body/latency" in found.message


def test_placeholder_node_canary_in_an_archive_source(module, run):
    archive = """
    data "archive_file" "canary" {
      type        = "zip"
      source_file = "${path.module}/scripts/health.js"
      output_path = "${path.module}/build/health.zip"
    }
    """
    ctx = module({"main.tf": archive, "scripts/health.js": PLACEHOLDER_JS})
    (found,) = run("F9", ctx)
    assert found.file == "scripts/health.js"


def test_thorough_canaries_pass(module, run):
    ctx = module(
        {
            "main.tf": "",
            "canaries/python/health.py": THOROUGH_PY,
            "canaries/nodejs/node_modules/health.js": THOROUGH_JS,
            "canaries/nodejs/node_modules/lodash/index.js": "module.exports = {};",
        }
    )
    assert [s.file for s in ctx.hcl.scripts] == [
        "canaries/nodejs/node_modules/health.js",
        "canaries/python/health.py",
    ]
    assert run("F9", ctx) == []


@pytest.mark.parametrize(
    ("removed", "missing"),
    [
        ("    if response.status != 200:\n", ["status"]),
        ('    if json.loads(body)["status"] != "ok":\n', ["body"]),
        ("    if elapsed_ms > 500:\n", ["latency"]),
    ],
)
def test_each_missing_check_is_named(removed, missing):
    script = Script("c.py", "python", THOROUGH_PY.replace(removed, "    if False:\n"))
    assert missing_checks(script) == missing


def test_commented_out_checks_do_not_count():
    text = "\n".join(f"# {line}" for line in THOROUGH_PY.splitlines())
    assert missing_checks(Script("c.py", "python", text)) == ["status", "body", "latency"]


NAMED_TF = """
resource "aws_s3_bucket" "artifacts" {
  bucket = "%s"
}
"""


@pytest.mark.parametrize(
    "name",
    ["Obs-Artifacts", "ab", "a" * 64, "obs..artifacts", "-obs", "192.168.1.1", "obs_artifacts"],
)
def test_bad_bucket_names_in_the_hcl(module, run, name):
    (found,) = run("NAME-LIMIT", module({"s3.tf": NAMED_TF % name}))
    assert (found.file, found.line) == ("s3.tf", 3)


def test_good_bucket_name_and_interpolated_name(module, run):
    assert run("NAME-LIMIT", module({"s3.tf": NAMED_TF % "obs-artifacts-123456789012"})) == []
    assert run("NAME-LIMIT", module({"s3.tf": NAMED_TF % "${local.name}-ARTIFACTS"})) == []


@pytest.mark.parametrize(
    ("type_", "attribute", "name"),
    [
        ("aws_iam_role", "name", "r" * 65),
        ("aws_synthetics_canary", "name", "Api-Health"),
        ("aws_cloudwatch_dashboard", "dashboard_name", "obs dev"),
        ("aws_cloudwatch_metric_alarm", "alarm_name", "a" * 256),
        ("aws_cloudwatch_log_group", "name", "/aws/" + "l" * 510),
        ("aws_sns_topic", "name", "alarms.topic"),
        ("aws_kms_alias", "name", "alias/aws/obs"),
        ("aws_kms_alias", "name", "obs"),
        ("aws_ecs_cluster", "name", "obs:dev"),
    ],
)
def test_names_over_limits_in_the_plan(module, run, plan_of, type_, attribute, name):
    hcl = f'resource "{type_}" "this" {{\n  {attribute} = "${{local.name}}"\n}}\n'
    plan = plan_of(
        {
            "address": f'{type_}.this["api"]',
            "type": type_,
            "name": "this",
            "index": "api",
            "values": {attribute: name},
        }
    )
    (found,) = run("NAME-LIMIT", module({"main.tf": hcl}, plan=plan))
    assert (found.file, found.line) == ("main.tf", 2)
    assert f'{type_}.this["api"] {attribute}' in found.message


def test_names_within_limits_in_the_plan(module, run, plan_of):
    resources = [
        ("aws_iam_role", "name", "r" * 64),
        ("aws_synthetics_canary", "name", "obs-dev-api_health"),
        ("aws_cloudwatch_dashboard", "dashboard_name", "Obs-dev_1"),
        ("aws_cloudwatch_log_group", "name", "/aws/lambda/cwsyn-obs#1"),
        ("aws_sns_topic", "name", "obs-alarms.fifo"),
        ("aws_kms_alias", "name", "alias/obs/dev"),
    ]
    plan = plan_of(
        *(
            {"address": f"{t}.this", "type": t, "name": "this", "values": {a: n}}
            for t, a, n in resources
        )
    )
    assert run("NAME-LIMIT", module({"main.tf": ""}, plan=plan)) == []


def test_helpers_beside_a_handler_count_and_are_not_reported(module, run):
    helper = THOROUGH_PY.replace("def handler(event, context):", "def check_health():")
    thin = "from checks import check_health\n\ndef handler(event, context):\n    check_health()\n"
    ctx = module({"main.tf": "", "canaries/checks.py": helper, "canaries/canary.py": thin})
    assert run("F9", ctx) == []
    lonely = module({"main.tf": "", "canaries/other/canary.py": thin})
    (found,) = run("F9", lonely)
    assert found.file == "canaries/other/canary.py"
