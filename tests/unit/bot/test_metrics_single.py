"""A process that is not a supervised worker keeps its figures to itself, even with
``PROMETHEUS_MULTIPROC_DIR`` in its environment (review 12 §5): a single ``tawasul run``
restarted does not add the last run's counts to its own, and a ``tawasul staff`` run beside
the service with the service's environment writes nothing into the live directory the
service's workers sum. Each process is a real interpreter through the CLI's entry point
(prometheus-client chooses its mode at its import), its command's work replaced by one
that counts 3 updates and prints its /metrics."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from bot import metrics_shared

ROOT = Path(__file__).resolve().parents[3]
HANDLED = ("tawasul_updates_handled_total", (("channel", "telegram"), ("outcome", "ok")))

COMMAND = """
import sys
from bot import cli

async def counting(*_args):
    from bot import metrics
    metrics.UPDATES_HANDLED.labels("telegram", "ok").inc(3)
    sys.stdout.write(metrics.exposition().decode())
    sys.stdout.flush()
    return 0

cli._run = counting
cli.run_staff = counting
try:
    cli.main(sys.argv[1:])
except SystemExit as exit:
    assert not exit.code, exit.code
"""


def _tawasul(shared: Path, data: Path, *argv: str) -> float:
    """`tawasul argv` with the service's PROMETHEUS_MULTIPROC_DIR: the updates its /metrics
    shows handled."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAWASUL_")}
    env |= {metrics_shared.DIR_ENV: str(shared), "TAWASUL_DATA_DIR": str(data)}
    done = subprocess.run(
        [sys.executable, "-c", COMMAND, *argv], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=120, check=True,
    )  # fmt: skip
    seen = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(done.stdout)
        for s in family.samples
    }
    return seen[HANDLED]


def test_a_single_run_restarted_and_a_staff_command_keep_their_own_figures(
    tmp_path: Path,
) -> None:
    shared = tmp_path / "metrics"  # the service's, as the README's operator set it
    shared.mkdir()
    data = tmp_path / "data"
    data.mkdir()
    # two runs one after the other (a restart): each counts its own 3, not 3 then 6
    assert _tawasul(shared, data, "run") == 3
    assert _tawasul(shared, data, "run") == 3
    # an officer's command beside the service
    assert _tawasul(shared, data, "staff", "list") == 3
    # and none of them left a file for the service's workers to add up
    assert sorted(p.name for p in shared.iterdir()) == []
