"""One ``/metrics`` for the whole of ``tawasul run --workers N``: prometheus-client's
multiprocess mode, set up by the supervisor (bot.supervisor).

The N workers serve one port, and the kernel hands each connection to any of them: when each
answered with its own counters, two scrapes in a row could read 25 then 23 (found by the
fresh-clone tester, report 12 §6), which Prometheus takes for a counter reset, and rate()
was garbage. prometheus-client's documented way for forked workers ("Multiprocess Mode
(E.g. Gunicorn)") is used instead: with ``PROMETHEUS_MULTIPROC_DIR`` in the environment
before prometheus-client is first imported, every process keeps its values in memory-mapped
files there (one file per process and metric type, named by pid), and any process's
scrape adds them up with ``MultiProcessCollector`` (bot.metrics.exposition). So:

- only the supervised workers are in this mode: every other process (a single
  ``tawasul run``, ``tawasul staff``, ``db upgrade``, the supervisor itself) drops the
  variable at the CLI's start (:func:`take_operator_dir`, before prometheus-client is
  imported) and keeps its own in-process figures. Before, a single ``tawasul run`` with the
  variable set added the previous run's counts at each restart (nobody emptied the
  directory), and a ``tawasul staff`` run with the service's environment wrote its own files
  into the live directory, summed into the service's scrape (review 12 §5);
- the supervisor empties the directory at its start (``PROMETHEUS_MULTIPROC_DIR`` when the
  operator chose one, else a new temporary directory, removed at its exit), and sets the
  variable before its forkserver (which imports bot.metrics for every worker) starts;
- a worker that exits is told to the library (``mark_process_dead``), which drops its
  ``live*`` gauges (its webhook queue depth): that is the library's semantics, gauges of a
  dead process leave the sums, its counters and histograms do not, so a killed worker's
  updates do not vanish from the totals (they are what that worker did). The library then
  leaves the dead worker's counter and histogram files in the directory for good: a
  supervisor whose workers were replaced a thousand times held a thousand files of each
  kind, all read at every scrape (note 12, "metrics files of dead workers accumulate").
  So the supervisor adds them into one file per kind (``counter_dead.db``,
  ``histogram_dead.db``: :func:`fold_dead`), value by value, and removes the worker's: the
  sums a scrape reads do not change, and the directory holds the live workers' files and
  one more per kind. A scrape (:func:`reading`) and a fold (under :data:`LOCK`) exclude
  each other, so no scrape reads a worker's counts twice (folded and not yet removed) or
  misses a file removed as it reads;
- how gauges add up is each gauge's ``multiprocess_mode`` (bot.metrics).

Kept light (the standard library and prometheus-client's multiprocess module): the
supervisor imports it, not the bot.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import time
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from bot import supervisor_dirs

log = logging.getLogger(__name__)

#: prometheus-client's variable: where the processes' files are, read at its import.
DIR_ENV: Final = "PROMETHEUS_MULTIPROC_DIR"
#: The lock a scrape holds shared and a fold exclusive (not a ``*.db``: the library reads
#: only those).
LOCK: Final = ".fold.lock"
#: The metric kinds whose dead workers' values are kept, summed (a gauge's mode decides
#: for gauges; ours are all ``live*``, which ``mark_process_dead`` removes).
FOLDED: Final = ("counter", "histogram", "summary")
#: The name of the file a kind's dead workers' values are added into (``counter_dead.db``).
DEAD: Final = "dead"
#: How long a scrape waits for a fold to end before reading without the lock (seconds;
#: a fold takes milliseconds, and a worker's event loop must not hang on a stopped
#: supervisor).
READ_WAIT_S: Final = 1.0
#: How long the supervisor waits for the scrapes under way before folding (seconds): past
#: it (a worker stopped mid-scrape) the fold is left, never the supervision.
FOLD_WAIT_S: Final = 2.0


@dataclass(frozen=True)
class SharedMetrics:
    """The directory the workers of one supervisor write their figures to. `owned`: made
    by this supervisor (removed by :meth:`close`), rather than the operator's."""

    path: Path
    owned: bool
    #: the directory's lock held while the supervisor runs, when it made it
    #: (bot.supervisor_dirs: a later supervisor removes it only once nobody holds it)
    own: supervisor_dirs.OwnDir | None = None

    def worker_gone(self, pid: int) -> None:
        """Worker `pid` has exited: its live gauges leave the sums; its counters stay."""
        if pid > 0:
            # imported here: importing this module must not import prometheus-client
            # before the CLI has dropped the variable (take_operator_dir)
            from prometheus_client import multiprocess

            multiprocess.mark_process_dead(pid, str(self.path))  # type: ignore[no-untyped-call]
            fold_dead(self.path, pid)

    def close(self) -> None:
        """At the supervisor's exit: the directory removed when it made it (an operator's
        is emptied at the next start instead)."""
        if self.own is not None:
            self.own.remove()
        elif self.owned:
            shutil.rmtree(self.path, ignore_errors=True)


