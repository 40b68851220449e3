"""data.archive_file built in memory, with the hashes the archive provider reports
(provider/archive.py)."""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile

from generator.check.provider import archive


def test_archive_from_source_blocks_is_a_real_zip_with_matching_hashes(tmp_path):
    config = {
        "type": "zip",
        "output_path": "build/canary.zip",
        "source": [
            {"filename": "python/canary.py", "content": "print('hi')\n"},
            {"filename": "python/config.json", "content": "{}"},
        ],
    }
    result = archive.build(config, tmp_path)
    data = (tmp_path / "build" / "canary.zip").read_bytes()
    assert zipfile.ZipFile(io.BytesIO(data)).read("python/canary.py") == b"print('hi')\n"
    assert result["output_size"] == len(data)
    assert result["output_md5"] == hashlib.md5(data).hexdigest()
    assert result["output_base64sha256"] == base64.b64encode(hashlib.sha256(data).digest()).decode()
    assert archive.build(config, tmp_path) == result  # the same sources, the same hashes


def test_archive_from_a_directory_honours_excludes_and_stays_inside(tmp_path):
    (tmp_path / "src" / "nodejs").mkdir(parents=True)
    (tmp_path / "src" / "nodejs" / "index.js").write_text("exports.handler = 1;")
    (tmp_path / "src" / "notes.md").write_text("skip me")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.zip"
    config = {"type": "zip", "output_path": str(outside), "source_dir": "src", "excludes": ["*.md"]}
    result = archive.build(config, tmp_path)
    assert not outside.exists()  # never written outside the working directory
    assert result["output_size"] > 0
    single = archive.build(
        {"type": "zip", "output_path": "one.zip", "source_file": "src/notes.md"}, tmp_path
    )
    assert zipfile.ZipFile(tmp_path / "one.zip").namelist() == ["notes.md"]
    assert single["output_sha"] == hashlib.sha1((tmp_path / "one.zip").read_bytes()).hexdigest()


# --- data source values --------------------------------------------------------------------
