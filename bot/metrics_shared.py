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
  ``live*`` gauges (its webhook queue depth); its counters and histograms stay in the
  directory and keep counting in the sum, so a killed worker's updates do not vanish from
  the totals (they are what that worker did);
- how gauges add up is each gauge's ``multiprocess_mode`` (bot.metrics).

Kept light (the standard library and prometheus-client's multiprocess module): the
supervisor imports it, not the bot.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

#: prometheus-client's variable: where the processes' files are, read at its import.
DIR_ENV: Final = "PROMETHEUS_MULTIPROC_DIR"


@dataclass(frozen=True)
class SharedMetrics:
    """The directory the workers of one supervisor write their figures to. `owned`: made
    by this supervisor (removed by :meth:`close`), rather than the operator's."""

    path: Path
    owned: bool

    def worker_gone(self, pid: int) -> None:
        """Worker `pid` has exited: its live gauges leave the sums; its counters stay."""
        if pid > 0:
            # imported here: importing this module must not import prometheus-client
            # before the CLI has dropped the variable (take_operator_dir)
            from prometheus_client import multiprocess

            multiprocess.mark_process_dead(pid, str(self.path))  # type: ignore[no-untyped-call]

    def close(self) -> None:
        """At the supervisor's exit: the directory removed when it made it (an operator's
        is emptied at the next start instead)."""
        if self.owned:
            shutil.rmtree(self.path, ignore_errors=True)


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
    run's counters); otherwise a new temporary directory. Raises OSError."""
    env = os.environ if environ is None else environ
    chosen = env.get(DIR_ENV)
    if chosen:
        path = Path(chosen)
        path.mkdir(parents=True, exist_ok=True)
        for stale in path.glob("*.db"):
            stale.unlink(missing_ok=True)
        shared = SharedMetrics(path, owned=False)
    else:
        shared = SharedMetrics(Path(tempfile.mkdtemp(prefix="tawasul-metrics-")), owned=True)
    env[DIR_ENV] = str(shared.path)
    return shared
