"""The canary scripts against a live HTTP server, on the stand-in for the Synthetics libraries.

Each runtime's script is laid out as its zip would be, next to a canary_config.json,
and its handler is run in a subprocess against a local service: a healthy variant and
variants that each break one thing. The stand-in (generator/synthetics_standin) appends every
step's outcome to a report file, which is what the assertions read.
"""

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.canary_run import NODE_RUNNER, REPORT_VARIABLE, STANDIN
from tests.helpers.canary_runs import (
    BROKEN_VARIANTS,
    NODE,
    NODE_SCRIPT,
    PYTHON_SCRIPT,
    STEP_NAMES,
    STEPS,
    Run,
    run_node,
    run_python,
    run_subprocess,
    stopped_at,
)
from tests.helpers.canary_service import SLOW_SECONDS


@pytest.fixture(params=["python", "nodejs"])
def run_canary(request: pytest.FixtureRequest, tmp_path: Path, service_port: int) -> Callable:
    """Run this runtime's canary against one variant of the service."""
    runner = run_python if request.param == "python" else run_node

    def run(variant: str, request_timeout_ms: int = 15000) -> Run:
        base_url = f"http://127.0.0.1:{service_port}/{variant}"
        config = {"service": "orders", "base_url": base_url, "steps": STEPS}
        return runner(tmp_path, {**config, "request_timeout_ms": request_timeout_ms})

    return run


# --- the checks -------------------------------------------------------------------------


def test_canary_passes_against_healthy_service(run_canary: Callable) -> None:
    run = run_canary("healthy")
    assert run.error is None
    assert [(s["step"], s["status"]) for s in run.steps] == [
        (name, "PASSED") for name in STEP_NAMES
    ]
    assert run.passed


@pytest.mark.parametrize(
    ("variant", "failed_step", "message"), BROKEN_VARIANTS, ids=[v[0] for v in BROKEN_VARIANTS]
)
def test_canary_fails_at_the_broken_step(
    run_canary: Callable, variant: str, failed_step: str, message: str
) -> None:
    run = run_canary(variant)
    assert not run.passed
    assert run.error == message
    assert_stopped_at(run, failed_step)
    assert run.steps[-1]["failure_reason"] == message


def test_canary_fails_a_slow_body_on_latency(run_canary: Callable) -> None:
    # The headers arrive at once and the body SLOW_SECONDS later: the limit is on both.
    run = run_canary("slow")
    assert not run.passed
    assert_stopped_at(run, "list-orders")
    match = re.fullmatch(
        r"step 'list-orders' \(GET /orders\?limit=1\): latency: expected at most 300 ms,"
        r" got (\d+) ms",
        run.error or "",
    )
    assert match, run.error
    assert int(match[1]) >= SLOW_SECONDS * 1000
    assert run.steps[-1]["failure_reason"] == run.error


def assert_stopped_at(run: Run, failed_step: str) -> None:
    assert run.outcomes() == stopped_at(STEP_NAMES, failed_step)


def test_canary_node_double_carries_on_after_failed_http_step_by_default(
    tmp_path: Path, service_port: int
) -> None:
    # Why the Node script sets continueOnHttpStepFailure: without it, executeHttpStep
    # records the failure and resolves, and the next step runs. AWS's samples fail a
    # step by throwing a string; with no callback, only a 2xx status is checked.
    script = tmp_path / "canary.js"
    script.write_text("""
        const synthetics = require('@aws/synthetics-puppeteer');
        const request = (variant) => ({
          protocol: 'http:', hostname: '127.0.0.1', port: process.env.SERVICE_PORT, method: 'GET',
          path: `/${variant}/health`,
          headers: { 'User-Agent': synthetics.getCanaryUserAgentString() },
        });
        exports.handler = async () => {
          await synthetics.executeHttpStep('thrown-string', request('healthy'), async (res) => {
            res.resume();
            throw 'not wanted: ' + res.statusCode;
          });
          await synthetics.executeHttpStep('no-callback', request('wrong-status'));
          return synthetics.executeHttpStep('no-callback-2xx', request('healthy'));
        };
        """)
    report = tmp_path / "steps.jsonl"
    env = {
        "NODE_PATH": str(STANDIN / "node" / "node_modules"),
        REPORT_VARIABLE: str(report),
        "SERVICE_PORT": str(service_port),
    }
    run = run_subprocess([str(NODE), "-e", NODE_RUNNER, str(script)], env, tmp_path, report)
    assert run.error is None
    assert [(s["step"], s["status"], s["failure_reason"]) for s in run.steps] == [
        ("thrown-string", "FAILED", "not wanted: 200"),
        ("no-callback", "FAILED", "503 Service Unavailable"),
        ("no-callback-2xx", "PASSED", None),
    ]
    assert not run.passed


def test_canary_python_script_is_black_formatted() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "black", "--check", "--diff", str(PYTHON_SCRIPT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_canary_node_script_parses(tmp_path: Path) -> None:
    script = tmp_path / "canary.js"  # node --check wants a .js name
    shutil.copy(NODE_SCRIPT, script)
    result = subprocess.run(
        [str(NODE), "--check", str(script)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_a_service_that_does_not_answer_in_time_fails_the_step_with_a_message(
    run_canary: Callable,
) -> None:
    """Issue 12 (minor): a hung service used up the whole run timeout, with no message."""
    run = run_canary("slow", request_timeout_ms=200)
    assert run.error == (
        "step 'list-orders' (GET /orders?limit=1): response: expected within 0.2 s, got none"
    )
