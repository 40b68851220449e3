"""Data sources whose answer only running or fetching something could give, read as unknown.

`data "external"` runs a program, `data "http"` fetches a URL, `data "local_command"` runs a
command; the stand-ins never do (docs/stand-in-providers.md). Their honest answer in an
offline plan is "known after apply". A provider cannot say that itself: Terraform rejects a
data source read that returns unknown values ("produced a value ... that is not wholly
known"), and `depends_on` may not be overridden. Terraform does defer a read to apply, with
every computed attribute unknown, when an argument of the data source is unknown. So, in
the temporary copy that Terraform works in (never the user's directory), `defer_reads` adds
to each module directory that reads such a data source one `terraform_data` resource, whose
`output` is unknown until apply, and an override file setting one argument of each of those
data sources to it: an argument that only matters when the read runs, which it never does.
"""

from __future__ import annotations

import re
from pathlib import Path

# data source type -> the argument made unknown
DEFERRED_TYPES = {
    "external": "working_dir",
    "http": "request_timeout_ms",
    "local_command": "working_directory",
    "local_file": "filename",
    "local_sensitive_file": "filename",
    "tls_certificate": "verify_chain",
}
ANCHOR = "cw_scaffold_check_deferred"  # the terraform_data resource's name
RESOURCE_FILE = f"{ANCHOR}.tf"
OVERRIDE_FILE = f"{ANCHOR}_override.tf"
_DATA_RE = re.compile(
    r'^\s*data\s+"(?P<type>' + "|".join(DEFERRED_TYPES) + r')"\s+"(?P<name>[\w-]+)"',
    re.MULTILINE,
)


def deferred_reads(directory: Path) -> list[tuple[str, str]]:
    """(type, name) of each data source in the directory's .tf files whose read is deferred."""
    found: list[tuple[str, str]] = []
    for path in sorted(directory.glob("*.tf")):
        if path.name.endswith("_override.tf"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        found += [(m["type"], m["name"]) for m in _DATA_RE.finditer(text)]
    return found


def _hidden(parts: tuple[str, ...]) -> bool:
    """A hidden directory, but not the remote modules `terraform init` installed."""
    for index, part in enumerate(parts):
        installed = part == ".terraform" and parts[index + 1 : index + 2] == ("modules",)
        if part.startswith(".") and not installed:
            return True
    return False


def defer_reads(tree: Path) -> list[Path]:
    """Make every deferred read in the module directories under `tree` unknown at plan
    (see the module docstring); return the directories changed."""
    changed = []
    directories = [tree, *(p for p in sorted(tree.rglob("*")) if p.is_dir())]
    for directory in directories:
        if _hidden(directory.relative_to(tree).parts):
            continue
        reads = deferred_reads(directory)
        if not reads:
            continue
        (directory / RESOURCE_FILE).write_text(
            "# Added by cw-scaffold check: see generator/check/provider/deferred.py\n"
            f'resource "terraform_data" "{ANCHOR}" {{\n  input = "known after apply"\n}}\n'
        )
        (directory / OVERRIDE_FILE).write_text(
            "\n".join(
                f'data "{kind}" "{name}" {{\n'
                f"  {DEFERRED_TYPES[kind]} = terraform_data.{ANCHOR}.output\n}}\n"
                for kind, name in reads
            )
        )
        changed.append(directory)
    return changed
