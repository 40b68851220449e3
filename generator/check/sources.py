"""A module's module calls, resolved without Terraform and without the network.

Terraform reads a `source` starting with `./` or `../` as a local path; anything else (a
registry address, `git::`, `http(s)://`, `s3::`, an absolute path, ...) is downloaded by
`terraform init` (https://developer.hashicorp.com/terraform/language/modules/sources#local-paths).
The check never downloads (docs/check-safety.md), so `module_tree` works out, before
Terraform runs:
- the directories Terraform will read: the module, the local sources it calls, theirs in
  turn, and those of its tests' `run { module { source } }` blocks; all must lie inside the
  boundary (the git repository holding the module, or else the module directory itself),
  and so must whatever a symbolic link in them points to;
- the remote calls, which must already be installed by the user's own `terraform init`
  (`.terraform/modules/modules.json` lists each call by its key, "a.b" for call b in a);
  the check then copies those modules and runs `init -get=false`, which installs nothing.
A source that escapes the boundary, or a remote call not installed, raises CannotCheck.
`copy_tree` copies what Terraform will read into the check's temporary directory.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.check.hcl import Block, HclModule, load_module
from generator.check.provider.deferred import defer_reads
from generator.errors import EnvironmentProblem

LOCAL_PREFIXES = ("./", "../")
MANIFEST = Path(".terraform/modules/modules.json")
TEST_FILES = ("*.tftest.hcl", "*.tftest.json")  # terraform test reads them in . and tests/
_NOT_COPIED = shutil.ignore_patterns(
    ".terraform", ".terraform.lock.hcl", "*.tfstate", "*.tfstate.backup", ".git"
)
_MODULE_BLOCK = re.compile(r'^\s*module\s+("[^"]*"|[\w-]+)\s*\{', re.MULTILINE)


class CannotCheck(EnvironmentProblem):
    """The module may be fine, but this checker cannot check it here: exit 2, saying why."""


@dataclass(frozen=True)
class ModuleTree:
    module: Path  # the module directory given, resolved
    root: Path  # the smallest directory holding every directory Terraform reads
    directories: tuple[Path, ...]  # the module first, then the local sources it calls
    installed: Path | None  # the user's .terraform/modules, when remote calls use it

    def relative(self, directory: Path) -> Path:
        return directory.relative_to(self.root)


def is_local(source: str) -> bool:
    return source.startswith(LOCAL_PREFIXES)


def repository_root(directory: Path) -> Path | None:
    for candidate in (directory, *directory.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def _where(block: Block, directory: Path, module: Path) -> str:
    """`module "name" (file:line)`, the file relative to the module checked."""
    name = block.labels[0] if block.labels else "?"
    return f'module "{name}" ({os.path.relpath(directory / block.file, module)}:{block.line})'


def module_tree(module: Path, load: Callable[[Path], HclModule] = load_module) -> ModuleTree:
    """The directories and installed modules a check of `module` needs; see the docstring.
    `load` reads a module directory (each one once)."""
    module = module.resolve()
    repository = repository_root(module)
    boundary = boundary_of(module)
    directories: dict[Path, None] = {module: None}
    remote: list[tuple[str, str, str]] = []  # (key, source, where)
    local_keys: list[tuple[str, str]] = []  # (key, where)
    pending: list[tuple[Path, str]] = [(module, "")]
    while pending:
        directory, prefix = pending.pop()
        refuse_links_out(directory, boundary)  # before reading any file there
        loaded = load(directory)
        _refuse_unread_module_calls(directory, loaded)
        blocks = [*loaded.of_kind("module"), *_json_module_calls(directory)]
        calls = [(b, prefix + b.labels[0]) for b in blocks if b.labels]
        if directory == module:  # a test's run block may call another module
            calls += [(m, "") for run in loaded.tests for m in run.nested("module")]
        for call, key in calls:
            source = call.body.get("source")
            where = _where(call, directory, module)
            if not isinstance(source, str) or "${" in source:
                continue  # Terraform itself reports a missing or computed source
            if not is_local(source):
                if key:
                    remote.append((key, source, where))
                continue
            target = (directory / source).resolve()
            if not target.is_relative_to(boundary):
                inside = f"its repository {repository}" if repository else f"the directory {module}"
                raise CannotCheck(
                    f"{where} has the source {source}, which lies outside {inside}:"
                    " the check never reads outside it"
                )
            if key:
                local_keys.append((key, where))
            if target.is_dir() and target not in directories:
                directories[target] = None
                pending.append((target, f"{key}." if key else ""))
    installed = _installed(module, remote, local_keys) if remote else None
    root = Path(os.path.commonpath([str(d) for d in directories]))
    return ModuleTree(module, root, tuple(directories), installed)


def _refuse_unread_module_calls(directory: Path, loaded: HclModule) -> None:
    """CannotCheck if a file python-hcl2 could not parse may hold a module call: its source
    is unknown, and Terraform might parse the file and download it."""
    for problem in loaded.problems:
        path = directory / (problem.file or "")
        if path.suffix != ".tf":
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if _MODULE_BLOCK.search(text):
            raise CannotCheck(
                f"{path} could not be parsed, so the sources of its module calls could not be"
                " checked (the check never downloads a module)"
            )


def _json_module_calls(directory: Path) -> list[Block]:
    """The module calls of *.tf.json files (`{"module": {"name": {"source": ...}}}`, or a
    list of such objects), which python-hcl2 does not read; CannotCheck for one that is not
    JSON but mentions a module."""
    calls = []
    for path in sorted(directory.glob("*.tf.json")):
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            document = json.loads(text)
        except ValueError as exc:
            if '"module"' not in text:
                continue  # Terraform reports the broken file; it calls no module
            raise CannotCheck(
                f"{path} is not JSON, so the sources of its module calls could not be checked"
            ) from exc
        modules = document.get("module", []) if isinstance(document, dict) else []
        for group in modules if isinstance(modules, list) else [modules]:
            for name, body in group.items() if isinstance(group, dict) else []:
                for item in body if isinstance(body, list) else [body]:
                    if isinstance(item, dict):
                        calls.append(Block("module", (name,), item, path.name, 1))
    return calls


def boundary_of(module: Path) -> Path:
    """The git repository holding `module`, or else the module directory itself."""
    return repository_root(module) or module


def refuse_links_out(directory: Path, boundary: Path) -> None:
    """CannotCheck for a symbolic link under `directory` pointing outside `boundary`:
    Terraform, or the check's own parser, would read through it."""
    for path in directory.rglob("*"):
        if path.is_symlink() and not path.resolve().is_relative_to(boundary):
            parts = path.relative_to(directory).parts
            if ".terraform" in parts or ".git" in parts:
                continue  # not copied
            raise CannotCheck(
                f"{path} is a link to {path.resolve()}, outside {boundary}:"
                " the check never reads outside it"
            )


