"""Processes as Linux's /proc shows them, for the tests and benches that run `tawasul run
--workers N`: its workers are not the supervisor's children but its forkserver's
(bot.supervisor), so they are found by the name each gives itself."""

from __future__ import annotations

import os
from pathlib import Path

from bot.worker_start import WORKER_NAME


def children(pid: int) -> set[int]:
    """The pids of process `pid`'s children (empty once it is gone)."""
    try:
        return {int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


def name(pid: int) -> str:
    """The process's name (/proc/PID/comm; empty once it is gone)."""
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def workers_of(supervisor: int) -> set[int]:
    """The running workers of the supervisor `supervisor`: its descendants named
    WORKER_NAME (a worker just forked carries its forkserver's name for a moment, and is
    found once it has named itself). A worker's own children are not looked at."""
    found: set[int] = set()
    todo = [supervisor]
    while todo:
        for pid in children(todo.pop()):
            if name(pid) == WORKER_NAME:
                found.add(pid)
            else:
                todo.append(pid)
    return found


def cpu_seconds(pid: int) -> float:
    """The CPU time, user and system, process `pid` has used itself (its children not
    counted); raises OSError once it is gone."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # utime and stime, fields 14 and 15 of proc(5), 12 and 13 after the name's ")"
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def running(pid: int) -> bool:
    """Process `pid` exists and has not exited: a zombie (exited, not yet reaped by its
    parent) does not count, where os.kill(pid, 0) would still find it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"
