"""Hostile and careless input to `new`, `update` and `cost` (issue #10): nothing runs, nothing
leaks out of the destination, nothing is lost, and every mistake is one line naming the file
or the answer, with exit 1 (2 for the machine's problems), never a traceback (exit 3)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.questions import ANSWERS_FILE, MAX_ANSWERS_FILE_BYTES, load_questions
from tests.helpers.answers import recorded_answers
from tests.helpers.git_repos import commit_all, git, release_fix
from tests.helpers.trees import occupied, tree

REPO = Path(__file__).resolve().parent.parent
ATTACK = "--upload-pack=touch PWNED;false"


def new(dest: Path | str, template_dir: Path, *args: str) -> int:
    return main(["new", str(dest), "--template", str(template_dir), *args])


def one_line(text: str) -> str:
    """The only line of an error output: no traceback, no second line."""
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


# 1. Command execution through the answers file ------------------------------------------------


@pytest.mark.parametrize("vcs_ref", [["--vcs-ref", "v1"], []], ids=["vcs-ref", "plain"])
@pytest.mark.parametrize(
    ("attack", "refusal"),
    [(ATTACK, "cannot start with '-'"), ("ext::sh -c touch% PWNED", "run commands")],
    ids=["option", "ext-transport"],
)
def test_1_src_path_never_runs_a_command_through_git(
    project: Path,
    template_repo: Path,
    vcs_ref: list[str],
    attack: str,
    refusal: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Before the fix, `git ls-remote --upload-pack=...` ran the command: git took the
    project's origin (a local path) as the repository."""
    git(project, "remote", "add", "origin", str(template_repo))
    answers_file = project / ANSWERS_FILE
    answers = yaml.safe_load(answers_file.read_text())
    answers.update(_src_path=attack, _commit="v0")
    answers_file.write_text(yaml.safe_dump(answers))
    commit_all(project, "A hostile source")
    monkeypatch.chdir(project)

    assert main(["update", *vcs_ref]) == 1

    error = one_line(capsys.readouterr().err)
    assert "_src_path" in error and refusal in error
    assert not list(tmp_path.rglob("PWNED")), "the command in _src_path ran"


def test_1_template_and_vcs_ref_that_look_like_options_are_refused(
    template_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "module", "--defaults", f"--template={ATTACK}"]) == 1
    assert "--template" in one_line(capsys.readouterr().err)
    assert new("module", template_dir, "--defaults", "--vcs-ref=--output=x") == 1
    assert "--vcs-ref" in one_line(capsys.readouterr().err)
    assert list(tmp_path.iterdir()) == []


def test_1_git_reads_a_local_source_after_double_dash(template_repo: Path) -> None:
    """The `--` this safety relies on does not break a normal update's tag lookup."""
    from generator.update import latest_release

    assert latest_release(str(template_repo)) == "v1"


# 4. Trailing newlines and control characters ---------------------------------------------------

VALIDATED = {
    name: question
    for name, question in load_questions(REPO).items()
    if question.validator and question.type == "str"
}
# Answers a question needs to apply at all.
CONTEXT = {
    "vpc_id": {"vpc_mode": "existing", "subnet_ids": "[subnet-0a1b2c3d]"},
    "state_bucket": {"backend": "s3"},
    "state_key": {"backend": "s3", "state_bucket": "my-state"},
    "state_region": {"backend": "s3", "state_bucket": "my-state"},
    "source_account_role": {"source_accounts": '{a: "111122223333"}'},
    "organization_id": {"cross_account_mode": "organization", "organizational_units": "[r-ab12]"},
}
VALID = {
    "project_name": "obs",
    "environment_suffix": "dev",
    "aws_region": "eu-west-1",
    "cluster_name": "main",
    "vpc_id": "vpc-0a1b2c3d",
    "service_endpoint_pattern": "http://{service}.internal:8080",
    "state_bucket": "my-state",
    "state_key": "obs/terraform.tfstate",
    "state_region": "eu-west-1",
    "source_account_role": "Admin",
    "organization_id": "o-a1b2c3d4e5",
    "alarm_email": "a@b.co",
    "warning_email": "a@b.co",
    "canary_runtime_version": "14.0",
}


