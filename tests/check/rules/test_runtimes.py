"""CANARY-RUNTIME: `latest = true`, and runtime versions AWS has deprecated."""

from __future__ import annotations

import pytest

from generator.check.rules.runtimes import deprecated


def test_latest_and_a_deprecated_version_are_reported(module, run):
    ctx = module(
        {
            "canaries.tf": """
            data "aws_synthetics_runtime_version" "latest" {
              prefix = "syn-nodejs-puppeteer"
              latest = true
            }

            data "aws_synthetics_runtime_version" "pinned" {
              prefix  = "syn-python-selenium"
              version = var.runtime
            }

            variable "runtime" {
              type    = string
              default = "5.1"
            }

            resource "aws_synthetics_canary" "orders" {
              name            = "orders"
              runtime_version = "syn-nodejs-puppeteer-7.0"
            }
            """
        }
    )
    found = run("CANARY-RUNTIME", ctx)
    assert [(f.file, f.line) for f in found] == [
        ("canaries.tf", 4),
        ("canaries.tf", 9),
        ("canaries.tf", 19),
    ]
    assert "latest = true" in found[0].message and "pin version" in found[0].message
    assert "syn-python-selenium-5.1, which AWS has deprecated" in found[1].message
    assert "use syn-nodejs-puppeteer-8.0 or later" in found[2].message


def test_a_supported_pinned_version_is_silent(module, run):
    # alike on purpose: each test writes out the module it checks, the HCL is the case
    ctx = module(
        {
            "canaries.tf": """
            data "aws_synthetics_runtime_version" "pinned" {
              prefix  = "syn-nodejs-puppeteer"
              version = "15.0"
            }
            """
        }
    )
    assert run("CANARY-RUNTIME", ctx) == []


@pytest.mark.parametrize(
    ("runtime", "oldest"),
    [
        ("syn-nodejs-puppeteer-7.0", "syn-nodejs-puppeteer-8.0"),
        ("syn-python-selenium-5.1", "syn-python-selenium-6.0"),
        ("syn-nodejs-puppeteer-10.0", None),
        ("syn-nodejs-playwright-1.0", None),
    ],
)
def test_deprecated_versions(runtime, oldest):
    assert deprecated(runtime) == oldest
