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
    assert list(shared.path.iterdir()) == []
    shared.close()
    assert not shared.path.exists()
