"""deferred.py: data sources that would run or fetch something are planned unknown, through
files added to Terraform's temporary copy of the module."""

from __future__ import annotations

from pathlib import Path

from generator.check.provider.deferred import ANCHOR, OVERRIDE_FILE, RESOURCE_FILE, defer_reads

EXTERNAL = 'data "external" "build" {\n  program = ["make"]\n}\n'
HTTP = 'data "http" "ip" {\n  url = "https://example.com"\n}\n'


def test_each_module_directory_gets_its_own_anchor(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(EXTERNAL + HTTP)
    child = tmp_path / "modules" / "x"
    installed = tmp_path / ".terraform" / "modules" / "remote"
    hidden = tmp_path / ".git" / "y"
    for directory in (child, installed, hidden):
        directory.mkdir(parents=True)
        (directory / "main.tf").write_text(HTTP)
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "main.tf").write_text('resource "null_resource" "x" {}\n')

    assert defer_reads(tmp_path) == [tmp_path, installed, child]
    assert (tmp_path / OVERRIDE_FILE).read_text() == (
        f'data "external" "build" {{\n  working_dir = terraform_data.{ANCHOR}.output\n}}\n\n'
        f'data "http" "ip" {{\n  request_timeout_ms = terraform_data.{ANCHOR}.output\n}}\n'
    )
    assert f'resource "terraform_data" "{ANCHOR}"' in (child / RESOURCE_FILE).read_text()
    assert not (hidden / RESOURCE_FILE).exists()
    assert not (tmp_path / "plain" / RESOURCE_FILE).exists()
