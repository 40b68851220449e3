"""Load a Terraform module's HCL into a small typed model that rules query.

python-hcl2 (8.x) parses each file; its block bodies are serialized to plain Python values
(expressions stay strings such as "${var.x}"), and every block keeps the file and line where
it starts, so a finding can point at it. The parser is python-hcl2's grammar without Lark's
position tracking, which cost half of the parse: _mark_lines() gives blocks and attributes
their lines instead (see _parser for where its tables are kept). The loader also picks up
what rules look at besides `*.tf`: `terraform.tfvars`, the tests' `*.tftest.hcl`, and canary
scripts.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import re
import stat
import sys
import textwrap
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from generator.check.findings import Finding, Severity
from generator.errors import EnvironmentProblem

INSTALL_HINT = "pip install 'cw-scaffold[check]'"
SCRIPT_SUFFIXES = {".py": "python", ".js": "node", ".mjs": "node", ".cjs": "node"}
_MODULE_PATH = re.compile(r"\$\{path\.(?:module|root)\}/([^\"\\$}]+)")
_HEREDOC = re.compile(r"<<(-?)([A-Za-z_][\w-]*)\r?\n(.*\n)?[ \t]*\2", re.DOTALL)
T = TypeVar("T")


@dataclass(frozen=True)
class Block:
    """One HCL block: `resource "aws_s3_bucket" "this" {...}` is kind "resource",
    labels ("aws_s3_bucket", "this"). `blocks` are the nested blocks with their own lines."""

    kind: str
    labels: tuple[str, ...]
    body: Mapping[str, Any]
    file: str
    line: int
    blocks: tuple[Block, ...] = ()
    attribute_lines: Mapping[str, int] = field(default_factory=dict)

    @property
    def address(self) -> str:
        """The address other HCL uses to refer to this block (`data.aws_vpc.this`, ...)."""
        prefix = {"data": "data.", "module": "module.", "variable": "var."}.get(self.kind, "")
        if self.kind in ("resource", "data", "module", "variable"):
            return prefix + ".".join(self.labels)
        return ".".join((self.kind, *self.labels))

    @property
    def type(self) -> str:
        return self.labels[0] if self.labels else ""

    def line_of(self, attribute: str) -> int:
        """Where `attribute` is set in this block, or where the block starts."""
        return self.attribute_lines.get(attribute, self.line)

    def nested(self, kind: str) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.kind == kind)

    def generated(self, kind: str) -> tuple[Block, ...]:
        """Nested `kind` blocks, and the `content` of `dynamic "kind"` blocks."""
        dynamic = (d for d in self.nested("dynamic") if d.labels == (kind,))
        return (*self.nested(kind), *(c for d in dynamic for c in d.nested("content")))

    def text(self) -> str:
        """The body as one string, to search for references."""
        return json.dumps(self.body)

    def refers_to(self, address: str) -> bool:
        return refers_to(self.body, address)


@dataclass(frozen=True)
class Attribute:
    """A top-level `name = value` (terraform.tfvars)."""

    name: str
    value: Any
    file: str
    line: int


@dataclass(frozen=True)
class Script:
    """A canary script shipped with the module."""

    file: str  # relative to the module directory
    language: str  # "python" | "node"
    text: str


@dataclass(frozen=True)
class HclModule:
    root: Path
    blocks: tuple[Block, ...]  # from *.tf
    tests: tuple[Block, ...]  # from tests/*.tftest.hcl and *.tftest.hcl
    tfvars: tuple[Attribute, ...]  # terraform.tfvars, then *.auto.tfvars: later ones win
    scripts: tuple[Script, ...]
    problems: tuple[Finding, ...]  # files python-hcl2 could not parse

    def of_kind(self, kind: str, type_: str | None = None) -> tuple[Block, ...]:
        return tuple(
            b for b in self.blocks if b.kind == kind and (type_ is None or b.type == type_)
        )

    def resources(self, type_: str) -> tuple[Block, ...]:
        return self.of_kind("resource", type_)

    def data(self, type_: str) -> tuple[Block, ...]:
        return self.of_kind("data", type_)

    def find(self, address: str) -> Block | None:
        return next((b for b in self.blocks if b.address == address), None)

    def variable_value(self, name: str) -> Any:
        """The value a plain `terraform plan` would use: tfvars first, then the default."""
        for attr in reversed(self.tfvars):
            if attr.name == name:
                return attr.value
        var = self.find(f"var.{name}")
        return None if var is None else var.body.get("default")

    def local_values(self) -> dict[str, Any]:
        return {k: v for b in self.of_kind("locals") for k, v in b.body.items()}


def refers_to(value: Any, address: str) -> bool:
    """Whether an expression (or any value holding expressions) mentions `address`."""
    text = value if isinstance(value, str) else json.dumps(value)
    return re.search(rf"(?<![\w.-]){re.escape(address)}(?![\w-])", text) is not None


def is_literal(value: Any) -> bool:
    """A value with no interpolation in it: known without evaluating anything."""
    return "${" not in (value if isinstance(value, str) else json.dumps(value))


def require_hcl2() -> None:
    """EnvironmentProblem naming the extra to install if python-hcl2 is missing."""
    if importlib.util.find_spec("hcl2") is None:
        raise EnvironmentProblem(f"python-hcl2 is not installed: {INSTALL_HINT}")


def load_module(root: Path) -> HclModule:
    """Parse every file of the module in `root` that rules look at."""
    require_hcl2()
    _parser()  # made here, not in _read: a parser that cannot be made is no file's fault
    problems: list[Finding] = []
    blocks = [b for p in sorted(root.glob("*.tf")) for b in _read(root, p, _blocks, problems)]
    test_files = sorted({*root.glob("*.tftest.hcl"), *root.glob("tests/*.tftest.hcl")})
    tests = [b for p in test_files for b in _read(root, p, _blocks, problems)]
    # Terraform's precedence order: terraform.tfvars, then *.auto.tfvars in lexical order.
    var_files = [*root.glob("terraform.tfvars"), *sorted(root.glob("*.auto.tfvars"))]
    tfvars = [a for p in var_files for a in _read(root, p, _attributes, problems)]
    return HclModule(
        root=root,
        blocks=tuple(blocks),
        tests=tuple(tests),
        tfvars=tuple(tfvars),
        scripts=tuple(_scripts(root, blocks)),
        problems=tuple(problems),
    )


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _options() -> Any:
    from hcl2.utils import SerializationOptions

    # v8 defaults keep quotes and __is_block__ markers: rules want plain values. Heredocs are
    # kept as written and decoded by _values(): python-hcl2 8.1.4 escapes the quotes inside
    # a `<<-` heredoc when asked to decode it, which breaks JSON held in one.
    return SerializationOptions(
        explicit_blocks=False,
        preserve_heredocs=True,
        strip_string_quotes=True,
        with_comments=False,
    )


def _read(
    root: Path,
    path: Path,
    convert: Callable[[Any, str], Iterator[T]],
    problems: list[Finding],
) -> list[T]:
    """Parse one file and convert its top-level body; on failure, record why and skip it."""
    from lark.exceptions import LarkError

    try:
        return list(convert(_parse(path.read_text(encoding="utf-8")).body, _rel(root, path)))
    except (LarkError, UnicodeDecodeError, RuntimeError, ValueError) as exc:
        # Terraform's own validate reports real syntax errors; here the file is only skipped.
        problems.append(
            Finding(
                rule="HCL-PARSE",
                severity=Severity.WARNING,
                message=f"could not parse: {str(exc).splitlines()[0]}; rules skipped this file",
                file=_rel(root, path),
                line=getattr(exc, "line", None),
            )
        )
        return []


def _parse(text: str) -> Any:
    """python-hcl2's parse of `text` (its StartRule), with the line of each block and
    attribute set by _mark_lines() rather than by Lark's position tracking (see _parser)."""
    from hcl2.api import transform

    # as hcl2.parses does: the grammar wants a newline at the end of the file
    tree = _parser().parse(text + "\n")
    _mark_lines(tree)
    return transform(tree)


