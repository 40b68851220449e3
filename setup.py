"""Build hook: the template travels inside the package as a git bundle of its history.

`python -m build` (wheel or sdist) and `pip install` run these commands. From a git checkout
they write generator/installed_template/: `cw-scaffold.bundle` (`git bundle create` of HEAD
and every tag, so `copier update` finds both the version a project has and the new one) and
the copier.yml of HEAD (the wizard's questions). An sdist carries both files, so a wheel
built from it needs no git history. See docs/distribution.md.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

ROOT = Path(__file__).resolve().parent
INSTALLED = Path("generator") / "installed_template"
FILES = ("cw-scaffold.bundle", "copier.yml")


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)


def write_installed_template() -> bool:
    """Write the bundle and copier.yml from git history; False when this is no git checkout
    (an unpacked sdist: it already holds them)."""
    top = _git("rev-parse", "--show-toplevel")
    if top.returncode != 0 or Path(top.stdout.strip()).resolve() != ROOT:
        return False
    target = ROOT / INSTALLED
    bundle = _git("bundle", "create", str(target / FILES[0]), "HEAD", "--tags")
    if bundle.returncode != 0:
        raise SystemExit(f"cannot bundle the template's history: {bundle.stderr.strip()}")
    questions = _git("show", "HEAD:copier.yml")
    if questions.returncode != 0:
        raise SystemExit(f"cannot read copier.yml at HEAD: {questions.stderr.strip()}")
    (target / FILES[1]).write_text(questions.stdout, encoding="utf-8")
    return True


def _require_installed_template() -> None:
    if not write_installed_template() and not all((ROOT / INSTALLED / f).is_file() for f in FILES):
        raise SystemExit(
            f"cannot build cw-scaffold: no git history to bundle and no {INSTALLED}/ to ship"
            " (build from a git clone with its tags, or from the sdist)"
        )


class BuildPy(build_py):
    def run(self) -> None:
        if getattr(self, "editable_mode", False):
            # An editable install renders the source checkout itself (generator/source.py).
            super().run()
            return
        _require_installed_template()  # before super().run() collects the package data
        super().run()


class Sdist(sdist):
    def run(self) -> None:
        _require_installed_template()
        super().run()


setup(cmdclass={"build_py": BuildPy, "sdist": Sdist})
