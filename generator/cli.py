"""The `cw-scaffold` command: a thin layer that parses arguments and calls the API.

Exit status: 0 success; 1 a user error or check findings; 2 a usage or environment error;
130 interrupted (Ctrl-C); 3 an unexpected error (a bug: the message says so).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.errors import CwScaffoldError

if TYPE_CHECKING:
    from generator.check import Report

__all__ = ["main"]


def _data_arguments(parser: argparse.ArgumentParser, *, defaults: bool = False) -> None:
    parser.add_argument(
        "--data",
        "-d",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an answer, as for `copier --data` (lists and maps as YAML); repeatable",
    )
    parser.add_argument(
        "--data-file", type=Path, metavar="FILE", help="answers from a YAML file; --data wins"
    )
    if defaults:
        parser.add_argument(
            "--defaults", action="store_true", help="take the default of every answer not given"
        )


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cw-scaffold",
        description="Scaffold CloudWatch observability for ECS services as a Terraform module.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    new = commands.add_parser(
        "new",
        help="render a new Terraform module",
        description="Render a new Terraform module. With a terminal, and without --defaults or"
        " --no-input, a wizard asks the questions, shows a summary with a monthly cost estimate,"
        " and asks before writing.",
    )
    new.add_argument(
        "dest", type=Path, nargs="?", help="directory to render into (the wizard asks if omitted)"
    )
    _data_arguments(new, defaults=True)
    new.add_argument(
        "--no-input",
        action="store_true",
        help="never ask: answers not given take their defaults; a missing required one is an error",
    )
    new.add_argument(
        "--dry-run", action="store_true", help="print the summary and the file list; write nothing"
    )
    new.add_argument(
        "--no-discovery",
        action="store_true",
        help="do not list the AWS account's clusters, VPCs and subnets in the wizard",
    )
    new.add_argument("--force", action="store_true", help="render into a non-empty directory")
    new.add_argument("--template", help="template path or git URL (default: the installed one)")
    new.add_argument("--vcs-ref", help="template git tag or commit (default: the latest tag)")

    cost = commands.add_parser(
        "cost",
        help="estimate the monthly cost of a module",
        description="Estimate the monthly AWS cost of what a set of answers creates, or of an"
        " existing project (a directory with .copier-answers.yml).",
    )
    cost.add_argument("dir", type=Path, nargs="?", help="a project rendered by cw-scaffold")
    _data_arguments(cost, defaults=True)
    cost.add_argument(
        "--schedule",
        default="rate(5 minutes)",
        help="canary schedule to price, as rate(...) (default: the module's, rate(5 minutes))",
    )

    update = commands.add_parser("update", help="bring template fixes into a project")
    update.add_argument("dest", type=Path, nargs="?", default=Path("."), help="project directory")
    _data_arguments(update)
    update.add_argument("--vcs-ref", help="template tag or commit (default: the latest release)")
    update.add_argument(
        "--trust", action="store_true", help="allow the template's answer migrations to run"
    )

    check = commands.add_parser("check", help="check a Terraform module offline")
    check.add_argument("dir", type=Path, nargs="?", default=Path("."), help="module directory")
    check.add_argument("--format", choices=["text", "json", "sarif"], default="text")
    check.add_argument(
        "--recursive",
        action="store_true",
        help="check every module directory under DIR (root, modules, examples), in parallel",
    )
    check.add_argument(
        "--min-severity",
        choices=["info", "warning", "error"],
        default="info",
        help="report only findings at least this severe (default: all)",
    )
    check.add_argument(
        "--no-terraform", action="store_true", help="skip Terraform (fmt, validate, plan, test)"
    )
    check.add_argument("--no-checkov", action="store_true", help="skip the checkov scan")
    return parser


def _answers(args: argparse.Namespace) -> dict[str, Any]:
    from generator.questions import load_data_file, parse_data_items

    answers: dict[str, Any] = load_data_file(args.data_file) if args.data_file else {}
    answers.update(parse_data_items(args.data))
    return answers


def _cmd_new(args: argparse.Namespace) -> int:
    from generator.wizard import new_project

    interactive = sys.stdin.isatty() and not (args.defaults or args.no_input)
    if args.dest is None and not (interactive or args.dry_run):
        print("cw-scaffold new: name the directory to render into (DEST)", file=sys.stderr)
        return 2
    dest = new_project(
        args.dest,
        data=_answers(args),
        template=args.template,
        vcs_ref=args.vcs_ref,
        force=args.force,
        interactive=interactive,
        dry_run=args.dry_run,
        discovery=not args.no_discovery,
    )
    if dest is not None:
        print(f"Rendered {dest}")
        print(f"Next: cd {dest} && terraform init && terraform plan")
    return 0


def _cmd_cost(args: argparse.Namespace) -> int:
    from generator.cost import estimate_for, format_estimate

    if args.dir is None and not (args.data or args.data_file or args.defaults):
        print(
            "cw-scaffold cost: give a project directory, or answers with --data, --data-file"
            " or --defaults",
            file=sys.stderr,
        )
        return 2
    print(format_estimate(estimate_for(_answers(args), project=args.dir, schedule=args.schedule)))
    return 0


def _cmd_update(args: argparse.Namespace) -> int:
    from generator.update import update

    result = update(
        args.dest, data=_answers(args), vcs_ref=args.vcs_ref, trust=args.trust, progress=print
    )
    if not result.updated:
        print("Already up to date: nothing to do")
        return 0
    if result.conflicts:
        print(
            "cw-scaffold update: the update left conflicts to resolve in: "
            + ", ".join(result.conflicts)
            + " (edit the conflict markers, delete .rej files, then commit)",
            file=sys.stderr,
        )
        return 1
    print(f"Updated to {result.after}: review with `git diff`, then commit")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from generator.check import Severity, check
    from generator.check.report import exit_status, render_json, render_sarif, render_text
    from generator.check.tree import check_tree

    if not args.dir.is_dir():
        print(f"cw-scaffold check: {args.dir} is not a directory", file=sys.stderr)
        return 2

    def progress(stage: str) -> None:
        print(f"cw-scaffold check: {stage}", file=sys.stderr, flush=True)

    def done(report: Report) -> None:
        print(f"cw-scaffold check: done {report.module}", file=sys.stderr, flush=True)

    options = {"terraform": not args.no_terraform, "checkov": not args.no_checkov}
    minimum = Severity(args.min_severity)
    root = args.dir.resolve() if args.recursive else None
    if args.recursive:
        reports = [r.at_least(minimum) for r in check_tree(args.dir, done=done, options=options)]
    else:
        reports = [check(args.dir, progress=progress, **options).at_least(minimum)]
    shown: Report | list[Report] = reports if args.recursive else reports[0]
    render = {"json": render_json, "sarif": render_sarif}.get(args.format, render_text)
    print(render(shown, root))
    return exit_status(reports)


_COMMANDS = {"new": _cmd_new, "update": _cmd_update, "check": _cmd_check, "cost": _cmd_cost}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except CwScaffoldError as error:
        print(f"cw-scaffold {args.command}: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print(f"cw-scaffold {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - the last resort: say it is a bug
        print(
            f"cw-scaffold {args.command}: unexpected error (a bug in cw-scaffold, please report it):"
            f" {type(error).__name__}: {error}",
            file=sys.stderr,
        )
        return 3