@functools.lru_cache(maxsize=1)
def _parser() -> Any:
    """python-hcl2's LALR parser, without Lark's position tracking: that fills in the start
    and end of every node of the tree as it is built, half of the parse's time, where the
    rules need only the lines of blocks and attributes.

    Lark analyses the grammar once (~1.3 CPU-s) and keeps the tables in a file of the user's
    cache directory (_parser_cache), which it loads with pickle. Where there is no such
    directory to be trusted or made, python-hcl2's own parser serves: it tracks positions,
    and caches its tables in its package's directory.
    """
    import hcl2.parser
    from hcl2.postlexer import PostLexer
    from lark import Lark

    cache = _parser_cache()
    if cache is None:
        return hcl2.parser.parser()
    # Lark writes the file in place, and check --recursive starts several processes at once:
    # one at a time reads it, or builds and writes it.
    with _locked(cache.with_name(".lock")):
        return Lark.open(
            "hcl2.lark",
            rel_to=hcl2.parser.__file__,
            parser="lalr",
            cache=str(cache),
            propagate_positions=False,
            postlex=PostLexer(),
        )


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the file `path` (made if missing) for the block."""
    import fcntl

    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _parser_cache() -> Path | None:
    """Where Lark keeps the parser's tables: a file per python-hcl2, Lark and Python version
    in $XDG_CACHE_HOME/cw-scaffold (~/.cache by default), a directory only the user can
    write to; None when there is no such directory and it cannot be made."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        versions = f"{version('python-hcl2')}-{version('lark')}"
    except (RuntimeError, KeyError, PackageNotFoundError):  # no home directory, no metadata
        return None
    if not base.is_absolute():  # the XDG spec: a relative path is to be ignored
        return None
    directory = base / "cw-scaffold"
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    if not _private_to_user(directory):
        return None
    python = f"{sys.version_info.major}{sys.version_info.minor}"
    return directory / f"hcl2-parser-{versions}-py{python}.lark"


