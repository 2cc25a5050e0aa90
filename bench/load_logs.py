"""The workers' logs of bench/load.py: the lines it reports and the copies it keeps (the logs
are redacted by the workers: no identity or phone number is in them)."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.load_cluster import Worker


def port_taken(log: Path) -> bool:
    """Whether the log's last lines say the process could not bind its port."""
    return "address already in use" in tail(log, 10).lower()


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def worker_lines(workers: list[Worker], *marks: str) -> list[str]:
    """The lines of the workers' logs holding any of `marks` (the logs are redacted: no
    identity or phone number is in them)."""
    found: list[str] = []
    for worker in workers:
        with contextlib.suppress(OSError):
            lines = worker.log.read_text(errors="replace").splitlines()
            for i, line in enumerate(lines):
                if not any(mark in line for mark in marks):
                    continue
                found.append(f"worker {worker.index}: {line.strip()[:300]}")
                if line.startswith("Traceback"):
                    # the frames and the exception, up to the next log record
                    for frame in lines[i + 1 : i + 40]:
                        if frame[:4].isdigit():
                            break
                        found[-1] += " | " + frame.strip()[:200]
    return found


def keep_logs(workers: list[Worker], where: Path) -> None:
    """Copies the workers' logs (redacted: no identity or phone number) to `where`."""
    where.mkdir(parents=True, exist_ok=True)
    for worker in workers:
        shutil.copy(worker.log, where / worker.log.name)
