"""`cw-scaffold check`: validate any Terraform module offline.

    report = check(Path("my-module"))

runs real Terraform (fmt, init, validate, plan, test) against the stand-in providers, then
the project's rules (generator.check.rules) on the HCL and the plan JSON; checkov, with the
project's own policies, scans the module meanwhile (it only reads the files), and its
findings come last. Each part but the rules can be left out; checkov is skipped when it is
not installed, unless `require_checkov` (the report lists skipped stages). Heavy
dependencies are imported only when their stage runs, and a missing one raises
EnvironmentProblem naming the extra to install.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from generator.check.findings import Finding, Report, Severity
from generator.errors import UserError

if TYPE_CHECKING:
    from generator.check.hcl import HclModule

__all__ = ["Finding", "Progress", "Report", "Severity", "check"]

Progress = Callable[[str], None]  # called with a stage name ("terraform plan", "rules", ...)


def check(
    module_dir: Path,
    *,
    terraform: bool = True,
    checkov: bool = True,
    require_checkov: bool = False,
    progress: Progress | None = None,
) -> Report:
    """Check the Terraform module in `module_dir`; see the module docstring for the stages."""
    from generator.check.hcl import load_module
    from generator.check.report import ordered
    from generator.check.rules import RuleContext, run_rules

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
    skipped = [] if terraform else ["terraform"]
    if checkov:
        from generator.check.checkov import CheckovMissing, checkov_command

        try:
            checkov_command()  # a required checkov that is missing stops the check first
        except CheckovMissing:
            if require_checkov:
                raise
            checkov = False
    if not checkov:
        skipped.append("checkov")
    with ThreadPoolExecutor(max_workers=2) as background:
        # checkov only reads the module directory: it runs while Terraform does.
        scan = background.submit(_checkov_findings, module_dir) if checkov else None
        # AWS-VALUE's constraint tables (~0.5 s of API models, cold) load meanwhile too.
        warming = background.submit(_warm_constraints, model) if terraform else None
        if terraform:
            from generator.check.terraform import run_terraform

            outcome = run_terraform(module_dir, progress=progress)
            findings += outcome.findings
            stages += [f"terraform {stage}" for stage in outcome.stages]
            plan = outcome.plan
        start("rules")
        if warming is not None:
            warming.result()
        findings += model.problems
        findings += run_rules(RuleContext(module_dir=module_dir, hcl=model, plan=plan))
        if scan is not None:
            start("checkov")
            findings += scan.result()
    return Report(
        module=str(module_dir),
        findings=tuple(ordered(tuple(findings))),
        stages=tuple(stages),
        skipped=tuple(skipped),
        plan=plan,
    )


def _warm_constraints(model: HclModule) -> None:
    from generator.check.constraints import warm

    warm({block.type for block in model.of_kind("resource")})


def _checkov_findings(module_dir: Path) -> tuple[Finding, ...]:
    from generator.check.checkov import run_checkov

    return run_checkov(module_dir)