@pytest.mark.parametrize("name", sorted(VALIDATED))
@pytest.mark.parametrize("tail", ["\n", "\x1b[31m", "\u202e", "\x00"], ids=repr)
def test_4_trailing_newline_or_control_character_is_refused_naming_the_answer(
    name: str, tail: str, template_dir: Path, tmp_path: Path, capsys
) -> None:
    data = {**CONTEXT.get(name, {}), name: VALID[name] + tail}
    data_file = tmp_path / "answers.yml"
    data_file.write_text(yaml.safe_dump(data))
    dest = tmp_path / "module"

    assert new(dest, template_dir, "--defaults", "--data-file", str(data_file)) == 1

    error = one_line(capsys.readouterr().err)
    assert f"invalid answer '{name}'" in error
    assert "\x1b" not in error and "\u202e" not in error and "\x00" not in error
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.yml"]


def test_4_every_validated_answer_is_covered() -> None:
    assert set(VALIDATED) == set(VALID), "a new free-text question needs a case above"


def test_4_yaml_block_with_final_newline_is_refused(
    template_dir: Path, tmp_path: Path, capsys
) -> None:
    data_file = tmp_path / "answers.yml"
    data_file.write_text("alarm_email: |\n  a@b.co\n")
    assert new(tmp_path / "m", template_dir, "--defaults", "--data-file", str(data_file)) == 1
    assert "invalid answer 'alarm_email'" in one_line(capsys.readouterr().err)