def _private_to_user(directory: Path) -> bool:
    """Whether `directory` is a directory, not a link, owned by this user, and writable by
    this user and no one else (so that no one else can put a file in it)."""
    try:
        status = directory.lstat()
    except OSError:
        return False
    return (
        stat.S_ISDIR(status.st_mode)
        and status.st_uid == os.getuid()
        and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
        and os.access(directory, os.W_OK)
    )


def _mark_lines(tree: Any) -> None:
    """Give each block and attribute in `tree` (the file's start, a body or a block), and
    in the blocks in it, the line where it starts (its first token's), as Lark's position
    tracking would: python-hcl2 hands it on to the rule it makes of the node."""
    from lark import Tree

    for child in tree.children:
        if not isinstance(child, Tree) or child.data not in ("body", "block", "attribute"):
            continue
        if child.data != "body":
            first = child
            while isinstance(first, Tree):
                first = first.children[0]
            child.meta.line = first.line
            child.meta.empty = False
        if child.data != "attribute":
            _mark_lines(child)


def _values(value: Any) -> Any:
    """Serialized values with every heredoc replaced by the string it stands for."""
    if isinstance(value, dict):
        return {key: _values(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_values(item) for item in value]
    if isinstance(value, str) and value.startswith("<<"):
        match = _HEREDOC.fullmatch(value)
        if match:
            text = match.group(3) or ""
            return textwrap.dedent(text) if match.group(1) else text
    return value


def _line(rule: Any) -> int:
    # python-hcl2 keeps the node's position metadata (_mark_lines) on each rule, as _meta.
    meta = getattr(rule, "_meta", None)
    return int(getattr(meta, "line", 0) or 0)


def _blocks(body: Any, file: str) -> Iterator[Block]:
    from hcl2.rules.base import BlockRule

    options = _options()
    for child in body.children:
        if isinstance(child, BlockRule):
            kind, *labels = (str(label.serialize(options)) for label in child.labels)
            yield Block(
                kind=kind,
                labels=tuple(labels),
                body=_values(child.body.serialize(options)),
                file=file,
                line=_line(child),
                blocks=tuple(_blocks(child.body, file)),
                attribute_lines=_attribute_lines(child.body),
            )


def _attribute_lines(body: Any) -> dict[str, int]:
    from hcl2.rules.base import AttributeRule

    options = _options()
    return {
        str(child.identifier.serialize(options)): _line(child)
        for child in body.children
        if isinstance(child, AttributeRule)
    }


def _attributes(body: Any, file: str) -> Iterator[Attribute]:
    from hcl2.rules.base import AttributeRule

    options = _options()
    for child in body.children:
        if isinstance(child, AttributeRule):
            ((name, value),) = child.serialize(options).items()
            yield Attribute(name=name, value=_values(value), file=file, line=_line(child))


def _scripts(root: Path, blocks: list[Block]) -> Iterator[Script]:
    """Scripts under canaries/, and files that an archive_file data source zips."""
    paths: set[Path] = set()
    canaries = root / "canaries"
    if canaries.is_dir():
        paths.update(p for p in canaries.rglob("*") if _is_own_script(p, canaries))
    for archive in (b for b in blocks if b.kind == "data" and b.type == "archive_file"):
        for rel in _MODULE_PATH.findall(archive.text()):
            target = root / rel
            if target.is_dir():
                paths.update(p for p in target.rglob("*") if _is_own_script(p, target))
            elif target.suffix in SCRIPT_SUFFIXES and target.is_file():
                paths.add(target)
    for path in sorted(paths):
        yield Script(
            file=_rel(root, path),
            language=SCRIPT_SUFFIXES[path.suffix],
            text=path.read_text(encoding="utf-8", errors="replace"),
        )


def _is_own_script(path: Path, base: Path) -> bool:
    # Synthetics' old Node layout puts the handler in nodejs/node_modules/: keep files directly
    # there, skip installed packages (node_modules/<package>/...) and caches.
    parts = path.relative_to(base).parts
    in_package = any(p == "node_modules" and i < len(parts) - 2 for i, p in enumerate(parts))
    return (
        path.suffix in SCRIPT_SUFFIXES
        and path.is_file()
        and not in_package
        and "__pycache__" not in parts
    )
