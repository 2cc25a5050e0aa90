"""How the figures of the workers of ``tawasul run --workers N`` add up in one scrape
(bot.metrics with bot.metrics_shared, prometheus-client's multiprocess mode): counters are
the sum of every worker's, a worker gone keeps its counts in the sum, a worker's own queue
depth is summed over the live workers, and a figure every worker reads from the shared
database is shown once, not N times. Each "worker" is a real interpreter writing to the
shared directory, as the forked workers do (the mode is chosen at prometheus-client's
import, so it cannot be switched inside the test's own process)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot import metrics_shared

ROOT = Path(__file__).resolve().parents[3]
DEPARTMENT = "passports"


def _python(code: str, shared: Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAWASUL_")}
    env[metrics_shared.DIR_ENV] = str(shared)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=True,
    )  # fmt: skip
    return done.stdout


def _worker(shared: Path, *, handled: int, depth: int, pending: int) -> int:
    """A worker that handled `handled` updates, has `depth` waiting, and read the shared
    database's `pending` outbox rows and 4 open requests; its pid."""
    code = f"""
import os
from bot import metrics
metrics.UPDATES_HANDLED.labels("telegram", "ok").inc({handled})
metrics.WEBHOOK_QUEUE_DEPTH.labels("telegram").set({depth})
metrics.OUTBOX_PENDING.set({pending})
metrics.REQUESTS_OPEN.labels({DEPARTMENT!r}).set(4)
print(os.getpid())
"""
    return int(_python(code, shared))


def _scrape(shared: Path) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """What any worker's /metrics answers."""
    page = _python("import sys; from bot import metrics; sys.stdout.write(metrics.exposition().decode())", shared)  # fmt: skip
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(page)
        for s in family.samples
    }


def test_one_scrape_adds_the_workers_up_and_reads_the_database_figures_once(
    tmp_path: Path,
) -> None:
    shared = metrics_shared.prepare({metrics_shared.DIR_ENV: str(tmp_path / "m")}).path
    first = _worker(shared, handled=3, depth=2, pending=5)
    _worker(shared, handled=2, depth=1, pending=7)  # read the database later: 7 now
    seen = _scrape(shared)
    handled = ("tawasul_updates_handled_total", (("channel", "telegram"), ("outcome", "ok")))
    depth = ("tawasul_webhook_queue_depth", (("channel", "telegram"),))
    assert seen[handled] == 5
    assert seen[depth] == 3
    # one database, read by both: its latest figure, not 5 + 7 nor 4 + 4
    assert seen[("tawasul_outbox_pending", ())] == 7
    assert seen[("tawasul_requests_open", (("department", DEPARTMENT),))] == 4
    assert not [key for key in seen if "pid" in dict(key[1])]

    # the first worker exits (killed, say): its queue is no longer counted, its
    # updates still are (a counter never goes back)
    metrics_shared.SharedMetrics(shared, owned=False).worker_gone(first)
    seen = _scrape(shared)
    assert seen[handled] == 5
    assert seen[depth] == 1
    assert seen[("tawasul_requests_open", (("department", DEPARTMENT),))] == 4


def test_the_supervisor_starts_from_an_empty_directory(tmp_path: Path) -> None:
    # an operator's own directory: what a previous run left is not added to this run's
    chosen = tmp_path / "metrics"
    chosen.mkdir()
    (chosen / "counter_123.db").write_bytes(b"old")
    (chosen / "README").write_text("the operator's")
    env = {metrics_shared.DIR_ENV: str(chosen)}
    shared = metrics_shared.prepare(env)
    assert shared.path == chosen and not shared.owned
    assert sorted(p.name for p in chosen.iterdir()) == ["README"]
    shared.close()
    assert chosen.exists()
    # none chosen: a directory of its own, named for the workers, removed at the end
    env = {}
    shared = metrics_shared.prepare(env)
    assert env[metrics_shared.DIR_ENV] == str(shared.path) and shared.owned
    assert [p.name for p in shared.path.iterdir()] == [".owner.lock"]  # bot.supervisor_dirs
    shared.close()
    assert not shared.path.exists()


def test_dead_workers_files_are_folded_into_one_per_kind_and_the_sums_stay(
    tmp_path: Path,
) -> None:
    """prometheus-client's mark_process_dead removes a dead process's live gauges only:
    its counter and histogram files stayed in the directory for the supervisor's life,
    one more of each per replaced worker, every one read at each scrape (note 12). Now
    the supervisor folds them into one file per kind; the sums read do not change."""
    shared = metrics_shared.SharedMetrics(
        metrics_shared.prepare({metrics_shared.DIR_ENV: str(tmp_path / "m")}).path, owned=False
    )
    handled = ("tawasul_updates_handled_total", (("channel", "telegram"), ("outcome", "ok")))
    count = ("tawasul_update_handling_seconds_count", (("channel", "telegram"),))
    slow = ("tawasul_update_handling_seconds_bucket", (("channel", "telegram"), ("le", "0.5")))
    depth = ("tawasul_webhook_queue_depth", (("channel", "telegram"),))

    def worker(n: int) -> int:
        code = f"""
import os
from bot import metrics
metrics.UPDATES_HANDLED.labels("telegram", "ok").inc({n})
for _ in range({n}):
    metrics.HANDLING_SECONDS.labels("telegram").observe(0.2)
metrics.WEBHOOK_QUEUE_DEPTH.labels("telegram").set(1)
print(os.getpid())
"""
        return int(_python(code, shared.path))

    for n in (1, 2, 3):  # three workers killed and replaced in turn
        pid = worker(n)
        shared.worker_gone(pid)
        assert not list(shared.path.glob(f"*_{pid}.db"))
    live = worker(4)  # the worker running now
    seen = _scrape(shared.path)
    assert seen[handled] == 10
    assert seen[count] == 10
    assert seen[slow] == 10
    assert seen[depth] == 1  # the live worker's only
    # beside the live worker's, one file per kind for all the dead ones (the scrapes'
    # own processes here leave a gauge file each, as a live worker has)
    files = sorted(
        p.name
        for p in shared.path.glob("*.db")
        if f"_{live}." not in p.name and not p.name.startswith("gauge_")
    )
    assert files == ["counter_dead.db", "histogram_dead.db"]
    shared.worker_gone(live)
    assert _scrape(shared.path)[handled] == 10
    assert not list(shared.path.glob(f"*_{live}.db"))


def test_a_scrape_stuck_holding_the_lock_never_stops_the_supervisor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker stopped in the middle of a scrape holds the lock: the supervisor's fold
    gives up after FOLD_WAIT_S and leaves the dead worker's files (summed as ever), rather
    than waiting for ever and supervising nothing more."""
    monkeypatch.setattr(metrics_shared, "FOLD_WAIT_S", 0.2)
    shared = metrics_shared.prepare({metrics_shared.DIR_ENV: str(tmp_path / "m")}).path
    pid = _python(
        'import os\nfrom bot import metrics\nmetrics.UPDATES_HANDLED.labels("telegram", "ok").inc()\n'
        "print(os.getpid())",
        shared,
    )
    with metrics_shared.reading(shared):  # the stuck scrape
        metrics_shared.fold_dead(shared, int(pid))
    assert (shared / f"counter_{int(pid)}.db").exists()
    metrics_shared.fold_dead(shared, int(pid))  # the lock free: folded
    assert not (shared / f"counter_{int(pid)}.db").exists()
    assert (shared / "counter_dead.db").exists()