def test_4_copier_itself_refuses_a_final_newline(template_dir: Path, tmp_path: Path) -> None:
    """The anchors are in copier.yml, so plain `copier copy` refuses it too."""
    data_file = tmp_path / "answers.yml"
    data_file.write_text(yaml.safe_dump({"project_name": "obs\n"}))
    result = subprocess.run(
        [sys.executable, "-m", "copier", "copy", "--defaults", "--data-file", str(data_file)]
        + [str(template_dir), str(tmp_path / "m")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "project_name" in result.stderr and "cluster_name" not in result.stderr
    assert not (tmp_path / "m").exists()


def test_4_dry_run_never_echoes_raw_control_sequences(template_dir: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "new", "--dry-run", "--defaults"]
        + ["--template", str(template_dir), "--data", 'additional_tags={Team: "\x1b]0;pwn\x07"}']
        + ["--data", "project_name=\x1b[2Jobs"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert not any(c in result.stdout + result.stderr for c in "\x1b\x07")
    assert "\\x1b" in result.stderr
    assert list(tmp_path.iterdir()) == []


# 5. --force over a project ----------------------------------------------------------------------


def test_5_force_keeps_the_users_service_settings_and_lists_what_it_replaced(
    template_dir: Path, tmp_path: Path, capsys
) -> None:
    dest = tmp_path / "module"
    assert new(dest, template_dir, "--defaults") == 0
    (dest / "services.auto.tfvars").write_text("service_settings = { orders = {} }\n")
    (dest / "README.md").write_text("# Our notes\n")
    (dest / ".gitignore").write_text("secrets/\n")
    capsys.readouterr()

    assert new(dest, template_dir, "--defaults", "--force") == 0

    out = capsys.readouterr().out
    assert (dest / "services.auto.tfvars").read_text() == "service_settings = { orders = {} }\n"
    assert "--force replaced 2 existing files: .gitignore, README.md" in out
    assert "services.auto.tfvars" not in out


# 6. Partial writes and escapes ------------------------------------------------------------------


def test_6_a_file_where_a_directory_goes_stops_force_before_anything_moves(
    template_dir: Path, tmp_path: Path, capsys
) -> None:
    dest = occupied(tmp_path / "module", {"canaries": "not a directory\n"})
    before = tree(tmp_path)

    assert new(dest, template_dir, "--defaults", "--force") == 1

    error = one_line(capsys.readouterr().err)
    assert "canaries is a file where the module has a directory" in error
    assert tree(tmp_path) == before and sorted(p.name for p in tmp_path.iterdir()) == ["module"]


def test_6_a_symlink_out_of_the_destination_is_never_written_through(
    template_dir: Path, tmp_path: Path, capsys
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    dest = tmp_path / "module"
    dest.mkdir()
    (dest / "canaries").symlink_to("../outside")
    (dest / "notes.txt").write_text("mine\n")

    assert new(dest, template_dir, "--defaults", "--force") == 1

    assert "canaries is a symlink" in one_line(capsys.readouterr().err)
    assert list(outside.iterdir()) == []
    assert sorted(p.name for p in dest.iterdir()) == ["canaries", "notes.txt"]


# 7. Interrupts during `new` ---------------------------------------------------------------------


@pytest.mark.parametrize("delay", [0.0, 0.2], ids=["at-once", "while-copier-works"])
@pytest.mark.parametrize(("signum", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_7_interrupted_new_leaves_no_staging_or_temporary_directory(
    signum: int,
    status: int,
    delay: float,
    template_repo: Path,
    tmp_path: Path,
) -> None:
    work, scratch = tmp_path / "work", tmp_path / "tmp"
    work.mkdir()
    scratch.mkdir()
    child = subprocess.Popen(
        [sys.executable, "-m", "generator", "new", "module", "--defaults"]
        + ["--template", str(template_repo)],  # a git template: copier clones it into TMPDIR
        cwd=work,
        env={**os.environ, "TMPDIR": str(scratch)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not list(work.glob(".module.render-*")):
        assert child.poll() is None and time.monotonic() < deadline, "no staging directory seen"
        time.sleep(0.005)
    time.sleep(delay)
    signalled = time.monotonic()
    child.send_signal(signum)
    _, err = child.communicate(timeout=10)

    assert child.returncode == status, err
    assert time.monotonic() - signalled < 2
    assert list(work.iterdir()) == [], "no staging directory and no partial module"
    assert list(scratch.iterdir()) == [], "no temporary directory"
    assert "Traceback" not in err


# 8. Tag limits ----------------------------------------------------------------------------------


def _tags_error(tags: object, template_dir: Path, tmp_path: Path, capsys) -> str:
    data_file = tmp_path / "tags.yml"
    data_file.write_text(yaml.safe_dump({"additional_tags": tags}))
    assert new(tmp_path / "m", template_dir, "--defaults", "--data-file", str(data_file)) == 1
    assert not (tmp_path / "m").exists()
    return one_line(capsys.readouterr().err)


@pytest.mark.parametrize(
    ("tags", "fragment"),
    [
        ({f"Key{i}": "v" for i in range(60)}, "at most 46"),
        ({f"Key{i}": "v" for i in range(47)}, "at most 46"),
        ({"k" * 129: "v"}, "1-128"),
        ({"Team": "v" * 257}, "at most 256"),
        ({"AWS:owner": "x"}, "not start with 'aws:'"),
        ({"Aws:Owner": "x"}, "not start with 'aws:'"),
        ({"Team": "a", "team": "b"}, "must not repeat a tag key"),
        ({"Team": "a", " TEAM ": "b"}, "must not repeat a tag key"),
        ({"Environment ": "prod"}, "comes from environment_suffix"),
        ({" environment": "prod"}, "comes from environment_suffix"),
        ({"ManagedBy  ": "me"}, "the module sets it"),
    ],
)
def test_8_aws_tag_rules_are_enforced(
    tags: dict[str, str], fragment: str, template_dir: Path, tmp_path: Path, capsys
) -> None:
    error = _tags_error(tags, template_dir, tmp_path, capsys)
    assert "invalid answer 'additional_tags'" in error and fragment in error


def test_8_the_tag_limit_leaves_room_for_the_modules_own_tags(
    template_dir: Path, tmp_path: Path
) -> None:
    """46 extra tags render; with the tags the module sets itself (counted in the rendered
    module: default_tags and the most any resource adds) that is AWS's 50."""
    import hcl2

    tags = {f"Key{i}": "v" * 256 for i in range(46)}
    data_file = tmp_path / "tags.yml"
    data_file.write_text(yaml.safe_dump({"additional_tags": tags}))
    dest = tmp_path / "m"
    assert new(dest, template_dir, "--defaults", "--data-file", str(data_file)) == 0

    default_tags = (dest / "locals.tf").read_text().split("tags = merge(var.additional_tags, {")
    own_default = sum("=" in line for line in default_tags[1].split("})", 1)[0].splitlines())
    own_resource = 0  # the most tags one resource adds on top of the default tags
    for path in dest.glob("*.tf"):
        for block in hcl2.loads(path.read_text()).get("resource", []):
            for resources in block.values():
                for body in resources.values():
                    if isinstance(body.get("tags"), dict):
                        own_resource = max(own_resource, len(body["tags"]))
    own = own_default + own_resource
    assert (own_default, own_resource) == (3, 1)
    assert len(tags) + own == 50


def test_8_an_oversized_data_file_is_refused_before_it_is_parsed(
    template_dir: Path, tmp_path: Path, capsys
) -> None:
    data_file = tmp_path / "huge.yml"
    rows = (f"  key{i}: value\n" for i in range(MAX_ANSWERS_FILE_BYTES // 10))
    data_file.write_text("additional_tags:\n" + "".join(rows))
    started = time.monotonic()
    assert new(tmp_path / "m", template_dir, "--data-file", str(data_file)) == 1
    assert time.monotonic() - started < 5
    error = one_line(capsys.readouterr().err)
    assert str(data_file) in error and "larger than 256 KiB" in error


@pytest.mark.parametrize("where", ["file", "data"])
def test_8_a_yaml_alias_bomb_is_refused_quickly(
    where: str, template_dir: Path, tmp_path: Path, capsys
) -> None:
    """Nine levels of ten aliases: a few hundred bytes that expand to a billion strings."""
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    bomb = "{" + ", ".join(levels) + ", services: *a9}"
    if where == "file":
        data_file = tmp_path / "bomb.yml"
        data_file.write_text("\n".join(levels) + "\nservices: *a9\n")
        args = ["--data-file", str(data_file)]
    else:
        args = ["--data", f"additional_tags={bomb}"]
    started = time.monotonic()
    assert new(tmp_path / "m", template_dir, "--defaults", *args) == 1
    assert time.monotonic() - started < 10
    assert "more than 100000 values" in one_line(capsys.readouterr().err)
    assert not (tmp_path / "m").exists()


# 10. User errors are not bugs -------------------------------------------------------------------


def test_10_binary_data_file(template_dir: Path, tmp_path: Path, capsys) -> None:
    data_file = tmp_path / "answers.yml"
    data_file.write_bytes(b"project_name: \xff\xfe\x00binary")
    assert new(tmp_path / "m", template_dir, "--data-file", str(data_file)) == 1
    error = one_line(capsys.readouterr().err)
    assert str(data_file) in error and "not UTF-8" in error
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.yml"]


def test_10_yaml_error_names_line_and_column(template_dir: Path, tmp_path: Path, capsys) -> None:
    data_file = tmp_path / "answers.yml"
    data_file.write_text("project_name: obs\nservices: [orders\nalarm_email: x\n")
    assert new(tmp_path / "m", template_dir, "--data-file", str(data_file)) == 1
    error = one_line(capsys.readouterr().err)
    assert f"{data_file}:3:12" in error and "not valid YAML" in error


@pytest.mark.parametrize(
    "content",
    [b"_src_path: x\n_commit: [v1\n", b"\xff\xfe\x00\x01", b"- a list\n"],
    ids=["malformed", "binary", "not-a-map"],
)
def test_10_bad_answers_file_for_update_and_cost(project: Path, content: bytes, capsys) -> None:
    answers_file = project / ANSWERS_FILE
    answers_file.write_bytes(content)
    commit_all(project, "A broken answers file")

    for command in (["update", str(project)], ["cost", str(project)]):
        assert main(command) == 1, command
        error = one_line(capsys.readouterr().err)
        assert str(answers_file) in error, error


def test_10_new_into_a_file_with_force(template_dir: Path, tmp_path: Path, capsys) -> None:
    afile = tmp_path / "afile"
    afile.write_text("mine\n")
    assert new(afile, template_dir, "--defaults", "--force") == 1
    assert "it is a file, not a directory" in one_line(capsys.readouterr().err)
    assert afile.read_text() == "mine\n" and sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


def test_10_new_under_a_file(template_dir: Path, tmp_path: Path, capsys) -> None:
    parent = tmp_path / "parentfile"
    parent.write_text("mine\n")
    assert new(parent / "proj", template_dir, "--defaults") == 1
    assert f"{parent} is a file, not a directory" in one_line(capsys.readouterr().err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["parentfile"]


def test_10_new_under_proc(template_dir: Path, capsys) -> None:
    assert new("/proc/cw-scaffold-test/proj", template_dir, "--defaults") == 1
    assert "cannot write /proc" in one_line(capsys.readouterr().err)


def _in_own_mounts(script: str) -> subprocess.CompletedProcess[str]:
    """`sh -c script` (with $0 this Python) in a user and mount namespace of its own, where it
    may mount without root; the script exits 99 when it cannot mount."""
    if shutil.which("unshare") is None:
        pytest.fail("unshare (util-linux) is needed to mount a small or read-only file system")
    result = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script, sys.executable],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 99, result.stderr
    return result


def _in_small_mount(
    tmp_path: Path, template_dir: Path, options: str
) -> subprocess.CompletedProcess[str]:
    """`cw-scaffold new` into a tmpfs of its own, then what the mount holds afterwards."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    return _in_own_mounts(
        f"mount -t tmpfs -o {options} tmpfs {mount} || exit 99; "
        f'"$0" -m generator new {mount}/proj --defaults --template {template_dir}; '
        f"status=$?; echo left:$(ls -A {mount}); exit $status"
    )


@pytest.mark.parametrize(
    ("options", "problem"),
    [("size=48k", "No space left on device"), ("ro", "Read-only file system")],
    ids=["disk-full", "read-only"],
)
def test_10_full_or_read_only_file_system_is_an_environment_error_and_leaves_nothing(
    options: str, problem: str, template_dir: Path, tmp_path: Path
) -> None:
    result = _in_small_mount(tmp_path, template_dir, options)
    assert result.returncode == 2, result.stderr
    assert problem in one_line(result.stderr)
    assert result.stdout.strip() == "left:"


def test_10_update_of_a_read_only_project_is_an_environment_error(
    template_repo: Path, project: Path
) -> None:
    release_fix(template_repo, "artifacts.tf", "noncurrent_days = 1", "noncurrent_days = 7")
    before = tree(project)
    result = _in_own_mounts(
        f"mount --bind {project} {project} && mount -o remount,ro,bind {project} || exit 99; "
        f'exec "$0" -m generator update {project}'
    )
    assert result.returncode == 2, result.stderr
    assert "Read-only file system" in one_line(result.stderr)
    assert tree(project) == before


# 12. Small ones ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["maybe", "2", "[]", "truthy"])
def test_12_a_yes_no_answer_must_be_a_boolean(
    value: str, template_dir: Path, tmp_path: Path, capsys
) -> None:
    args = ["--data", "vpc_mode=default", "--data", f"create_vpc_endpoints={value}"]
    assert new(tmp_path / "m", template_dir, "--defaults", *args) == 1
    error = one_line(capsys.readouterr().err)
    assert "invalid answer 'create_vpc_endpoints'" in error and "true or false" in error
    assert list(tmp_path.iterdir()) == []


def test_12_update_refuses_a_non_boolean_and_a_control_character_too(project: Path, capsys) -> None:
    before = tree(project)
    assert main(["update", str(project), "--data", "create_vpc_endpoints=maybe"]) == 1
    assert "invalid answer 'create_vpc_endpoints'" in capsys.readouterr().err
    assert main(["update", str(project), "--data", "cluster_name=main\u202e"]) == 1
    assert "must not contain control characters" in capsys.readouterr().err
    assert tree(project) == before


def test_12_yes_and_no_spellings_still_work(template_dir: Path, tmp_path: Path) -> None:
    args = ["--data", "vpc_mode=default", "--data", "create_vpc_endpoints=no"]
    assert new(tmp_path / "m", template_dir, "--defaults", *args) == 0
    answers = recorded_answers(tmp_path / "m")
    assert answers["create_vpc_endpoints"] is False


def test_12_destination_inside_the_template_is_refused(template_dir: Path, capsys) -> None:
    before = tree(template_dir)
    assert new(template_dir / "template" / "out", template_dir, "--defaults") == 1
    assert "inside the template directory" in one_line(capsys.readouterr().err)
    assert tree(template_dir) == before


def test_12_the_template_root_itself_is_refused_and_beside_the_template_is_fine(
    template_dir: Path, capsys
) -> None:
    assert new(template_dir, template_dir, "--defaults", "--force") == 1
    assert "inside the template directory" in one_line(capsys.readouterr().err)
    demo = template_dir / "demo"  # as `make demo` renders beside the template in a checkout
    try:
        assert new(demo, template_dir, "--defaults") == 0
    finally:
        shutil.rmtree(demo, ignore_errors=True)


def test_12_a_destination_given_through_a_symlink_to_the_template_is_refused(
    template_dir: Path, tmp_path: Path, capsys
) -> None:
    link = tmp_path / "link"
    link.symlink_to(template_dir / "template")
    assert new(link / "out", template_dir, "--defaults") == 1
    assert "inside the template directory" in one_line(capsys.readouterr().err)
    assert not (template_dir / "template" / "out").exists()


def test_no_user_error_is_reported_as_a_bug(template_dir: Path, tmp_path: Path, capsys) -> None:
    """A directory given as --data-file: exit 1, not an unexpected error."""
    assert new(tmp_path / "m", template_dir, "--data-file", str(tmp_path)) == 1
    error = one_line(capsys.readouterr().err)
    assert "unexpected error" not in error and str(tmp_path) in error
    assert list(tmp_path.iterdir()) == []
