"""The figures of a Telegram benchmark's run (bench/harness.py drives it): one JSON line.

Figures (one JSON line, see :func:`figures`): ``updates_per_s``, ``p50_ms``, ``p99_ms``,
``max_ms``, ``first_update_ms`` (the process's very first update, after start-up),
``first_of_resident_max_ms`` (the slowest /start among the counted residents),
``first_of_kind`` (the latency and CPU time of the first update of each kind the process
handled: each button's tap, a photo, a contact, /start, text) with its slowest
``first_of_kind_max_ms`` and ``first_of_kind_max_cpu_ms``, ``cpu_ms_by_kind`` (the median CPU
time of the counted updates of each kind; CPU times are an update's own only with
``--sequential``), ``ms_by_kind`` (the median latency of each kind),
``cpu_ms_per_update`` (the process's CPU time, all threads, over the counted updates,
divided by their number) and ``peak_rss_mb`` (``getrusage`` maximum resident set).
``own_p50_ms`` and ``own_p99_ms`` are the same latencies less the time the update waited on
Bot API calls (each call the bot makes while handling it, timed by :class:`Screen`): the
bot's own part, which the stand-in and the HTTP hops do not weigh on; ``api_ms_per_update``
is the mean of that waiting. File downloads stream outside the calls and count as own.
"""

from __future__ import annotations

import asyncio
import json
import resource
import statistics
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harness import Person, Residents

JSON = dict[str, Any]


class BenchError(RuntimeError):
    """A run that cannot give figures (a stuck dialogue, a refusing stand-in, too few updates)."""


def report(result: JSON, users: int) -> None:
    """Prints the JSON line; exits 1 (after printing it) when not every counted resident
    filed a request, so a run that measured a broken dialogue is not taken for a result."""
    print(json.dumps(result))
    if result["requests_created"] != users:
        print(
            f"bench: {result['requests_created']} requests filed for {users} users", file=sys.stderr
        )
        sys.exit(1)


@dataclass
class Counted:
    """The counted phase: wall and CPU time around it."""

    wall_s: float = 0.0
    cpu_s: float = 0.0
    _wall0: float = 0.0
    _cpu0: float = 0.0

    def __enter__(self) -> Counted:
        self._wall0, self._cpu0 = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall_s = time.perf_counter() - self._wall0
        self.cpu_s = time.process_time() - self._cpu0


def peak_rss_mb() -> float:
    """The process's peak resident set so far, in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _by_kind(people: list[Person], field: str) -> dict[str, float]:
    """The median of each person's ``field`` (``cpu``, ``latencies``) per update kind."""
    by_kind: dict[str, list[float]] = {}
    for person in people:
        for kind, value in zip(person.kinds, getattr(person, field), strict=True):
            by_kind.setdefault(kind, []).append(value)
    return {kind: _ms(statistics.median(values)) for kind, values in by_kind.items()}


def figures(
    name: str, people: list[Person], counted: Counted, residents: Residents, args: Any
) -> JSON:
    """The JSON line's common fields (see the module's docstring)."""
    latencies = sorted(t for p in people for t in p.latencies)
    own = sorted(t for p in people for t in p.own)
    count = len(latencies)
    if count < 2:
        raise BenchError("too few updates to measure")
    return {
        "bench": name,
        "users": len(people),
        "warmup": args.warmup,
        "sequential": args.sequential,
        "api": "in-process" if args.api is None else "separate process",
        "updates": count,
        "updates_per_person": round(count / len(people), 2),
        "updates_per_s": round(count / counted.wall_s, 1),
        "p50_ms": _ms(statistics.median(latencies)),
        "p99_ms": _ms(statistics.quantiles(latencies, n=100, method="inclusive")[98]),
        "max_ms": _ms(latencies[-1]),
        "own_p50_ms": _ms(statistics.median(own)),
        "own_p99_ms": _ms(statistics.quantiles(own, n=100, method="inclusive")[98]),
        "api_ms_per_update": _ms((sum(latencies) - sum(own)) / count),
        "first_update_ms": _ms(residents.first or 0.0),
        "first_of_resident_max_ms": _ms(max(p.latencies[0] for p in people)),
        # the first update of each kind the process handled (counted or not): the slowest,
        # and every one's latency and CPU time
        "first_of_kind_max_ms": _ms(max(t for t, _ in residents.first_of_kind.values())),
        "first_of_kind_max_cpu_ms": _ms(max(c for _, c in residents.first_of_kind.values())),
        "first_of_kind": {
            kind: {"ms": _ms(t), "cpu_ms": _ms(c)}
            for kind, (t, c) in residents.first_of_kind.items()
        },
        # CPU per update over the counted ones, by kind (median), to set the firsts against
        "cpu_ms_by_kind": _by_kind(people, "cpu"),
        # and the latency (what p50 is made of; with --sequential, without queueing)
        "ms_by_kind": _by_kind(people, "latencies"),
        "cpu_ms_per_update": round(counted.cpu_s * 1000 / count, 3),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        # "uvloop" or "asyncio": the event loop the bench ran on (--loop)
        "loop": type(asyncio.get_running_loop()).__module__.split(".")[0],
    }
