"""The `cw-scaffold` command: a thin layer that parses arguments and calls the API.

Exit status: 0 success; 1 a user error or check findings; 2 a usage or environment error;
130 interrupted (Ctrl-C), 143 terminated (SIGTERM); 3 an unexpected error (a bug: the message
says so).
"""

from __future__ import annotations

import argparse
import gc
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from generator.errors import CwScaffoldError, printable

if TYPE_CHECKING:
    from generator.check import Report

__all__ = ["main"]

INSTALLED = ""  # `update --template` without SRC: the installed template


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
    parser.add_argument(
        "--version", action="store_true", help="print the package and template versions and exit"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

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
    new.add_argument(
        "--template",
        metavar="SRC",
        help="template: git URL, local clone or git bundle, with release tags"
        " (default: the installed one)",
    )
    new.add_argument("--vcs-ref", help="template git tag or commit (default: the latest tag)")

    cost = commands.add_parser(
        "cost",
        help="estimate the monthly cost of a module",
        description="Estimate the monthly AWS cost of what a set of answers creates, or of an"
        " existing project (a directory cw-scaffold rendered, holding its answers).",
    )
    cost.add_argument("dir", type=Path, nargs="?", help="a project rendered by cw-scaffold")
    _data_arguments(cost, defaults=True)
    cost.add_argument(
        "--schedule",
        help="canary schedule to price, as rate(...) (default: the module's default schedule)",
    )

    update = commands.add_parser("update", help="bring template fixes into a project")
    update.add_argument("dest", type=Path, nargs="?", default=Path(), help="project directory")
    _data_arguments(update)
    update.add_argument("--vcs-ref", help="template tag or commit (default: the latest release)")
    update.add_argument(
        "--template",
        nargs="?",
        const=INSTALLED,
        metavar="SRC",
        help="re-point the project at this template (git URL, local clone or git bundle) and"
        " record it; without SRC, the installed template",
    )
    update.add_argument(
        "--trust", action="store_true", help="allow the template's answer migrations to run"
    )

    check = commands.add_parser("check", help="check a Terraform module offline")
    check.add_argument("dir", type=Path, nargs="?", default=Path(), help="module directory")
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
    check.add_argument(
        "--require-checkov",
        action="store_true",
        help="exit 2 when checkov is not installed (by default the scan is skipped with a warning)",
    )
    check.add_argument(
        "--list-constraints",
        action="store_true",
        help="print which resource types and attributes AWS-VALUE checks, then exit",
    )
    check.add_argument(
        "--list-rules",
        action="store_true",
        help="print every rule: its id, severity and what it holds (docs/rules.md), then exit",
    )
    check.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a value for an input variable of the plan, as for `terraform plan`; repeatable",
    )
    check.add_argument(
        "--var-file",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="a .tfvars or .tfvars.json file of variable values for the plan; repeatable",
    )
    _canary_arguments(commands)
    return parser


def _canary_arguments(commands: Any) -> None:
    canary = commands.add_parser("canary", help="a project's canary steps: derive them, try them")
    actions = canary.add_subparsers(dest="canary_command", metavar="ACTION", required=True)
    derive = actions.add_parser(
        "derive",
        help="derive a service's canary steps from its OpenAPI 3.x document",
        description="Write the steps into DIR/derived_checks.auto.tfvars.json (yours to edit;"
        " deriving again replaces that service's steps, and `update` never touches the file).",
    )
    derive.add_argument("dir", type=Path, help="project directory")
    derive.add_argument("service", help="the service, as in service_names")
    derive.add_argument(
        "--openapi",
        type=Path,
        metavar="FILE",
        help="the OpenAPI document (YAML or JSON); default: the one it was derived from before",
    )
    derive.add_argument(
        "--max-steps", type=int, default=10, help="the step budget of the canary (default: 10)"
    )
    run = actions.add_parser(
        "run",
        help="run a service's canary here, as Terraform would build it (needs the [check] extra)",
    )
    run.add_argument("dir", type=Path, help="project directory")
    run.add_argument("service", help="the service, as in service_names")
    run.add_argument(
        "--endpoint", metavar="URL", help="the service's URL to check instead of its endpoint"
    )


