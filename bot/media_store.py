"""Content-addressed storage for the photos and documents people send.

Files live under ``<data_dir>/media/ab/abcdef...`` where the name is the sha256 of the
content: the same photo sent twice (or redelivered) is stored once, and the checksum a
channel puts in :class:`conversations.events.Media` is enough to find the bytes again.
These are identity documents and personal photos, so every file is 0600 and every
directory 0700, whatever the process umask.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import uuid
from pathlib import Path

_CHECKSUM = re.compile(r"[0-9a-f]{64}")
_DIR_MODE = 0o700
_FILE_MODE = 0o600


class MediaStore:
    def __init__(self, data_dir: Path | str) -> None:
        self.root = Path(data_dir) / "media"

    def save(self, data: bytes) -> str:
        """Store `data` and return its sha256 hex digest. Idempotent and atomic: a reader
        never sees a half-written file, because the bytes go to a temporary file in the same
        directory that is then renamed into place."""
        checksum = hashlib.sha256(data).hexdigest()
        target = self.path_for(checksum)
        try:
            # sent again: fresh again for the sweep (see remove_if_stale)
            os.utime(target)
            return checksum
        except FileNotFoundError:
            pass
        self._make_private_dir(target.parent)
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            # mkstemp already creates the file 0600; chmod anyway so the guarantee does not
            # rest on an implementation detail.
            os.fchmod(fd, _FILE_MODE)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp_name, target)
        except BaseException:
            try:
                os.unlink(tmp_name)
            except FileNotFoundError:
                pass
            raise
        return checksum

    def path_for(self, checksum: str) -> Path:
        """Where the content with this sha256 lives (whether or not it is stored yet).
        Rejects anything but 64 lowercase hex digits, so a checksum that came from outside
        can never point elsewhere on disk."""
        if not _CHECKSUM.fullmatch(checksum):
            raise ValueError(f"not a sha256 hex digest: {checksum!r}")
        return self.root / checksum[:2] / checksum

    def exists(self, checksum: str) -> bool:
        return self.path_for(checksum).is_file()

    def read(self, checksum: str) -> bytes:
        return self.path_for(checksum).read_bytes()

    def stale(self, before: float) -> set[str]:
        """Checksums of the files last written or sent again before ``before`` (a POSIX
        time). Leftovers of an interrupted write or sweep that old (last written and last
        renamed before ``before``) are removed on the way."""
        found: set[str] = set()
        if not self.root.is_dir():
            return found
        for directory in self.root.iterdir():
            if not directory.is_dir():
                continue
            for path in directory.iterdir():
                try:
                    info = path.stat()
                    if _CHECKSUM.fullmatch(path.name):
                        if info.st_mtime < before:
                            found.add(path.name)
                    elif path.name.startswith((".tmp-", ".sweep-")) and _left_over(info, before):
                        path.unlink()
                except FileNotFoundError:
                    continue  # another worker's sweep took it meanwhile
        return found

    def remove_if_stale(self, checksum: str, before: float) -> bool:
        """Removes the file unless it was stored again since ``before``; True when removed.
        Safe beside :meth:`save` of the same content on another worker: the file is first
        moved aside, then its time is read again; a save that touched it before the move
        puts it back, and a save after the move writes a new copy."""
        path = self.path_for(checksum)
        # unique per call: two sweeps of one process (threads) must not share the name
        aside = path.with_name(f".sweep-{checksum}-{os.getpid()}-{uuid.uuid4().hex[:8]}")
        try:
            os.rename(path, aside)
            if aside.stat().st_mtime >= before:
                os.replace(aside, path)  # the same bytes, whichever copy ends up there
                return False
            aside.unlink()
        except FileNotFoundError:
            return False  # another worker moved or removed it first
        return True

    def _make_private_dir(self, directory: Path) -> None:
        # os.makedirs(mode=...) is filtered by the umask, so create the two private levels
        # ourselves and chmod them right after creating them. The data directory above is
        # the operator's business.
        self.root.parent.mkdir(parents=True, exist_ok=True)
        for level in (self.root, directory):
            try:
                level.mkdir(mode=_DIR_MODE)
            except FileExistsError:
                continue
            os.chmod(level, _DIR_MODE)


def _left_over(info: os.stat_result, before: float) -> bool:
    """Whether a ``.tmp-``/``.sweep-`` file is the leftover of an interrupted write or
    sweep. A rename keeps the file's mtime but sets its ctime, so a file another worker's
    sweep moved aside a moment ago has an old mtime and a fresh ctime: it is in flight,
    not left over, and removing it would make that sweep fail."""
    return max(info.st_mtime, info.st_ctime) < before
