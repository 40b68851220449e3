"""Which providers the stand-in serves: one per extracted schema in generator/check/schemas/.

VERSIONS.json (written by scripts/extract_provider_schema.py) names each provider, its
registry address and the version its schema comes from. Serving another provider is adding
its schema: the stand-in engine is the same for all (docs/stand-in-providers.md).
Standard library only, so that the fork server can say "ready" before the heavy imports.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"


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
