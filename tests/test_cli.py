"""`cw-scaffold new`, non-interactive: renders, refuses bad input and occupied destinations,
and never leaves anything behind on error."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.questions import ANSWERS_FILE
from tests.helpers.answers import recorded_answers
from tests.helpers.trees import occupied


def new(dest: Path, template_dir: Path, *args: str) -> int:
    return main(["new", str(dest), "--template", str(template_dir), *args])


def test_new_with_defaults_renders_the_module(
    template_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "observability"
    assert new(dest, template_dir, "--defaults") == 0
    assert (dest / "versions.tf").is_file() and (dest / ANSWERS_FILE).is_file()
    assert f"Rendered {dest}" in capsys.readouterr().out
    assert oct(dest.stat().st_mode & 0o777) != "0o700", "the project directory is not left private"


def test_data_and_data_file_set_answers(template_dir: Path, tmp_path: Path) -> None:
    data_file = tmp_path / "answers.yml"
    data_file.write_text(yaml.safe_dump({"environment_suffix": "staging", "services": ["a", "b"]}))
    dest = tmp_path / "module"
    assert new(dest, template_dir, "--data-file", str(data_file), "--data", "services=[cart]") == 0
    answers = recorded_answers(dest)
    assert answers["environment_suffix"] == "staging"
    assert answers["services"] == ["cart"], "--data wins over --data-file"


def test_bad_answer_exits_1_naming_the_answer_and_writes_nothing(
    template_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "module"
    assert new(dest, template_dir, "--data", "environment_suffix=Prod") == 1
    err = capsys.readouterr().err
    assert "invalid answer 'environment_suffix'" in err and "lowercase slug" in err
    assert list(tmp_path.iterdir()) == []


def test_non_empty_destination_is_refused_without_force(
    template_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = occupied(tmp_path / "module", {"versions.tf": "# mine\n"})
    assert new(dest, template_dir, "--defaults") == 1
    assert "--force" in capsys.readouterr().err
    assert (dest / "versions.tf").read_text() == "# mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["module"]


def test_force_renders_into_a_non_empty_destination_and_keeps_other_files(
    template_dir: Path, tmp_path: Path
) -> None:
    dest = occupied(tmp_path / "module", {"notes.md": "mine\n"})
    assert new(dest, template_dir, "--defaults", "--force") == 0
    assert (dest / "notes.md").read_text() == "mine\n"
    assert (dest / "versions.tf").is_file()


def test_empty_destination_is_used(template_dir: Path, tmp_path: Path) -> None:
    dest = tmp_path / "module"
    dest.mkdir()
    assert new(dest, template_dir, "--defaults") == 0
    assert (dest / "versions.tf").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--data", "no-equals-sign"], "--data takes KEY=VALUE"),
        (["--data", "enviroment_suffix=dev"], "unknown answer 'enviroment_suffix'"),
        (["--data-file", "/nonexistent/answers.yml"], "cannot read the data file"),
    ],
)
def test_usage_mistakes_are_explained(
    args: list[str],
    message: str,
    template_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert new(tmp_path / "module", template_dir, *args) == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "module").exists()


@pytest.mark.parametrize(
    ("files", "status"),
    [({}, 2), ({"main.tf": 'terraform {\n  backend "s3" {}\n}\n'}, 1)],
    ids=["not-a-module", "a-finding"],
)
def test_the_command_exits_with_the_status_of_what_it_did(
    tmp_path: Path, files: dict[str, str], status: int
) -> None:
    """`cw-scaffold` (generator.cli:run, as `python -m generator`): main()'s status, and
    its output, survive the exit that skips the last garbage collection."""
    import subprocess
    import sys

    module = tmp_path / "module"
    if files:
        module.mkdir()
        for name, text in files.items():
            (module / name).write_text(text)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check", str(module), "--no-terraform", "--no-checkov"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == status, result.stderr
    if files:
        assert "F1" in result.stdout
    else:
        assert "is not a directory" in result.stderr


def test_module_entry_point_runs(tmp_path: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "generator", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and "new" in result.stdout and "check" in result.stdout
