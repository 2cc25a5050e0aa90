from __future__ import annotations

import hashlib
import os
import stat
import time
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


def _age(store: MediaStore, checksum: str, seconds_ago: float, now: float) -> None:
    os.utime(store.path_for(checksum), (now - seconds_ago, now - seconds_ago))


def test_stale_lists_old_files_and_clears_old_leftovers(tmp_path: Path) -> None:
    store = MediaStore(tmp_path)
    now = time.time()
    old, fresh = store.save(b"old"), store.save(b"fresh")
    _age(store, old, 100, now)
    _age(store, fresh, 1, now)
    leftover = store.path_for(old).parent / ".tmp-abc"
    leftover.write_bytes(b"half")
    assert store.stale(now - 50) == {old}
    assert leftover.exists()  # written a moment ago: perhaps still being written
    # ctime cannot be set back, so the leftover is made old by asking from a later instant
    later = time.time() + 10
    assert store.stale(later) == {old, fresh}
    assert not leftover.exists()


def test_a_file_another_sweep_moved_aside_is_not_taken_for_a_leftover(tmp_path: Path) -> None:
    """CI of session 23: two sweeps at once, one listing while the other had just moved an
    old file aside. The rename keeps the old mtime, so the listing removed the moved file as
    a leftover and the other sweep failed with FileNotFoundError. A rename sets the ctime:
    a file moved aside a moment ago is kept."""
    store = MediaStore(tmp_path)
    now = time.time()
    checksum = store.save(b"abandoned draft photo")
    _age(store, checksum, 100, now)
    aside = store.path_for(checksum).with_name(f".sweep-{checksum}-1-x")
    os.rename(store.path_for(checksum), aside)
    assert store.stale(now - 50) == set()
    assert aside.read_bytes() == b"abandoned draft photo"


def test_a_sweep_whose_file_vanished_midway_reports_nothing_removed(tmp_path: Path) -> None:
    store = MediaStore(tmp_path)
    now = time.time()
    checksum = store.save(b"photo")
    _age(store, checksum, 100, now)
    real_rename = os.rename

    def rename_then_lose(src: str | Path, dst: str | Path) -> None:
        real_rename(src, dst)
        Path(dst).unlink()  # as if another worker removed it right after the move

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "rename", rename_then_lose)
        assert store.remove_if_stale(checksum, now - 50) is False
    assert not store.exists(checksum)


def test_a_file_sent_again_is_not_swept(tmp_path: Path) -> None:
    store = MediaStore(tmp_path)
    now = time.time()  # file times are the file system's: relative to its clock
    checksum = store.save(b"photo")
    _age(store, checksum, 100, now)
    assert checksum in store.stale(now - 50)
    # sent again (on another worker) between the listing and the removal
    store.save(b"photo")
    assert not store.remove_if_stale(checksum, now - 50)
    assert store.read(checksum) == b"photo"
    _age(store, checksum, 100, now)
    assert store.remove_if_stale(checksum, now - 50)
    assert not store.exists(checksum)
    # two sweeps at once: the second finds nothing to remove, and no error
    assert not store.remove_if_stale(checksum, now - 50)
    assert [p for p in store.root.rglob("*") if p.is_file()] == []