def _cmd_canary(args: argparse.Namespace) -> int:
    if args.canary_command == "run":
        return _canary_run(args)
    from generator.canary import DERIVED_FILE, derive_into

    derivation = derive_into(args.dir, args.service, args.openapi, max_steps=args.max_steps)
    count = len(derivation.steps)
    print(
        f"Derived {count} step{'s' * (count != 1)} for {args.service} into"
        f" {printable(str(args.dir / DERIVED_FILE))}"
        + ("" if count else ": the document has no operation a canary can call")
    )
    for step in derivation.steps:
        print(f"  {step['name']}: {step['method']} {printable(step['path'])}")
    if derivation.skipped:
        print("Left out:")
        for reason in derivation.skipped:
            print(f"  {printable(reason)}")
    return 0


def _canary_run(args: argparse.Namespace) -> int:
    from generator.canary_run import run_locally

    run = run_locally(args.dir, args.service, args.endpoint)
    print(f"Canary of {args.service} against {printable(run.base_url)}:")
    for step in run.steps:
        reason = step["failure_reason"]
        print(f"  {step['status']} {step['step']}" + (f": {printable(reason)}" if reason else ""))
    if run.error is not None and not any(s["status"] == "FAILED" for s in run.steps):
        print(f"  FAILED: {printable(run.error)}")  # outside any step (a placeholder)
    print("Passed" if run.passed else "Failed")
    return 0 if run.passed else 1


def _answers(args: argparse.Namespace) -> dict[str, Any]:
    from generator.questions import load_data_file, parse_data_items

    answers: dict[str, Any] = load_data_file(args.data_file) if args.data_file else {}
    answers.update(parse_data_items(args.data))
    return answers


def _cmd_new(args: argparse.Namespace) -> int:
    interactive = sys.stdin.isatty() and not (args.defaults or args.no_input)
    if args.dest is None and not (interactive or args.dry_run):
        print("cw-scaffold new: name the directory to render into (DEST)", file=sys.stderr)
        return 2
    dest: Path | None
    if interactive or args.dry_run:
        from generator.project import new_project

        dest = new_project(
            args.dest,
            data=_answers(args),
            template=args.template,
            vcs_ref=args.vcs_ref,
            force=args.force,
            interactive=interactive,
            dry_run=args.dry_run,
            discovery=not args.no_discovery,
            replaced=_print_replaced,
        )
    else:  # the scripted path skips the wizard's imports: startup counts
        from generator.render import render

        dest = render(
            _answers(args),
            args.dest,
            template=args.template,
            vcs_ref=args.vcs_ref,
            force=args.force,
            replaced=_print_replaced,
        )
    if dest is not None:
        shown = printable(str(dest))
        print(f"Rendered {shown}")
        print(f"Next: cd {shown} && terraform init && terraform plan")
    return 0


