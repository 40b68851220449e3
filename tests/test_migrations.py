"""Answer migrations (migrations/): a project rendered before `cross_account_mode` existed
keeps deploying what it did, through copier's own update."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
import yaml

from generator.render import render
from generator.update import update
from tests.helpers.git_repos import commit_all, git

REPO = Path(__file__).resolve().parent.parent
# migrations/ holds scripts copier runs, not a package: load the one under test by path.
_spec = importlib.util.spec_from_file_location(
    "cross_account_mode", REPO / "migrations" / "cross_account_mode.py"
)
assert _spec is not None and _spec.loader is not None
_migration = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_migration)
record_cross_account_mode = _migration.record_cross_account_mode

ACCOUNTS = {"payments": "012345678901"}


def _answers(project: Path) -> dict[str, object]:
    return yaml.safe_load((project / ".copier-answers.yml").read_text())


@pytest.fixture
def old_template(template_dir: Path, tmp_path: Path) -> Path:
    """The template as it was before the question: cross_account_mode is neither asked nor
    recorded (its default follows source_accounts, as the old templates' conditions did).
    """
    repo = tmp_path / "template"
    shutil.copytree(template_dir, repo)
    copier_yml = repo / "copier.yml"
    text = copier_yml.read_text()
    old = text.replace(
        "cross_account_mode:\n  type: str\n",
        "cross_account_mode:\n  type: str\n  when: false\n",
        1,
    )
    assert old != text
    copier_yml.write_text(old)
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "Template v1")
    git(repo, "tag", "v1")
    return repo


def _release_current(repo: Path, template_dir: Path, *, migration: bool) -> None:
    text = (template_dir / "copier.yml").read_text()
    if migration:
        shutil.copytree(REPO / "migrations", repo / "migrations")
        text = text.replace(
            "_skip_if_exists:",
            "_migrations:\n"
            "  - version: v2\n"
            "    when: \"{{ _stage == 'before' }}\"\n"
            '    command: ["{{ _copier_python }}", "{{ _copier_conf.src_path }}/migrations/cross_account_mode.py",\n'
            '              "{{ _copier_conf.answers_file }}"]\n'
            "_skip_if_exists:",
        )
    (repo / "copier.yml").write_text(text)
    commit_all(repo, "v2 asks cross_account_mode")
    git(repo, "tag", "v2")


def _old_project(repo: Path, tmp_path: Path, answers: dict[str, object]) -> Path:
    project = render(answers, tmp_path / "project", template=str(repo))
    assert "cross_account_mode" not in _answers(project)
    git(project, "init", "-q", "-b", "main")
    commit_all(project, "Generated")
    return project


@pytest.mark.parametrize(
    ("answers", "mode"), [({"source_accounts": ACCOUNTS}, "accounts"), ({}, "none")]
)
def test_an_update_gives_an_old_project_the_mode_it_had(
    answers: dict[str, object],
    mode: str,
    old_template: Path,
    template_dir: Path,
    tmp_path: Path,
) -> None:
    project = _old_project(old_template, tmp_path, answers)
    before = sorted(path.name for path in project.iterdir())
    _release_current(old_template, template_dir, migration=False)

    result = update(project)  # plain copier update: no --trust

    assert result.after == "v2" and result.conflicts == ()
    assert _answers(project)["cross_account_mode"] == mode
    assert sorted(path.name for path in project.iterdir()) == before
    if mode == "accounts":
        assert 'payments = "012345678901"' in (project / "terraform.tfvars").read_text()
        assert 'resource "aws_oam_link" "payments"' in (project / "cross_account.tf").read_text()


def test_the_migration_records_the_mode_before_copier_asks(
    old_template: Path, template_dir: Path, tmp_path: Path
) -> None:
    project = _old_project(old_template, tmp_path, {"source_accounts": ACCOUNTS})
    _release_current(old_template, template_dir, migration=True)

    result = update(project, trust=True)

    assert result.after == "v2" and result.conflicts == ()
    assert _answers(project)["cross_account_mode"] == "accounts"
    assert (project / "source-account-role" / "main.tf").is_file()


def test_the_migration_keeps_a_recorded_mode_and_the_header(tmp_path: Path) -> None:
    answers_file = tmp_path / ".copier-answers.yml"
    answers_file.write_text("# Changes here will be overwritten\nsource_accounts: {}\n")
    assert record_cross_account_mode(answers_file) == "none"
    assert answers_file.read_text().startswith("# Changes here will be overwritten\n")
    assert record_cross_account_mode(answers_file) is None
    assert yaml.safe_load(answers_file.read_text()) == {
        "cross_account_mode": "none",
        "source_accounts": {},
    }
