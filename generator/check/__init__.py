"""`cw-scaffold check`: validate any Terraform module offline.

    report = check(Path("my-module"))

runs real Terraform (fmt, init, validate, plan, test) against the stand-in providers, then
the project's rules (generator.check.rules) on the HCL and the plan JSON; checkov, with the
project's own policies, scans the module meanwhile (it only reads the files), and its
findings come last. Each part but the rules can be left out. Heavy
dependencies are imported only when their stage runs, and a missing one raises
EnvironmentProblem naming the extra to install.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from generator.check.findings import Finding, Report, Severity
from generator.errors import UserError

__all__ = ["Finding", "Progress", "Report", "Severity", "check"]

Progress = Callable[[str], None]  # called with a stage name ("terraform plan", "rules", ...)


def check(
    module_dir: Path,
    *,
    terraform: bool = True,
    checkov: bool = True,
    progress: Progress | None = None,
) -> Report:
    """Check the Terraform module in `module_dir`; see the module docstring for the stages."""
    from generator.check.hcl import load_module
    from generator.check.report import ordered
    from generator.check.rules import RuleContext, run_rules
    from generator.check.suppressions import apply_suppressions

    module_dir = Path(module_dir).resolve()
    if not module_dir.is_dir():
        raise UserError(f"{module_dir} is not a directory")
    if not any(module_dir.glob("*.tf")):
        raise UserError(f"{module_dir} holds no *.tf file: not a Terraform module")

    def start(stage: str) -> None:
        stages.append(stage)
        if progress is not None:
            progress(stage)

    findings: list[Finding] = []
    stages: list[str] = []
    plan = None
    model = load_module(module_dir)  # first: a missing python-hcl2 stops before anything runs
    if checkov:
        from generator.check.checkov import checkov_command

        checkov_command()  # a missing checkov stops the check before Terraform starts
    with ThreadPoolExecutor(max_workers=1) as background:
        # checkov only reads the module directory: it runs while Terraform does.
        scan = background.submit(_checkov_findings, module_dir) if checkov else None
        if terraform:
            from generator.check.terraform import run_terraform

            outcome = run_terraform(module_dir, progress=progress)
            findings += outcome.findings
            stages += [f"terraform {stage}" for stage in outcome.stages]
            plan = outcome.plan
        start("rules")
        findings += model.problems
        findings += run_rules(RuleContext(module_dir=module_dir, hcl=model, plan=plan))
        if scan is not None:
            start("checkov")
            findings += scan.result()
    findings, suppressed = apply_suppressions(module_dir, findings)
    return Report(
        module=str(module_dir),
        findings=tuple(ordered(tuple(findings))),
        stages=tuple(stages),
        plan=plan,
        suppressed=tuple(ordered(tuple(suppressed))),
    )


def _checkov_findings(module_dir: Path) -> tuple[Finding, ...]:
    from generator.check.checkov import run_checkov

    return run_checkov(module_dir)
