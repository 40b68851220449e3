"""`data "archive_file"` (hashicorp/archive): a real zip, built in memory, and its hashes.

Canary resources take `output_path` and `output_base64sha256` from this data source, so the
stand-in builds the archive from `source` blocks, `source_content`, `source_file` or
`source_dir` exactly as configured, and reports hashes of those bytes. Entries are sorted
and time-stamped 1980-01-01 so the same sources always give the same hashes (not the
byte-identical archive the real provider writes). Like the real provider, it writes the
archive to `output_path`, but only inside the working directory: Terraform runs in a
temporary copy of the module, so nothing lands outside it.
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import io
import tarfile
import zipfile
from pathlib import Path
from typing import Any

_EPOCH = (1980, 1, 1, 0, 0, 0)


def _entries(config: dict[str, Any], base: Path) -> dict[str, bytes]:
    """Archive entry name -> content, for whichever source the configuration uses."""
    entries: dict[str, bytes] = {}
    for block in config.get("source") or []:
        entries[block["filename"]] = block["content"].encode("utf-8")
    if config.get("source_content_filename") and config.get("source_content") is not None:
        entries[config["source_content_filename"]] = config["source_content"].encode("utf-8")
    if config.get("source_file"):
        path = base / config["source_file"]
        entries[path.name] = path.read_bytes()
    if config.get("source_dir"):
        root = base / config["source_dir"]
        excludes = list(config.get("excludes") or [])
        for path in sorted(root.rglob("*")):
            name = path.relative_to(root).as_posix()
            if path.is_file() and not any(fnmatch.fnmatch(name, p) for p in excludes):
                entries[name] = path.read_bytes()
    return entries


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, entries[name])
    return buffer.getvalue()


def _tar_gz(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name in sorted(entries):
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(entries[name]), 0o644, 0
            archive.addfile(info, io.BytesIO(entries[name]))
    return buffer.getvalue()


def _write_inside(working_dir: Path, output_path: str, data: bytes) -> None:
    target = (working_dir / output_path).resolve()
    if target.is_relative_to(working_dir.resolve()):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def build(config: dict[str, Any], working_dir: Path) -> dict[str, Any]:
    """The computed attributes of an archive_file for a configuration."""
    entries = _entries(config, working_dir)
    data = _tar_gz(entries) if config.get("type") == "tar.gz" else _zip(entries)
    _write_inside(working_dir, config["output_path"], data)
    sha1 = hashlib.sha1(data).hexdigest()  # the provider reports SHA-1 and MD5 too
    sha256, sha512 = hashlib.sha256(data), hashlib.sha512(data)
    return {
        "id": sha1,
        "output_size": len(data),
        "output_md5": hashlib.md5(data).hexdigest(),
        "output_sha": sha1,
        "output_sha256": sha256.hexdigest(),
        "output_base64sha256": base64.b64encode(sha256.digest()).decode("ascii"),
        "output_sha512": sha512.hexdigest(),
        "output_base64sha512": base64.b64encode(sha512.digest()).decode("ascii"),
    }
