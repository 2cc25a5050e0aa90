from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from bot.media_store import MediaStore


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_save_is_content_addressed_and_private(tmp_path: Path) -> None:
    old_umask = os.umask(0o022)  # a permissive umask must not leak into the modes
    try:
        store = MediaStore(tmp_path)
        data = b"\xff\xd8\xff\xe0 photo of a passport"
        checksum = store.save(data)
    finally:
        os.umask(old_umask)
    assert checksum == hashlib.sha256(data).hexdigest()
    path = store.path_for(checksum)
    assert path == tmp_path / "media" / checksum[:2] / checksum
    assert path.read_bytes() == data
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert mode(tmp_path / "media") == 0o700
    assert store.exists(checksum) and store.read(checksum) == data


def test_save_twice_keeps_one_file(tmp_path: Path) -> None:
    store = MediaStore(tmp_path)
    assert store.save(b"a") == store.save(b"a")
    files = [p for p in (tmp_path / "media").rglob("*") if p.is_file()]
    assert len(files) == 1  # and no temporary file left behind


@pytest.mark.parametrize("bad", ["../../etc/passwd", "ABC", "a" * 63, "A" * 64])
def test_path_for_rejects_non_checksums(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ValueError):
        MediaStore(tmp_path).path_for(bad)
