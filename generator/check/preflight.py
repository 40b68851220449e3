"""What the check decides before Terraform runs: whether it can check the module here, and
whether the module's tests are safe to run. docs/check-safety.md states the rules.

- `refuse_large_files`: a Terraform file above MAX_FILE_BYTES, or files adding up to more
  than MAX_MODULE_BYTES, are refused (CannotCheck): parsing them for the rules costs tens
  of seconds per megabyte.
- `refuse_missing_providers`: every provider the module needs must have a stand-in, i.e. a
  schema under generator/check/schemas/ (hashicorp/<name>); otherwise CannotCheck naming it,
  rather than Terraform's init errors, which would read as if the module were broken.
- `why_tests_not_run`: `terraform test` runs only when every run block of every test file says
  `command = plan`: run blocks apply by default, and applying executes what the module says
  (provisioners, local-exec). Otherwise a reason, which the check reports as info.

`look_over` applies the first two to the module and every local module it calls (found by
sources.module_tree), each before it is parsed; `notes_on` words what the check leaves out.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterable
from pathlib import Path

from generator.check.findings import Finding, Severity
from generator.check.hcl import HclModule, load_module
from generator.check.sources import CannotCheck, ModuleTree, is_local, module_tree

MAX_FILE_BYTES = 512 * 1024
MAX_MODULE_BYTES = 2 * 1024 * 1024  # all the files of the module and its local modules
TERRAFORM_FILES = ("*.tf", "*.tf.json", "*.tftest.hcl", "*.tfvars", "*.tfvars.json")
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
BUILTIN = "terraform.io/builtin/terraform"
_DEFAULT_REGISTRY = "registry.terraform.io/"
_PROVIDER_REF = re.compile(r"^\$\{([a-z0-9_-]+)(?:\.[\w-]+)?\}$")


def terraform_files(directory: Path, *, recursive: bool) -> list[Path]:
    """The files Terraform reads in `directory` (and below it, if `recursive`, as `fmt
    -recursive` does for the module checked), without Terraform's own .terraform."""
    found = []
    for pattern in TERRAFORM_FILES:
        paths = directory.rglob(pattern) if recursive else directory.glob(pattern)
        found += [
            p for p in paths if p.is_file() and ".terraform" not in p.relative_to(directory).parts
        ]
    return sorted(found)


def refuse_large_files(files: Iterable[Path]) -> None:
    """CannotCheck naming the first file above MAX_FILE_BYTES, or the total when the files
    add up to more than MAX_MODULE_BYTES (each file counts once)."""
    sizes: dict[Path, int] = {}
    for path in files:
        sizes[path.resolve()] = size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CannotCheck(
                f"{path} is {size / 1_048_576:.1f} MB: the check reads Terraform files"
                f" of at most {MAX_FILE_BYTES // 1024} KB (docs/check-safety.md)"
            )
    total = sum(sizes.values())
    if total > MAX_MODULE_BYTES:
        raise CannotCheck(
            f"the module's Terraform files add up to {total / 1_048_576:.1f} MB: the check reads"
            f" at most {MAX_MODULE_BYTES // 1_048_576} MB of them (docs/check-safety.md)"
        )


def stand_ins() -> dict[str, str]:
    """Provider source address -> name, for every provider with an extracted schema."""
    names = sorted(p.name.removesuffix(".json.gz") for p in SCHEMA_DIR.glob("*.json.gz"))
    return {f"hashicorp/{name}": name for name in names}


def _normalised(source: str) -> str:
    source = source.strip().lower()
    return source.removeprefix(_DEFAULT_REGISTRY)


def _declared_providers(model: HclModule) -> dict[str, str]:
    """Local name -> source, from the module's required_providers."""
    declared: dict[str, str] = {}
    for block in model.of_kind("terraform"):
        for entry in block.body.get("required_providers") or []:
            for local, spec in (entry or {}).items():
                source = spec.get("source") if isinstance(spec, dict) else None
                declared[local] = source if isinstance(source, str) else f"hashicorp/{local}"
    return declared