def _print_replaced(files: Sequence[str]) -> None:
    print(
        f"--force replaced {len(files)} existing file{'s' * (len(files) > 1)}: {', '.join(files)}"
    )


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
    from generator.source import installed_template
    from generator.update import update

    template = installed_template() if args.template == INSTALLED else args.template
    result = update(
        args.dest,
        data=_answers(args),
        vcs_ref=args.vcs_ref,
        template=template,
        trust=args.trust,
        progress=print,
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
    from generator.check.run import exit_on_signals

    if args.list_constraints:
        from generator.check.constraints import listing

        types = listing.covered_types()
        print(listing.as_json(types) if args.format == "json" else listing.text(types))
        return 0
    if args.list_rules:
        from generator.check.report import render_rules

        print(render_rules(as_json=args.format == "json"), end="")
        return 0
    # SIGINT / SIGTERM: the check ends its children, removes its temporary files and
    # prints no verdict; main() exits 130 / 143.
    with exit_on_signals():
        from generator.check import Inputs, Severity, check
        from generator.check.report import exit_status, render_json, render_sarif, render_text

        if not args.dir.is_dir():
            print(f"cw-scaffold check: {args.dir} is not a directory", file=sys.stderr)
            return 2

        def progress(stage: str) -> None:
            print(f"cw-scaffold check: {stage}", file=sys.stderr, flush=True)

        def done(report: Report) -> None:
            print(f"cw-scaffold check: done {report.module}", file=sys.stderr, flush=True)

        options: dict[str, Any] = {
            "terraform": not args.no_terraform,
            "checkov": not args.no_checkov,
            "require_checkov": args.require_checkov,
            "inputs": Inputs(values=tuple(args.var), files=tuple(args.var_file)),
        }
        minimum = Severity(args.min_severity)
        root = args.dir.resolve() if args.recursive else None
        if args.recursive:
            from generator.check.tree import check_tree

            reports = check_tree(args.dir, done=done, options=options)
        else:
            reports = [check(args.dir, progress=progress, **options)]
        reports = [report.at_least(minimum) for report in reports]
        shown: Report | list[Report] = reports if args.recursive else reports[0]
        render = {"json": render_json, "sarif": render_sarif}.get(args.format, render_text)
        text = render(shown, root)
    if any("checkov" in report.skipped for report in reports) and not args.no_checkov:
        from generator.check.checkov import INSTALL

        print(
            f"cw-scaffold check: warning: checkov skipped, it is not installed: {INSTALL}"
            " (--require-checkov makes this an error)",
            file=sys.stderr,
        )
    print(text)
    return exit_status(reports)


class Terminated(BaseException):
    """SIGTERM, raised where the program is, so that every `finally` cleans up as for Ctrl-C."""


def _terminate(signum: int, frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not cut the cleanup
    raise Terminated


_COMMANDS = {
    "new": _cmd_new,
    "update": _cmd_update,
    "check": _cmd_check,
    "cost": _cmd_cost,
    "canary": _cmd_canary,
}


def _version() -> str:
    from generator.source import installed_template, package_version, template_version

    try:
        template = template_version(installed_template())
    except CwScaffoldError as error:
        template = f"not found ({error})"
    return f"cw-scaffold {package_version()}, template {template}"


def run() -> NoReturn:
    """The `cw-scaffold` command: main(), then exit with its status.

    The garbage collector runs as rarely as within a check (fewer_collections) until the
    output is printed, and what the command built (parsed HCL, the plan, the constraint
    tables) is then frozen: the collections that ran as the check ended and as the
    interpreter exited walked all of it (~40 ms each), only to exit. Atexit handlers
    still run.
    """
    from generator.collector import fewer_collections

    with fewer_collections():
        status = main()
        gc.freeze()
    sys.exit(status)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.version:
        print(_version())
        return 0
    if args.command is None:
        parser.error("name a COMMAND (new, update, check, cost, canary), or --version")
    if threading.current_thread() is not threading.main_thread():
        return _run(args)  # signal handlers belong to the main thread
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        return _run(args)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run(args: argparse.Namespace) -> int:
    try:
        return _COMMANDS[args.command](args)
    except CwScaffoldError as error:
        print(f"cw-scaffold {args.command}: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt as interrupt:  # Ctrl-C, or run.Interrupted for SIGINT / SIGTERM
        print(f"cw-scaffold {args.command}: interrupted", file=sys.stderr)
        return int(getattr(interrupt, "exit_code", 130))
    except Terminated:
        print(f"cw-scaffold {args.command}: terminated", file=sys.stderr)
        return 143
    except Exception as error:  # noqa: BLE001 - the last resort: say it is a bug
        print(
            f"cw-scaffold {args.command}: unexpected error (a bug in cw-scaffold, please report it):"
            f" {type(error).__name__}: {printable(str(error))}",
            file=sys.stderr,
        )
        return 3
