"""The pre-commit configurations: the generated project's runs `cw-scaffold check` before each
commit, and the repository's own hooks run tools this environment has, on files that exist."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
import shlex
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import _build_parser, main

REPO = Path(__file__).resolve().parent.parent


def hooks(config: Path) -> dict[str, dict[str, Any]]:
    document = yaml.safe_load(config.read_text(encoding="utf-8"))
    return {hook["id"]: hook for repo in document["repos"] for hook in repo["hooks"]}


def test_generated_project_runs_cw_scaffold_check_before_each_commit(
    rendered: Callable[[str], Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    module = rendered("defaults")
    hook = hooks(module / ".pre-commit-config.yaml")["cw-scaffold-check"]
    assert hook["language"] == "system", "the user's own cw-scaffold, not a download"
    assert hook["pass_filenames"] is False, "check takes the module directory, not files"
    program, *args = shlex.split(hook["entry"])
    scripts = importlib.metadata.entry_points(group="console_scripts", name=program)
    assert [script.value for script in scripts] == ["generator.cli:run"]  # main(), then exit
    parsed = _build_parser().parse_args(args)
    assert (parsed.command, parsed.dir) == ("check", Path())
    for changed in ["alarms.tf", "services.auto.tfvars", "tests/module.tftest.hcl"]:
        assert re.search(hook["files"], changed), changed
    # The hook's command passes on the module as rendered (its rules; Terraform and checkov
    # are tested in tests/check/).
    monkeypatch.chdir(module)
    status = main([*args, "--no-terraform", "--no-checkov"])
    assert status == 0, capsys.readouterr().out


def test_repository_hooks_run_installed_tools_on_existing_files() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    for hook_id, hook in hooks(REPO / ".pre-commit-config.yaml").items():
        assert hook["language"] == "system", f"{hook_id}: local, nothing downloaded"
        python, flag, tool, *args = shlex.split(hook["entry"])
        assert (python, flag) == (".venv/bin/python", "-m"), hook_id
        assert importlib.util.find_spec(tool) is not None, f"{hook_id}: {tool} is not installed"
        if "files" in hook:
            assert any(re.search(hook["files"], path) for path in tracked), (
                f"{hook_id} matches none"
            )
        for test in (arg for arg in args if "::" in arg):
            path, name = test.split("::")
            assert f"def {name}(" in (REPO / path).read_text(encoding="utf-8"), test
