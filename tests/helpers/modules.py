"""Terraform modules written for a test: files from (dedented) text."""

from __future__ import annotations

import textwrap
from pathlib import Path


def write_module(directory: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return directory


SMALL = {
    "main.tf": """\
    provider "aws" {
      region = "eu-west-1"
    }

    data "aws_caller_identity" "current" {}

    resource "aws_sns_topic" "alarms" {
      name = "alarms-${data.aws_caller_identity.current.account_id}"
    }

    output "topic" {
      value = aws_sns_topic.alarms.name
    }
    """,
}
