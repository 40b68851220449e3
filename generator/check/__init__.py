"""`cw-scaffold check`: validate any Terraform module offline.

    report = check(Path("my-module"))

runs real Terraform (fmt, init, validate, plan, test) against the stand-in providers, then
the project's rules (generator.check.rules) on the HCL and the plan JSON; checkov, with the
project's own policies, scans the module meanwhile (it only reads the files), and its
findings come last. Each part but the rules can be left out; checkov is skipped when it is
not installed, unless `require_checkov` (the report lists skipped stages). The check never
executes what the module says and never reaches the network (docs/check-safety.md). Heavy
dependencies are imported only when their stage runs, and a missing one raises
EnvironmentProblem naming the extra to install.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from generator.check.findings import Finding, Report, Severity
from generator.check.inputs import Inputs
from generator.check.run import CheckRun, Progress
from generator.check.sources import CannotCheck
from generator.collector import fewer_collections
from generator.errors import UserError

if TYPE_CHECKING:
    from generator.check.hcl import HclModule

__all__ = ["CannotCheck", "Finding", "Inputs", "Progress", "Report", "Severity", "check"]


def check(
    module_dir: Path,
    *,
    terraform: bool = True,
    checkov: bool = True,
    require_checkov: bool = False,
    progress: Progress | None = None,
    inputs: Inputs | None = None,
) -> Report:
    """Check the Terraform module in `module_dir`; see the module docstring for the stages.

    `inputs` are the user's --var and --var-file values for the plan. Raises CannotCheck
    (exit 2) for a module it cannot check here; an interrupt (KeyboardInterrupt) ends every
    child process and removes the temporary files before it propagates.
    """
    from generator.check.hcl import load_module, require_hcl2
    from generator.check.preflight import refuse_large_files, terraform_files
    from generator.check.sources import boundary_of, refuse_links_out

    module_dir = Path(module_dir).resolve()
    if not module_dir.is_dir():
        raise UserError(f"{module_dir} is not a directory")
    if not any(module_dir.glob("*.tf")):
        raise UserError(f"{module_dir} holds no *.tf file: not a Terraform module")
    plan = None
    placeholders: frozenset[str] = frozenset()
    skipped = [] if terraform else ["terraform"]
    with fewer_collections(), CheckRun(progress) as run:
        refuse_links_out(module_dir, boundary_of(module_dir))  # before reading any file
        refuse_large_files(terraform_files(module_dir, recursive=True))
        require_hcl2()  # a missing python-hcl2 stops the check before anything runs
        checkov = checkov and _checkov_installed(require_checkov)
        if not checkov:
            skipped.append("checkov")
        # checkov only reads the module directory, and takes longest: it starts first, before
        # even the rest of the check is imported, and runs while the HCL is parsed and
        # Terraform runs.
        scan = run.background().submit(_checkov_findings, module_dir, run) if checkov else None
        from generator.check.rules import RuleContext, run_rules

        # Terraform's workers and providers end, and its copies of the module go, as soon
        # as its stages are done, not once checkov is.
        with run.part() as terraform_part:
            providers = None
            if terraform:
                from generator.check.terraform import start_providers

                # the stand-ins' fork server imports pyvider while the HCL is parsed
                providers = start_providers(terraform_part)
            model = load_module(module_dir)
            # AWS-VALUE's constraints (the shipped table, or the API models) load meanwhile.
            warming = run.background().submit(_warm_constraints, model) if terraform else None
            if terraform:
                from generator.check.terraform import run_terraform

                outcome = run_terraform(
                    module_dir,
                    run=terraform_part,
                    model=model,
                    inputs=inputs,
                    providers=providers,
                    yield_to=scan,
                )
                run.findings += outcome.findings
                plan = outcome.plan
                placeholders = frozenset(outcome.placeholders)
        run.start("rules")
        if warming is not None:
            warming.result()
        run.findings += model.problems
        context = RuleContext(module_dir, model, plan, placeholders)
        run.findings += run_rules(context)
        if scan is not None:
            run.start("checkov")
            run.findings += scan.result()
    from generator.check.report import ordered
    from generator.check.suppressions import apply_suppressions

    findings, suppressed = apply_suppressions(module_dir, run.findings)
    return Report(
        module=str(module_dir),
        findings=tuple(ordered(tuple(findings))),
        stages=tuple(run.stages),
        skipped=tuple(skipped),
        plan=plan,
        suppressed=tuple(ordered(tuple(suppressed))),
    )


def _checkov_installed(required: bool) -> bool:
    """Whether checkov is here; a required checkov that is missing stops the check first."""
    from generator.check.checkov import CheckovMissing, checkov_command

    try:
        checkov_command()
    except CheckovMissing:
        if required:
            raise
        return False
    return True


def _warm_constraints(model: HclModule) -> None:
    from generator.check.constraints import warm

    warm({block.type for block in model.of_kind("resource")})


def _checkov_findings(module_dir: Path, run: CheckRun) -> tuple[Finding, ...]:
    from generator.check.checkov import run_checkov

    return run_checkov(module_dir, run)