def fold_dead(path: Path, pid: int) -> None:
    """Adds the counters and histograms of process `pid`, which has exited, into the
    directory's ``<kind>_dead.db`` files, value by value, and removes its files (see the
    module docstring). Under the exclusive :data:`LOCK`. Raises OSError."""
    from prometheus_client.mmap_dict import MmapedDict

    with _locked(path, fcntl.LOCK_EX, wait_s=FOLD_WAIT_S) as locked:
        if not locked:  # a worker's scrape stuck holding it: its files stay, summed as before
            log.warning("worker pid %d's metrics files left unfolded (the lock is held)", pid)
            return
        for kind in FOLDED:
            gone = path / f"{kind}_{pid}.db"
            if not gone.exists():
                continue
            kept = path / f"{kind}_{DEAD}.db"
            totals: dict[str, float] = {}
            for source in (kept, gone):
                if source.exists():
                    values = MmapedDict.read_all_values_from_file(str(source))  # type: ignore[no-untyped-call]
                    for key, value, _timestamp, _position in values:
                        totals[key] = totals.get(key, 0.0) + value
            # written aside, then put in place in one rename: a supervisor killed now
            # leaves either file whole
            fresh = path / f"{kind}_{DEAD}.new"
            fresh.unlink(missing_ok=True)
            into = MmapedDict(str(fresh))  # type: ignore[no-untyped-call]
            try:
                for key, value in totals.items():
                    into.write_value(key, value, 0.0)  # type: ignore[no-untyped-call]
            finally:
                into.close()  # type: ignore[no-untyped-call]
            fresh.replace(kept)
            gone.unlink()


@contextlib.contextmanager
def reading(path: str | Path) -> Iterator[None]:
    """While inside, no fold (:func:`fold_dead`) changes the files of `path`: a scrape
    reads them so. Waits :data:`READ_WAIT_S` at most for a fold under way, then reads
    anyway (logged)."""
    with _locked(Path(path), fcntl.LOCK_SH, wait_s=READ_WAIT_S) as locked:
        if not locked:
            log.warning("metrics read without waiting longer for a fold")
        yield


@contextlib.contextmanager
def _locked(path: Path, how: int, *, wait_s: float) -> Iterator[bool]:
    """:data:`LOCK` in `path` held `how` (fcntl.LOCK_SH or LOCK_EX) while inside, tried
    for `wait_s` seconds at most; yields whether it is held (False: not had in time, or
    no lock file can be made)."""
    try:
        fd = os.open(path / LOCK, os.O_RDONLY | os.O_CREAT, 0o600)
    except OSError:
        yield False
        return
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(fd, how | fcntl.LOCK_NB)
                held = True
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    held = False
                    break
                time.sleep(0.005)
        yield held
    finally:
        os.close(fd)  # the lock goes with it


def take_operator_dir(environ: MutableMapping[str, str] | None = None) -> str | None:
    """Removes ``PROMETHEUS_MULTIPROC_DIR`` from `environ` (os.environ by default) and
    answers it (None when unset or empty): called by the CLI before prometheus-client is
    imported, so that no process but a supervised worker keeps its figures there. The
    CLI hands it back for the supervisor's :func:`prepare`."""
    env = os.environ if environ is None else environ
    return env.pop(DIR_ENV, None) or None


def prepare(environ: MutableMapping[str, str] | None = None) -> SharedMetrics:
    """The directory for this supervisor's workers, empty, and named in `environ`
    (os.environ by default) for the processes started from now on. The operator's
    ``PROMETHEUS_MULTIPROC_DIR`` is used when set (created if missing; only its ``*.db``
    files, the library's, are removed: what a previous run left would be added to this
    run's counters); otherwise a new temporary directory of this supervisor's
    (bot.supervisor_dirs: named with its pid, removed at its exit, or by the next
    supervisor's start if it is killed). Raises OSError."""
    env = os.environ if environ is None else environ
    chosen = env.get(DIR_ENV)
    if chosen:
        path = Path(chosen)
        path.mkdir(parents=True, exist_ok=True)
        for stale in [*path.glob("*.db"), *path.glob(f"*_{DEAD}.new")]:
            stale.unlink(missing_ok=True)
        shared = SharedMetrics(path, owned=False)
    else:
        own = supervisor_dirs.make(supervisor_dirs.METRICS_PREFIX)
        shared = SharedMetrics(own.path, owned=True, own=own)
    env[DIR_ENV] = str(shared.path)
    return shared
