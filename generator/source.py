"""Where the template comes from: the installed one, or a team's own (`--template SRC`).

An installed cw-scaffold carries its template as a git bundle of the release history
(`installed_template/cw-scaffold.bundle`, written by the build hook in setup.py), beside the
copier.yml of the bundled commit, which the wizard reads its questions from. copier reads a
bundle as a git repository: a project records the bundle's path as `_src_path` and the tag
as `_commit`, and an upgrade of cw-scaffold replaces the bundle in place, so `copier update`
finds the new tag there (docs/distribution.md).

In a source checkout (an editable install) the repository itself is the template, as copier
sees it: its latest release tag, or the working tree when it has none.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from generator.errors import EnvironmentProblem, UserError

__all__ = [
    "BUNDLE",
    "SourceUnreadable",
    "installed_template",
    "latest_release",
    "package_version",
    "questions_root",
    "template_version",
]

_PACKAGE = Path(__file__).resolve().parent
BUNDLE = _PACKAGE / "installed_template" / "cw-scaffold.bundle"
_CHECKOUT = _PACKAGE.parent  # the repository root, when running from a source checkout


def installed_template() -> str:
    """The template `new` renders and `update --template` re-points to by default."""
    if (_CHECKOUT / "copier.yml").is_file():
        return str(_CHECKOUT)
    if BUNDLE.is_file():
        return str(BUNDLE)
    raise EnvironmentProblem(
        f"the cw-scaffold template is not installed (no {BUNDLE}): reinstall cw-scaffold from a"
        " wheel or sdist built by its build hook, or pass --template SRC"
    )


def questions_root(source: str) -> Path | None:
    """The directory holding copier.yml for `source`: the source itself when it is a template
    directory, the installed copy for the installed bundle; None for a git URL or another
    bundle (copier then validates the answers alone)."""
    path = Path(source)
    if (path / "copier.yml").is_file():
        return path
    if path.is_file() and path.resolve() == BUNDLE:
        return BUNDLE.parent
    return None


def latest_release(src_path: str) -> str | None:
    """The highest PEP 440 release tag of the template at `src_path` (a git URL, a
    repository or a bundle), as copier chooses it; None when it has no release tag."""
    from packaging.version import InvalidVersion, Version

    listing = subprocess.run(
        ["git", "ls-remote", "--tags", "--refs", "--", src_path],
        capture_output=True,
        text=True,
        check=False,
    )
    if listing.returncode != 0:
        raise SourceUnreadable(src_path, listing.stderr.strip())
    releases: list[tuple[Version, str]] = []
    for line in listing.stdout.splitlines():
        tag = line.rsplit("refs/tags/", 1)[-1]
        try:
            version = Version(tag)
        except InvalidVersion:
            continue
        if not version.is_prerelease:
            releases.append((version, tag))
    return max(releases)[1] if releases else None


class SourceUnreadable(UserError):
    """The template source cannot be read (removed, moved, or an unreachable URL)."""

    def __init__(self, src_path: str, reason: str) -> None:
        self.src_path = src_path
        last = reason.splitlines()[-1] if reason.strip() else "git cannot read it"
        super().__init__(f"cannot read the template at {src_path}: {last}")


def package_version() -> str:
    from importlib import metadata  # not at import: it takes longer than the rest of `new`

    try:
        return metadata.version("cw-scaffold")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def template_version(source: str) -> str:
    """The template version `new` renders from `source`: its latest release tag, or HEAD."""
    try:
        return latest_release(source) or "HEAD (no release tag)"
    except SourceUnreadable as error:
        return f"unreadable ({error})"
