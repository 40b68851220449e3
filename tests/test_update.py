"""Template updates on real git repositories: fixes come in, users' edits stay."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.errors import UserError
from generator.questions import ANSWERS_FILE
from generator.render import render
from generator.update import inspect_project, update
from tests.helpers.answers import recorded_answers
from tests.helpers.git_repos import COMMITTER, commit_all, git, release_fix


def test_update_applies_the_fix_and_keeps_the_users_edits(
    template_repo: Path, project: Path
) -> None:
    before = recorded_answers(project)
    assert before["_commit"] == "v1"
    # The user edits a template-owned file, the per-service data, and adds a file of their own.
    kms = project / "kms.tf"
    kms.write_text(
        kms.read_text().replace("deletion_window_in_days = 30", "deletion_window_in_days = 14")
    )
    settings = project / "services.auto.tfvars"
    settings.write_text(
        settings.read_text().replace("# cpu_high_percent    = 95", "cpu_high_percent = 90", 1)
    )
    (project / "extra.tf").write_text('resource "aws_sns_topic" "audit" {\n  name = "audit"\n}\n')
    commit_all(project, "Our edits")
    release_fix(template_repo, "artifacts.tf", "noncurrent_days = 1", "noncurrent_days = 7")

    result = update(project)

    assert (result.before, result.after, result.updated, result.conflicts) == ("v1", "v2", True, ())
    assert "noncurrent_days = 7" in (project / "artifacts.tf").read_text()
    assert "deletion_window_in_days = 14" in kms.read_text()
    assert "cpu_high_percent = 90" in settings.read_text()
    assert (project / "extra.tf").is_file()
    after = recorded_answers(project)
    assert {k: v for k, v in after.items() if k != "_commit"} == {
        k: v for k, v in before.items() if k != "_commit"
    }


def test_update_does_nothing_when_already_at_the_latest_release(project: Path) -> None:
    result = update(project)
    assert (result.before, result.after, result.updated) == ("v1", "v1", False)
    assert git(project, "status", "--porcelain") == ""


def test_adding_a_service_changes_data_not_code(template_repo: Path, project: Path) -> None:
    settings_before = (project / "services.auto.tfvars").read_text()

    result = update(project, data={"services": "[orders, payments, users]"})

    assert result.updated and result.conflicts == ()
    changed = sorted(git(project, "status", "--porcelain").split()[1::2])
    assert changed == [ANSWERS_FILE, "terraform.tfvars"]
    assert '  "users",' in (project / "terraform.tfvars").read_text()
    assert (project / "services.auto.tfvars").read_text() == settings_before


@pytest.fixture
def conflicting_fix(template_repo: Path, project: Path) -> Path:
    """The user changed the very line a template fix changes: the update must conflict."""
    artifacts = project / "artifacts.tf"
    artifacts.write_text(
        artifacts.read_text().replace("noncurrent_days = 1", "noncurrent_days = 3")
    )
    commit_all(project, "Keep old versions 3 days")
    release_fix(template_repo, "artifacts.tf", "noncurrent_days = 1", "noncurrent_days = 7")
    return project


def test_a_true_conflict_is_reported_with_the_file_named(conflicting_fix: Path) -> None:
    project = conflicting_fix

    result = update(project)

    assert result.conflicts == ("artifacts.tf",)


def test_cli_update_exits_non_zero_while_conflicts_remain(
    conflicting_fix: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = conflicting_fix

    assert main(["update", str(project)]) == 1
    out = capsys.readouterr()
    assert "v1" in out.out and "v2" in out.out
    assert "artifacts.tf" in out.err and "conflict" in out.err


@pytest.mark.parametrize(
    ("prepare", "message"),
    [
        (lambda p: (p / "kms.tf").write_text("# edited\n"), "uncommitted changes (kms.tf)"),
        (lambda p: (p / "new.tf").write_text("# new\n"), "uncommitted changes (new.tf)"),
        (lambda p: shutil.rmtree(p / ".git"), "not a git repository"),
        (lambda p: (p / ANSWERS_FILE).unlink(), "not a copier project"),
    ],
)
def test_unfit_projects_are_refused_before_anything_happens(
    project: Path, prepare, message: str
) -> None:
    prepare(project)
    with pytest.raises(UserError, match=message.replace("(", r"\(").replace(")", r"\)")):
        inspect_project(project)


def test_a_project_from_cw_scaffold_new_updates_with_plain_copier(
    template_repo: Path, project: Path
) -> None:
    release_fix(template_repo, "artifacts.tf", "noncurrent_days = 1", "noncurrent_days = 7")
    subprocess.run(
        [sys.executable, "-m", "copier", "update", "--defaults", "--quiet"],
        cwd=project,
        check=True,
        capture_output=True,
    )
    assert "noncurrent_days = 7" in (project / "artifacts.tf").read_text()
    assert recorded_answers(project)["_commit"] == "v2"


def test_a_renamed_question_keeps_its_answer_through_the_migration(
    template_repo: Path, tmp_path: Path
) -> None:
    # v3 of the template asked `alarm_address`; v4 renames it to `alarm_email`, with the
    # answer migration copier.yml would carry for such a rename.
    copier_yml = template_repo / "copier.yml"
    current = copier_yml.read_text()
    tfvars = template_repo / "template" / "terraform.tfvars.jinja"
    current_tfvars = tfvars.read_text()
    copier_yml.write_text(
        current.replace("\nalarm_email:", "\nalarm_address:").replace(
            "alarm_email", "alarm_address"
        )
    )
    tfvars.write_text(current_tfvars.replace("alarm_email", "alarm_address"))
    readme = template_repo / "template" / "README.md.jinja"
    readme_text = readme.read_text()
    readme.write_text(readme_text.replace("alarm_email", "alarm_address"))
    commit_all(template_repo, "v3 asks alarm_address")
    git(template_repo, "tag", "v3")
    project = render(
        {"alarm_address": "oncall@example.com"}, tmp_path / "renamed", template=str(template_repo)
    )
    git(project, "init", "-q", "-b", "main")
    commit_all(project, "Generated")

    migration = (
        "_migrations:\n"
        "  - version: v4\n"
        "    when: \"{{ _stage == 'before' }}\"\n"
        '    command: ["{{ _copier_python }}", "{{ _copier_conf.src_path }}/migrations/rename_answer.py",\n'
        '              "{{ _copier_conf.answers_file }}", alarm_address, alarm_email]\n'
    )
    copier_yml.write_text(current.replace("_skip_if_exists:", migration + "_skip_if_exists:"))
    tfvars.write_text(current_tfvars)
    readme.write_text(readme_text)
    (template_repo / "migrations").mkdir()
    shutil.copy(
        Path(__file__).resolve().parent.parent / "migrations" / "rename_answer.py",
        template_repo / "migrations",
    )
    commit_all(template_repo, "v4 renames alarm_address to alarm_email")
    git(template_repo, "tag", "v4")

    with pytest.raises(UserError, match="--trust"):
        update(project)
    result = update(project, trust=True)

    assert result.after == "v4" and result.conflicts == ()
    assert recorded_answers(project)["alarm_email"] == "oncall@example.com"
    assert "alarm_address" not in recorded_answers(project)
    assert 'alarm_emails = ["oncall@example.com"]' in (project / "terraform.tfvars").read_text()


# Where the template comes from: --version, `update --template`, no older template.


def test_version_names_the_package_and_the_template(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    package, template = capsys.readouterr().out.strip().split(", ")
    assert package.startswith("cw-scaffold ") and template.startswith("template ")


def test_update_refuses_an_older_template(template_repo: Path, tmp_path: Path) -> None:
    release_fix(template_repo, "artifacts.tf", "noncurrent_days = 1", "noncurrent_days = 7")
    newer = render({}, tmp_path / "newer", template=str(template_repo))
    git(newer, "init", "-q", "-b", "main")
    commit_all(newer, "Generated by cw-scaffold")
    with pytest.raises(UserError, match="at template version v2, newer than v1: refusing"):
        update(newer, vcs_ref="v1")
    assert recorded_answers(newer)["_commit"] == "v2"
    assert git(newer, "status", "--porcelain") == ""


def test_update_template_repoints_the_project_at_a_fork(
    template_repo: Path,
    project: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for (
        variable,
        value,
    ) in COMMITTER.items():  # re-pointing commits; a fresh machine has no identity
        monkeypatch.setenv(variable, value)
    fork = tmp_path / "fork"
    git(tmp_path, "clone", "-q", str(template_repo), str(fork))
    release_fix(fork, "artifacts.tf", "noncurrent_days = 1", "noncurrent_days = 7")
    shutil.rmtree(template_repo)  # the recorded source is gone

    assert main(["update", str(project)]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "is gone or unreadable" in error and "--template" in error

    assert main(["update", str(project), "--template", str(fork)]) == 0
    assert f"Template source: {template_repo} -> {fork} (committed)" in capsys.readouterr().out
    assert recorded_answers(project)["_src_path"] == str(fork)
    assert recorded_answers(project)["_commit"] == "v2"
    assert "noncurrent_days = 7" in (project / "artifacts.tf").read_text()
    assert git(project, "log", "-1", "--format=%s") == f"Re-point the template source at {fork}\n"


def test_a_source_without_the_projects_version_is_refused(
    project: Path, tmp_path: Path, template_dir: Path
) -> None:
    unrelated = tmp_path / "unrelated"
    shutil.copytree(template_dir, unrelated)
    git(unrelated, "init", "-q", "-b", "main")
    commit_all(unrelated, "Another history")
    git(unrelated, "tag", "v2")
    before = (project / ANSWERS_FILE).read_text()

    with pytest.raises(UserError, match="does not hold the project's version v1"):
        update(project, template=str(unrelated))
    assert (project / ANSWERS_FILE).read_text() == before
    assert git(project, "status", "--porcelain") == ""
