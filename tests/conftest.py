"""Shared fixtures: the template as a plain directory, and rendered variants."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from canary_service import service_port  # noqa: F401 - the live service the canaries watch
from variants import VARIANTS

from generator.render import render

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def template_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The working tree's template as a plain directory, so copier renders it as it is now
    (from the git repository copier would render the latest tag)."""
    dest = tmp_path_factory.mktemp("template")
    shutil.copy(REPO / "copier.yml", dest)
    shutil.copytree(REPO / "template", dest / "template")
    return dest


@pytest.fixture(scope="session")
def rendered(template_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Render a variant of the matrix once per test session; returns the module directory."""
    cache: dict[str, Path] = {}

    def _render(name: str) -> Path:
        if name not in cache:
            dest = tmp_path_factory.mktemp(name) / "module"
            cache[name] = render(VARIANTS[name], dest, template=template_dir)
        return cache[name]

    return _render
