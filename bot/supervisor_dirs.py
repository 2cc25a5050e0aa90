"""The temporary directories of ``tawasul run --workers N``'s supervisor (its workers'
metrics, bot.metrics_shared; their heartbeats, bot.heartbeat; multiprocessing's own, for its
forkserver's socket), and, at a supervisor's start, the removal of those a dead supervisor
left.

A supervisor that stops in order removes its directories; one killed by SIGKILL (or the
machine's OOM killer) cannot, and before, each such death left a ``tawasul-metrics-…`` and a
``tawasul-beats-…`` in /tmp for good (note 12). Now a supervisor's start removes them, and
only those it can prove dead, since a directory removed under a live supervisor would take
its workers' metrics and heartbeats with it:

- a directory is named ``<prefix><pid>-<random>`` (the supervisor's pid: a person can
  tell whose it is) and holds :data:`OWNER_LOCK`, which its supervisor holds shared
  (``flock``) for its whole life, and each of its workers too for the metrics directory
  (workers outlive a killed supervisor by their drain, and keep writing there). The kernel
  lets go of a lock when its process dies, however it dies;
- a directory is removed only when every one of these holds: its name has the pattern, it
  is a directory (not a link) of this user, the pid in its name runs no process (or is this
  process's own: in a container the supervisor is pid 1 at each of its starts), and its
  lock can be taken exclusively at once (no process, in any pid namespace sharing the
  directory, uses it). It is removed while that exclusive lock is held, so two supervisors
  starting at once do not both remove it;
- a directory is made under another name, its lock taken, and only then renamed to the
  pattern, so no start ever sees one of the pattern whose lock is not yet held;
- a directory of an older version (no pid in the name, no lock) is left alone: nothing
  proves it dead;
- multiprocessing makes a ``pymp-…`` of its own for the forkserver's socket, with neither
  pid nor lock, removed only at a clean exit: a SIGKILLed supervisor left one in /tmp for
  good (note 13), which nothing could prove dead. :func:`for_multiprocessing` gives
  multiprocessing one of these directories instead, before the forkserver starts, so no
  ``pymp-…`` is made and a killed supervisor's is swept with the others.

Standard library only: the supervisor imports it before prometheus-client.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import multiprocessing
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

log = logging.getLogger(__name__)

#: The supervisor's directories, by what they hold.
METRICS_PREFIX: Final = "tawasul-metrics-"
BEATS_PREFIX: Final = "tawasul-beats-"
MULTIPROCESSING_PREFIX: Final = "tawasul-mp-"
PREFIXES: Final = (METRICS_PREFIX, BEATS_PREFIX, MULTIPROCESSING_PREFIX)
#: A Unix socket's path holds 107 bytes on Linux (sun_path, its NUL aside), and
#: multiprocessing names the forkserver's ``/listener-`` and 8 random characters.
_SOCKET_PATH_MAX: Final = 107
_SOCKET_NAME: Final = b"/listener-12345678"
#: The lock file in each directory: held shared by whoever uses the directory.
OWNER_LOCK: Final = ".owner.lock"


@dataclass
class OwnDir:
    """A directory of this supervisor's, its lock held (:attr:`fd`) until :meth:`remove`."""

    path: Path
    fd: int | None

    def remove(self) -> None:
        """Removes the directory (at the supervisor's exit) and lets go of its lock."""
        shutil.rmtree(self.path, ignore_errors=True)
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = None


def make(prefix: str, root: Path | None = None) -> OwnDir:
    """A new directory named ``<prefix><this pid>-<random>`` under `root` (the temporary
    directory, $TMPDIR, by default), its :data:`OWNER_LOCK` held shared by this process
    from before it bears that name. Raises OSError."""
    base = Path(tempfile.gettempdir()) if root is None else root
    making = Path(tempfile.mkdtemp(prefix=f".{prefix}", dir=base))
    fd = hold(making, create=True)
    path = base / f"{prefix}{os.getpid()}-{making.name.removeprefix('.' + prefix)}"
    making.rename(path)
    return OwnDir(path, fd)


def for_multiprocessing(root: Path | None = None) -> OwnDir | None:
    """A directory of this process's (as :func:`make`, named ``tawasul-mp-<pid>-…``) that
    multiprocessing then uses as its temporary directory (the forkserver's socket) instead
    of making a ``pymp-…`` of its own; to be called before the forkserver starts. None (and
    a warning) when multiprocessing already has one in this process, or when the directory's
    path leaves no room for the socket's name (a long $TMPDIR). Raises OSError.

    multiprocessing has no public setting for it: ``multiprocessing.util.get_temp_dir``
    reads the current process's ``_config["tempdir"]`` (CPython 3.11) and makes a
    ``pymp-…`` only when it is unset; tests/unit/test_supervisor_dirs.py checks that this
    still holds."""
    config: dict[str, object] = multiprocessing.current_process()._config  # type: ignore[attr-defined]
    if config.get("tempdir") is not None:
        log.warning("multiprocessing already has its directory %s", config["tempdir"])
        return None
    own = make(MULTIPROCESSING_PREFIX, root)
    if len(os.fsencode(own.path)) + len(_SOCKET_NAME) > _SOCKET_PATH_MAX:
        # a long $TMPDIR: multiprocessing's shorter pymp-… may still fit a socket's path
        log.warning("%s is too long for a socket's path: multiprocessing makes its own", own.path)
        own.remove()
        return None
    config["tempdir"] = str(own.path)
    return own


def hold(directory: Path, *, create: bool = False) -> int | None:
    """Takes `directory`'s :data:`OWNER_LOCK` shared, for as long as the descriptor
    answered stays open (a worker: its whole life); None when there is no lock (a
    directory of the operator's) or it cannot be had."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | (os.O_CREAT if create else 0)
    try:
        fd = os.open(directory / OWNER_LOCK, flags, 0o600)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
    except OSError:
        os.close(fd)
        return None
    return fd


def process_runs(pid: int) -> bool:
    """Whether a process `pid` exists (another user's included)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep(
    root: Path | None = None,
    *,
    prefixes: Iterable[str] = PREFIXES,
    runs: Callable[[int], bool] = process_runs,
) -> list[Path]:
    """Removes from `root` (the temporary directory by default) the directories of dead
    supervisors, as the module docstring says; answers those removed. Never raises: what
    cannot be looked at is left."""
    base = Path(tempfile.gettempdir()) if root is None else root
    removed: list[Path] = []
    for prefix in prefixes:
        pattern = re.compile(re.escape(prefix) + r"(\d+)-[A-Za-z0-9_]+")
        try:
            candidates = sorted(base.glob(prefix + "*"))
        except OSError:
            continue
        for path in candidates:
            named = pattern.fullmatch(path.name)
            if named is None:
                continue
            pid = int(named[1])
            # this process's own pid in a name it did not make (none is made before the
            # sweep): a container's supervisor is pid 1 at every start, and a container
            # started again keeps its /tmp. The lock alone then tells whether it is in use
            if (pid != os.getpid() and runs(pid)) or not _mine(path):
                continue
            if _remove_unused(path):
                log.info("removed %s, left by supervisor pid %d, which no longer runs", path, pid)
                removed.append(path)
    return removed


def _mine(path: Path) -> bool:
    try:
        info = path.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()


def _remove_unused(path: Path) -> bool:
    """Removes `path` if its lock can be taken exclusively at once; whether it did."""
    try:
        fd = os.open(path / OWNER_LOCK, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return False  # no lock: nothing proves it unused
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # someone (a draining worker) uses it still
        shutil.rmtree(path, ignore_errors=True)
        return not path.exists()
    finally:
        os.close(fd)