def _installed(
    module: Path, remote: list[tuple[str, str, str]], local_keys: list[tuple[str, str]]
) -> Path:
    """The user's .terraform/modules, if it holds every call; else CannotCheck naming one."""
    manifest = module / MANIFEST
    try:
        records = json.loads(manifest.read_text(encoding="utf-8")).get("Modules") or []
        keys = {str(r.get("Key")): module / str(r.get("Dir")) for r in records}
    except (OSError, ValueError, AttributeError):
        keys = {}
    for key, source, where in remote:
        if key not in keys or not keys[key].is_dir():
            raise CannotCheck(
                f"{where} has the remote source {source}, which is not installed in"
                f" {module / '.terraform/modules'}: run `terraform init` in {module} first"
                " (the check never downloads modules)"
            )
    for key, where in local_keys:
        if key not in keys:
            raise CannotCheck(
                f"{where} is not in {module / MANIFEST} (it was added after the last"
                f" `terraform init`): run `terraform init` in {module} first"
            )
    return manifest.parent


def copy_tree(tree: ModuleTree, scratch: Path, *, tests: bool) -> Path:
    """A copy of the module and the local modules it calls, in their places relative to it,
    without Terraform's working files (but with the user's installed remote modules, if
    any), under `scratch`/tree, with reads that would run or fetch something deferred
    (provider/deferred.py); returns the module's copy. Without `tests`, the copy has no
    test files: `init` would install the modules their run blocks call, from the network
    if they are remote."""
    for directory in tree.directories:
        shutil.copytree(
            directory,
            scratch / "tree" / tree.relative(directory),
            symlinks=True,
            ignore=_NOT_COPIED,
            dirs_exist_ok=True,
        )
    module = scratch / "tree" / tree.relative(tree.module)
    if not tests:
        for pattern in TEST_FILES:
            for test_file in [*module.glob(pattern), *module.glob(f"tests/{pattern}")]:
                test_file.unlink()
    if tree.installed is not None:
        shutil.copytree(tree.installed, module / ".terraform" / "modules", symlinks=True)
    defer_reads(scratch / "tree")  # what only running or fetching could tell stays unknown
    return module
