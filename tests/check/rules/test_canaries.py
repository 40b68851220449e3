"""F9: placeholder canaries that only prove an endpoint answers."""

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


def test_helpers_beside_a_handler_count_and_are_not_reported(module, run):
    helper = THOROUGH_PY.replace("def handler(event, context):", "def check_health():")
    thin = "from checks import check_health\n\ndef handler(event, context):\n    check_health()\n"
    ctx = module({"main.tf": "", "canaries/checks.py": helper, "canaries/canary.py": thin})
    assert run("F9", ctx) == []
    lonely = module({"main.tf": "", "canaries/other/canary.py": thin})
    (found,) = run("F9", lonely)
    assert found.file == "canaries/other/canary.py"
