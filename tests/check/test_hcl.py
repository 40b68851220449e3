"""The HCL model rules query: blocks, lines, values, tfvars, tests, scripts."""

from __future__ import annotations

from pathlib import Path

from generator.check.findings import Severity
from generator.check.hcl import load_module, refers_to


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_blocks_carry_kind_labels_file_and_line(tmp_path):
    root = write(
        tmp_path,
        {
            "a.tf": 'terraform {\n  backend "s3" {}\n}\n\nresource "aws_s3_bucket" "this" {\n'
            '  bucket = "b"\n  tags   = { A = "1" }\n}\n',
            "b.tf": 'data "aws_vpc" "this" {\n  filter {\n    name = "x"\n  }\n}\n'
            'variable "v" {\n  default = 1\n}\n',
        },
    )
    model = load_module(root)
    assert [(b.address, b.file, b.line) for b in model.blocks] == [
        ("terraform", "a.tf", 1),
        ("aws_s3_bucket.this", "a.tf", 5),
        ("data.aws_vpc.this", "b.tf", 1),
        ("var.v", "b.tf", 6),
    ]
    (backend,) = model.blocks[0].nested("backend")
    assert (backend.type, backend.line, dict(backend.body)) == ("s3", 2, {})
    bucket = model.find("aws_s3_bucket.this")
    assert bucket is not None
    assert dict(bucket.body) == {"bucket": "b", "tags": {"A": "1"}}
    assert (bucket.line_of("tags"), bucket.line_of("missing")) == (7, 5)
    assert model.data("aws_vpc")[0].nested("filter")[0].line == 2
    assert model.variable_value("v") == 1


def test_heredocs_are_decoded(tmp_path):
    text = 'locals {\n  a = <<-EOT\n    {"k": "v"}\n      x\n  EOT\n  b = <<EOF\n"q"\nEOF\n}\n'
    model = load_module(write(tmp_path, {"l.tf": text}))
    assert model.local_values() == {"a": '{"k": "v"}\n  x\n', "b": '"q"\n'}


def test_tfvars_override_defaults_and_tests_are_loaded(tmp_path):
    root = write(
        tmp_path,
        {
            "v.tf": 'variable "env" {\n  default = "dev"\n}\nvariable "region" {}\n',
            "terraform.tfvars": '\nenv = "prod"\nregion = "eu-west-1"\n',
            "a.auto.tfvars": 'env = "staging"\n',
            "tests/a.tftest.hcl": 'run "p" {\n  variables {\n    env = "qa"\n  }\n}\n',
        },
    )
    model = load_module(root)
    # Terraform's precedence: *.auto.tfvars over terraform.tfvars over the default
    assert (model.variable_value("env"), model.variable_value("region")) == ("staging", "eu-west-1")
    assert [(a.name, a.file, a.line) for a in model.tfvars] == [
        ("env", "terraform.tfvars", 2),
        ("region", "terraform.tfvars", 3),
        ("env", "a.auto.tfvars", 1),
    ]
    (run,) = model.tests
    assert (run.kind, run.labels, run.nested("variables")[0].body) == ("run", ("p",), {"env": "qa"})


def test_unparsable_file_is_a_warning_and_others_still_load(tmp_path):
    root = write(tmp_path, {"bad.tf": 'resource "a" "b" {\n  x = \n}\n', "ok.tf": "locals {}\n"})
    model = load_module(root)
    (problem,) = model.problems
    assert (problem.rule, problem.severity, problem.file) == (
        "HCL-PARSE",
        Severity.WARNING,
        "bad.tf",
    )
    assert problem.line == 2
    assert [b.kind for b in model.blocks] == ["locals"]


def test_refers_to_matches_whole_addresses():
    assert refers_to("${aws_iam_role.canary.arn}", "aws_iam_role.canary")
    assert not refers_to("${aws_iam_role.canary2.arn}", "aws_iam_role.canary")
    assert not refers_to("${data.aws_iam_role.canary.arn}", "aws_iam_role.canary")
    assert refers_to({"k": ["${data.aws_vpc.this.id}"]}, "data.aws_vpc.this")


NESTED = """\
resource "aws_iam_role" "this" {
  # a comment first
  name = "r"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
  })

  inline_policy {
    name   = "p"
    policy = "{}"
  }
  dynamic "inline_policy" {
    for_each = []
    content {
      name = "q"
    }
  }
}
"""


def lines(model):
    def of(block):
        return (block.kind, block.line, dict(block.attribute_lines), [of(b) for b in block.blocks])

    return [of(block) for block in model.blocks]


def test_the_parsers_tables_are_cached_for_the_user_and_lines_hold_without_them(
    tmp_path, monkeypatch
):
    """The parser's tables are kept in $XDG_CACHE_HOME/cw-scaffold, a directory only the
    user can write to; where there is no such directory (a file in the way, one that others
    can write to, no home directory at all), python-hcl2's own parser serves, and every
    block and attribute keeps its line."""
    import pwd
    import stat

    from generator.check import hcl

    root = write(tmp_path / "module", {"main.tf": NESTED})
    expected = [
        (
            "resource",
            1,
            {"name": 3, "assume_role_policy": 4},
            [
                ("inline_policy", 8, {"name": 9, "policy": 10}, []),
                ("dynamic", 12, {"for_each": 13}, [("content", 14, {"name": 15}, [])]),
            ],
        )
    ]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    hcl._parser.cache_clear()
    try:
        assert lines(load_module(root)) == expected
        directory = tmp_path / "cache" / "cw-scaffold"
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700
        (kept,) = (f for f in directory.iterdir() if f.name.startswith("hcl2-parser-"))
        assert kept.stat().st_size > 0
        (tmp_path / "a-file").write_text("")
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "a-file"))
        assert hcl._parser_cache() is None
        shared = tmp_path / "shared"
        (shared / "cw-scaffold").mkdir(parents=True)
        (shared / "cw-scaffold").chmod(0o777)
        monkeypatch.setenv("XDG_CACHE_HOME", str(shared))
        assert hcl._parser_cache() is None
        monkeypatch.delenv("XDG_CACHE_HOME")
        monkeypatch.delenv("HOME")
        monkeypatch.setattr(pwd, "getpwuid", lambda uid: (_ for _ in ()).throw(KeyError(uid)))
        assert hcl._parser_cache() is None
        hcl._parser.cache_clear()
        model = load_module(root)
        assert lines(model) == expected and model.problems == ()
    finally:
        hcl._parser.cache_clear()
