"""Which providers the stand-in serves: one per extracted schema in generator/check/schemas/.

VERSIONS.json (written by scripts/extract_provider_schema.py) names each provider, its
registry address and the version its schema comes from. Serving another provider is adding
its schema: the stand-in engine is the same for all (docs/stand-in-providers.md).
Standard library only, so that the fork server can say "ready" before the heavy imports,
and the check can tell which providers a module uses without them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
# A directory: each provider process writes its cProfile statistics there, as
# <name>-<pid>.prof (for `python -m pstats`), when Terraform ends it. The check passes it on
# to providers, and then shares none (reattach.py): each start is profiled as it ends.
PROFILE_ENV = "CW_SCAFFOLD_PROVIDER_PROFILE"
_DECLARATION_RE = re.compile(r'^\s*(resource|data)\s+"([A-Za-z0-9_]+)"', re.MULTILINE)


@cache
def versions() -> dict[str, dict[str, str]]:
    """Local name -> {"address", "version", "source_package", "source_version"}."""
    loaded: dict[str, dict[str, str]] = json.loads((SCHEMA_DIR / "VERSIONS.json").read_text())
    return loaded


def stand_in_providers() -> dict[str, str]:
    """Local name -> registry address (`hashicorp/random`) of every served provider."""
    return {name: entry["address"] for name, entry in sorted(versions().items())}


def uses_provider(name: str, types: set[str]) -> bool:
    """Whether any of the type names belongs to provider `name` (`aws_` but not `awscc_`)."""
    return any(t == name or t.startswith(f"{name}_") for t in types)


def module_texts(module_dir: Path, pattern: str = "*.tf") -> Iterator[tuple[Path, str]]:
    """The files matching `pattern` under module_dir, with their text: child modules in
    subdirectories count, and so do the remote modules `terraform init` installed in
    .terraform/modules; the rest of .terraform does not."""
    for path in sorted(module_dir.rglob(pattern)):
        parts = path.relative_to(module_dir).parts
        terraform_dir = [i for i, part in enumerate(parts) if part == ".terraform"]
        if any(parts[i + 1 : i + 2] != ("modules",) for i in terraform_dir):
            continue
        yield path, path.read_text(encoding="utf-8", errors="replace")


def types_in_module(module_dir: Path) -> set[str]:
    """Resource and data source type names declared in any .tf file under module_dir
    (`module_texts`)."""
    found: set[str] = set()
    for _, text in module_texts(module_dir):
        found.update(match[2] for match in _DECLARATION_RE.finditer(text))
    return found
