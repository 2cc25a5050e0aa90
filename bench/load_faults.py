"""The faults of bench/load.py: what each does to the running deployment and when
(spread over the run), and how long the residents took to be answered again after each."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Callable
from typing import Any

from bench.load_cluster import Cluster
from bench.load_people import Deliveries, Recorder, Timed
from standins.telegram_botapi import ApiError
from tests.proc_tree import cpu_seconds

FAULTS = ("kill", "redis", "failover", "db", "api")


class ApiOutage:
    """A Bot API policy: while `on`, every call is refused, alternately with 429 (with
    retry_after) and 502, as Telegram does when overloaded."""

    def __init__(self) -> None:
        self.on = False
        self.refused = 0

    def __call__(self, method: str, params: dict[str, Any]) -> ApiError | None:
        if not self.on or method.lower() == "getme":
            return None
        self.refused += 1
        if self.refused % 2:
            return ApiError(429, "Too Many Requests: retry after 1", retry_after=1)
        return ApiError(502, "Bad Gateway")


#: How long the kill waits for the victim to hold an update not answered yet (it stops
#: waiting as soon as it does; a bound, generous for a loaded machine).
BUSY_WAIT_S = 30.0
#: A worker's INFO line when it takes over a dead one's accepted updates (bot.webhook_journal).
REPLAYED = re.compile(r"(\d+) accepted bodies of a stopped worker replayed")


async def inject(
    fault: str,
    running: Cluster,
    outage: ApiOutage,
    down_s: float,
    in_hand: Callable[[int], int],
) -> tuple[float, float, int, float | None, float | None]:
    """Does `fault`, keeps it `down_s` seconds, lifts it; (lift time, seconds until every
    worker was ready again, updates the killed worker had accepted and not answered, when
    the worker was killed or None, the CPU seconds the supervisor's new worker used until
    every worker was ready or None)."""
    held = 0
    killed: float | None = None
    replacement: int | None = None
    if fault == "kill":
        victim = running.workers[0]
        # killed while it holds something, or the fault would prove nothing
        busy_until = time.monotonic() + BUSY_WAIT_S
        while not in_hand(victim.index) and time.monotonic() < busy_until:  # noqa: ASYNC110
            await asyncio.sleep(0.005)
        held = in_hand(victim.index)
        killed = time.monotonic()
        if running.supervised:
            # one of the supervisor's workers; the supervisor starts another (down_s unused)
            _dead, replacement = await running.kill_supervised(victim)
        else:
            await running.kill(victim)
            await asyncio.sleep(down_s)
            await running.spawn(victim)
    elif fault == "redis":
        await asyncio.to_thread(running.server.pause)
        await asyncio.sleep(down_s)
        await asyncio.to_thread(running.server.restart)
    elif fault == "failover":
        # SENTINEL FAILOVER, as an operator or the sentinels do; it is over (lifted) when
        # the sentinels agree on the new master and the old one is demoted and replicates
        # it, the moment the new master takes writes (min-replicas-to-write 1); down_s is
        # not used
        sentinels = running.sentinels
        await asyncio.to_thread(sentinels.failover)
        await asyncio.to_thread(sentinels.wait_settled)
    elif fault == "db":
        await running.database.outage()
        await asyncio.sleep(down_s)
        await running.database.back()
    elif fault == "api":
        outage.on = True
        await asyncio.sleep(down_s)
        outage.on = False
    lifted = time.monotonic()
    ready = await running.all_ready()
    start_cpu = None
    if replacement is not None:
        # its start's cost (a new process's CPU times begin at zero): imports, warm-up, web
        with contextlib.suppress(OSError):
            start_cpu = cpu_seconds(replacement)
    return lifted, ready, held, killed, start_cpu


async def fault_schedule(
    faults: list[str],
    running: Cluster,
    outage: ApiOutage,
    down_s: float,
    progress: Deliveries,
    api: Recorder,
    expected_replies: int,
    in_hand: Callable[[int], int],
) -> list[dict[str, Any]]:
    """The faults in order, evenly spread over the run (fault i of k once i/(k+1) of the
    expected replies have arrived)."""
    done: list[dict[str, Any]] = []
    for i, fault in enumerate(faults, start=1):
        threshold = expected_replies * i / (len(faults) + 1)
        # polled: the count grows from every resident's chat, and a fault can wait 50 ms
        while api.replies < threshold and not progress.finished:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        if progress.finished:
            break
        started = time.monotonic()
        lifted, ready, held, killed, cpu = await inject(fault, running, outage, down_s, in_hand)
        done.append(
            {"fault": fault, "at": started, "lifted": lifted, "down_s": round(lifted - started, 2)}
            | {"ready_s": round(ready, 2), "in_hand": held, "killed_at": killed}
            | {"start_cpu_s": None if cpu is None else round(cpu, 2)}
        )
    return done


def recovery(faults: list[dict[str, Any]], timed: list[Timed]) -> list[dict[str, Any]]:
    """Per fault: seconds from its lifting until every update sent before then was answered
    (or the workers ready, if later)."""
    out: list[dict[str, Any]] = []
    for fault in faults:
        lifted = fault["lifted"]
        waits = [t.replied - lifted for t in timed if t.sent < lifted and t.replied is not None]
        late = max((w for w in waits if w > 0), default=0.0)
        out.append(
            {k: fault[k] for k in ("fault", "down_s", "ready_s", "in_hand", "start_cpu_s")}
            | {"recover_s": round(max(late, fault["ready_s"]), 2)}
        )
    return out