def needed_providers(model: HclModule) -> dict[str, str]:
    """Provider source address -> where the module first needs it ("file:line")."""
    declared = _declared_providers(model)
    needed: dict[str, str] = {}

    def need(local: str, where: str) -> None:
        source = _normalised(declared.get(local, f"hashicorp/{local}"))
        if local == "terraform" and local not in declared:
            source = BUILTIN
        needed.setdefault(source, where)

    for block in model.of_kind("terraform"):
        for local in declared:
            need(local, f"{block.file}:{block.line}")
    for block in model.blocks:
        where = f"{block.file}:{block.line}"
        if block.kind == "provider" and block.labels:
            need(block.labels[0], where)
        elif block.kind in ("resource", "data", "ephemeral", "action") and block.labels:
            reference = _PROVIDER_REF.match(str(block.body.get("provider", "")))
            need(reference[1] if reference else block.type.split("_")[0], where)
    return needed


def refuse_missing_providers(models: Iterable[tuple[Path, HclModule]], module: Path) -> None:
    """CannotCheck naming the first provider without a stand-in (see the module docstring)."""
    available = stand_ins()
    for directory, model in models:
        for source, where in needed_providers(model).items():
            if source == BUILTIN or source in available:
                continue
            place = os.path.relpath(directory / where, module)
            raise CannotCheck(
                f"the module needs the provider {source} ({place}), and the check has no"
                f" stand-in for it (it has: {', '.join(sorted(available.values()))})"
            )


def why_tests_not_run(model: HclModule) -> str | None:
    """Why the module's tests must not run, or None when every run block only plans."""
    as_json = sorted({*model.root.glob("*.tftest.json"), *model.root.glob("tests/*.tftest.json")})
    if as_json:  # terraform test runs these too; the check reads only the HCL ones
        return f"{as_json[0].relative_to(model.root)} is a JSON test file, which the check does not read"
    unreadable = sorted({p.file for p in model.problems if p.file and ".tftest." in p.file})
    if unreadable:
        return f"{unreadable[0]} could not be read, so its run blocks could not be checked"
    for run in (b for b in model.tests if b.kind == "run"):
        name = f'run "{run.labels[0] if run.labels else "?"}" ({run.file}:{run.line})'
        command = run.body.get("command")
        if command != "plan":
            shown = "command = apply (the default)" if command is None else f"command = {command}"
            return f"{name} has {shown}, and the check never applies"
        for called in run.nested("module"):
            source = called.body.get("source")
            if isinstance(source, str) and not is_local(source):
                return f"{name} calls the remote module {source}, and the check never downloads"
    return None


def look_over(module_dir: Path, model: HclModule | None) -> tuple[ModuleTree, HclModule]:
    """The module's tree and HCL, once preflight found nothing it cannot check here (each
    directory is looked over before it is read); CannotCheck otherwise."""
    models: dict[Path, HclModule] = {}
    files = terraform_files(module_dir, recursive=True)

    def load(directory: Path) -> HclModule:
        if directory != module_dir:  # a module it calls: Terraform reads its own files only
            files.extend(terraform_files(directory, recursive=False))
        refuse_large_files(files)  # each file, and all read so far
        loaded = model if directory == module_dir and model else load_module(directory)
        models[directory] = loaded
        return loaded

    tree = module_tree(module_dir, load=load)
    refuse_missing_providers(models.items(), module_dir)
    return tree, models[module_dir]


def notes_on(
    skip_tests: str | None, required: Collection[str], defaulted: Collection[str] = ()
) -> list[Finding]:
    """Info findings on what the check left out or guessed: tests not run, and placeholders
    for required variables and for null or empty defaults a required argument cannot take.
    """
    notes = []
    if skip_tests:
        notes.append(Finding("TF-TEST", Severity.INFO, f"tests not run: {skip_tests}"))
    for names, which in (
        (required, "the required variables nothing sets"),
        (
            defaulted,
            "variables whose null or empty default the module's arguments refuse",
        ),
    ):
        if names:
            notes.append(
                Finding(
                    "TF-PLAN",
                    Severity.INFO,
                    f"planned with placeholder values for {which}: "
                    + ", ".join(sorted(names))
                    + " (set them with --var NAME=VALUE or --var-file FILE)",
                )
            )
    return notes
