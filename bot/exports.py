"""The «my data» JSON copies (written by :mod:`bot.db.personal_data`, one random directory
each under ``TAWASUL_DATA_DIR/exports``): they hold the person's identity and phone numbers,
so none outlives its purpose.

- Telegram and WhatsApp remove a copy as soon as they have sent it (:func:`discard_sent`);
  the terminal chat leaves it for its operator to open.
- Every worker's media sweep removes copies older than :data:`EXPORT_TTL` (a copy whose
  sending failed, a terminal's), as does the next «my data» ask (:func:`sweep_exports`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Final

log = logging.getLogger(__name__)

#: How long a copy may wait to be sent before any sweep removes it.
EXPORT_TTL: Final = dt.timedelta(minutes=10)
EXPORT_NAME: Final = "tawasul-my-data.json"


def is_copy(path: Path) -> bool:
    """Whether ``path`` is a «my data» copy (by its name, which nothing else uses)."""
    return path.name == EXPORT_NAME


def _remove(path: Path) -> bool:
    try:
        path.unlink()
    except FileNotFoundError:
        return False  # another worker (or sweep) removed it first
    try:
        path.parent.rmdir()
    except OSError:
        pass  # not empty or gone: the sweep's glob no longer sees it either way
    return True


def discard_sent(refs: Iterable[str]) -> int:
    """Removes the copies among a reply's media (local paths) once the channel has sent
    them, or tried to: the text said the same, and a copy is never sent again. Other media
    (receipt cards, file ids) are left alone. Returns how many were removed."""
    removed = 0
    for ref in refs:
        path = Path(ref)
        if is_copy(path):
            try:
                removed += _remove(path)
            except OSError as exc:
                log.warning("a my-data copy could not be removed: %s", type(exc).__name__)
    return removed


def sweep_exports(exports: Path, *, before: float) -> int:
    """Removes the copies written before ``before`` (a POSIX time, compared with the
    file's own time); returns how many."""
    removed = 0
    for path in exports.glob(f"*/{EXPORT_NAME}"):
        try:
            if path.stat().st_mtime < before:
                removed += _remove(path)
        except OSError:
            continue  # another worker removed it first
    return removed
