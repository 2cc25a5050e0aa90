"""``tawasul run --workers N``: a parent process that keeps N worker processes serving one
HTTP port.

The parent binds the listening socket itself and each worker inherits it (its descriptor
number is passed on the worker's command line) and serves it with aiohttp's ``SockSite``.
Why not SO_REUSEPORT: with it each worker has an accept queue of its own, so the
connections waiting in the queue of a worker that dies are reset, and any other process
of the same user may bind the port and take a share of the traffic. With one socket
there is one queue: while a worker is being replaced the others accept what waits, and a
port already taken is found once, by the parent, with one clear line.

Workers are forked from a forkserver (multiprocessing's "forkserver" start method, the
standard library's): a process the supervisor starts by exec, as a fresh interpreter, which
imports the worker's modules once (bot.worker_start.PRELOAD: aiogram and its models,
SQLAlchemy, Pillow...) and forks each worker from there, with no event loop, connection,
thread or lock to inherit; each worker makes its own loop, connections and embedded-Redis
client name (bot.worker_start says why and how). A replacement worker so skips the imports
(~7 of a start's ~10 s of CPU). The listening socket reaches each worker through the
forkserver (multiprocessing passes a socket argument as a descriptor). A worker that exits
while the parent runs is started again; one that keeps dying soon after its start is
started again later and later (:class:`RestartPolicy`), so a crash loop (a database
refusing connections, a bad setting) does not spin the machine, and after the fifth such
failure in a row the supervisor stops every worker and exits 1 with one line. SIGTERM or SIGINT to the
parent sends SIGTERM to every worker (each drains, see bot.runner) and waits for them,
killing those still running after the drain time and a margin. A worker whose supervisor
dies (even by SIGKILL) sends itself SIGTERM, and so does one whose forkserver dies (the
supervisor then counts it as gone and starts another), so none is left behind serving an
orphaned socket. A worker whose event loop has stopped running (it no longer beats,
bot.heartbeat) for TAWASUL_WORKER_STALL_S is killed and started again. Workers are named
«tawasul-worker» (``pgrep -x tawasul-worker``). The workers' metrics are kept in one
directory of the supervisor's, so that a scrape of the port reads every worker's figures
added up (bot.metrics_shared).
"""

from __future__ import annotations

import contextlib
import logging
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Protocol

from bot import heartbeat, metrics_shared, supervisor_dirs
from bot.worker_processes import Forked, NotStarted, forkserver, listen
from bot.worker_start import run_worker

log = logging.getLogger(__name__)

#: How long after the drain time (TAWASUL_DRAIN_S) a worker may still take to exit before
#: it is killed: closing connections and the embedded server's shutdown.
STOP_MARGIN_S: Final = 10.0
#: The hidden command-line option carrying the inherited socket's descriptor.
LISTEN_FD_OPTION: Final = "--listen-fd"


@dataclass
class RestartPolicy:
    """When to start a worker again after it exited (times in seconds, from one clock).

    A worker that ran at least `stable_s` had a good run: it is started again at once. One
    that exits sooner counts as a quick failure; the k-th quick failure in a row waits
    ``min(max_s, base_s * 2 ** (k - 1))`` (1, 2, 4, ... 30 s by default), and a good run
    resets the count. The `give_up_after`-th quick failure in a row of one worker is not
    waited for: the supervisor stops (:meth:`gives_up`), as systemd does past a unit's
    StartLimitBurst, since a worker that cannot start (a bad setting, a dependency refusing
    it) will not start by trying for ever, and an operator sees one line and a failed unit
    rather than a supervisor that looks alive and serves nothing."""

    base_s: float = 1.0
    max_s: float = 30.0
    stable_s: float = 30.0
    give_up_after: int = 5
    _quick: dict[int, int] = field(default_factory=dict)

    def delay(self, slot: int, started_at: float, exited_at: float) -> float:
        """The wait before worker `slot`, started at `started_at` and gone at `exited_at`,
        is started again."""
        if exited_at - started_at >= self.stable_s:
            self._quick[slot] = 0
            return 0.0
        quick = self._quick.get(slot, 0) + 1
        self._quick[slot] = quick
        return float(min(self.max_s, self.base_s * 2 ** (quick - 1)))

    def gives_up(self, slot: int) -> bool:
        """Whether worker `slot`'s quick failures in a row (counted by :meth:`delay`) have
        reached `give_up_after`."""
        return self._quick.get(slot, 0) >= self.give_up_after


class Child(Protocol):
    """What the supervisor needs of a worker process (a subprocess.Popen)."""

    pid: int

    def poll(self) -> int | None: ...

    def send_signal(self, sig: int) -> None: ...

    def kill(self) -> None: ...


@dataclass
class _Slot:
    child: Child | None = None
    started_at: float = 0.0
    #: when to start it again (None while it runs)
    due_at: float | None = 0.0
    starts: int = 0
    #: this child was killed for a stuck loop (once is enough)
    stall_killed: bool = False


@dataclass
class Supervisor:
    """Keeps `workers` children alive: :meth:`step` at each tick of the parent's loop
    reaps those that exited and starts those that are due. `spawn(slot)` starts worker
    number `slot`; `clock` gives seconds (time.monotonic)."""

    workers: int
    spawn: Callable[[int], Child]
    clock: Callable[[], float] = time.monotonic
    policy: RestartPolicy = field(default_factory=RestartPolicy)
    slots: list[_Slot] = field(init=False)
    #: seconds since worker `slot`'s event loop last beat (bot.heartbeat), if watched
    beat_age: Callable[[int], float] | None = None
    #: a worker whose loop has not beaten for longer is killed and started again
    stall_s: float = 60.0
    #: why the supervisor gave up (a worker failing at start again and again), once it has:
    #: :meth:`step` then starts nothing more, and the caller stops every worker
    gave_up: str | None = field(default=None, init=False)
    #: told the pid of each worker once it has exited (its metrics: bot.metrics_shared)
    on_exit: Callable[[int], None] | None = None

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError("at least one worker")
        self.slots = [_Slot() for _ in range(self.workers)]

    def step(self) -> float:
        """Reap and start; returns how long the loop may sleep before the next step is
        due (at most a quarter of a second, so an exit is noticed soon)."""
        now = self.clock()
        wait = 0.25
        if self.gave_up is not None:
            return wait
        for number, slot in enumerate(self.slots):
            if slot.child is not None:
                code = slot.child.poll()
                if code is None:
                    self._kill_if_stalled(number, slot)
                    continue
                self._exited(slot.child)
                delay = self.policy.delay(number, slot.started_at, now)
                if self.policy.gives_up(number):
                    self.gave_up = (
                        f"worker {number} failed {self.policy.give_up_after} times in a row "
                        f"within {self.policy.stable_s:.0f} s of its start (the last "
                        f"{_how(code)}); stopping every worker: the lines above say why"
                    )
                    log.critical("%s", self.gave_up)
                    slot.child, slot.due_at = None, None
                    return 0.0
                log.warning(
                    "worker %d (pid %d) %s; starting it again in %.0f s",
                    number,
                    slot.child.pid,
                    _how(code),
                    delay,
                )
                slot.child, slot.due_at = None, now + delay
            if slot.due_at is None:
                continue
            if slot.due_at <= now:
                slot.child = self.spawn(number)
                slot.started_at, slot.due_at, slot.stall_killed = now, None, False
                slot.starts += 1
            else:
                wait = min(wait, slot.due_at - now)
        return max(0.0, wait)

    def _exited(self, child: Child) -> None:
        if self.on_exit is not None:
            try:
                self.on_exit(child.pid)
            except Exception:  # bookkeeping: never a reason to stop supervising
                log.warning("after worker pid %d exited", child.pid, exc_info=True)

    def _kill_if_stalled(self, number: int, slot: _Slot) -> None:
        """SIGKILL to a running worker whose loop has not beaten for `stall_s`: it still
        lives, so nothing else would notice, and a blocked loop never runs its SIGTERM
        handler. Its exit is then seen as any other (started again at once after a good
        run)."""
        if self.beat_age is None or slot.child is None or slot.stall_killed:
            return
        silent = self.beat_age(number)
        if silent <= self.stall_s:
            return
        log.error(
            "worker %d (pid %d) has not beaten for %.0f s (its event loop is stuck): "
            "killing it to start another",
            number,
            slot.child.pid,
            silent,
        )
        slot.stall_killed = True
        with contextlib.suppress(ProcessLookupError):
            slot.child.kill()

    def running(self) -> list[Child]:
        return [s.child for s in self.slots if s.child is not None and s.child.poll() is None]

    def stop(self, within_s: float, sleep: Callable[[float], None] = time.sleep) -> list[int]:
        """SIGTERM to every worker, then wait up to `within_s` for all to exit; those
        left are killed. Returns the exit codes, in slot order (negative: by a signal)."""
        for child in self.running():
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signal.SIGTERM)
        deadline = self.clock() + within_s
        while self.running() and self.clock() < deadline:
            sleep(0.05)
        for child in self.running():
            log.error("worker pid %d did not stop within %.0f s: killed", child.pid, within_s)
            with contextlib.suppress(ProcessLookupError):
                child.kill()
        codes = []
        for slot in self.slots:
            if slot.child is None:
                continue
            while (code := slot.child.poll()) is None:
                sleep(0.05)
            self._exited(slot.child)
            codes.append(code)
        return codes


def _how(code: int) -> str:
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"was killed by {signal.Signals(-code).name}"
        return f"was killed by signal {-code}"
    return f"exited with code {code}"


def supervise(
    workers: int,
    host: str,
    port: int,
    *,
    drain_s: float,
    stall_s: float = 60.0,
) -> int:
    """Run `workers` workers on host:port until SIGTERM or SIGINT, or until a worker keeps
    failing at its start (:class:`RestartPolicy`); returns the exit code for the parent: 0
    when every worker stopped in order, 1 when one had to be killed or failed, or the
    supervisor gave up, 2 when the port cannot be had."""
    supervisor_dirs.sweep()  # what a supervisor killed before left, once nothing uses it
    try:
        sock = listen(host, port)
    except OSError as exc:
        print(f"tawasul: cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    # one /metrics for all the workers: their figures in one directory, emptied now and
    # named in the environment before the forkserver imports prometheus-client
    shared = metrics_shared.prepare()
    context = forkserver()
    # multiprocessing's directory (the forkserver's socket): one of ours, which the next
    # start removes if this supervisor is killed, rather than a pymp-… left for good
    spool = supervisor_dirs.for_multiprocessing()
    # each worker's heartbeat file (bot.heartbeat), in a directory of this supervisor's
    beats = supervisor_dirs.make(supervisor_dirs.BEATS_PREFIX)

    def beat_file(slot: int) -> Path:
        return beats.path / f"worker-{slot}"

    def spawn(slot: int) -> Child:
        process = context.Process(
            target=run_worker,
            args=(sock, slot, LISTEN_FD_OPTION, str(beat_file(slot)), drain_s + STOP_MARGIN_S),
            name=f"worker-{slot}",
        )
        try:
            # the first start waits for the forkserver's imports (seconds; a signal
            # meanwhile is seen after them)
            process.start()
        except Exception:
            log.exception("worker %d could not be started", slot)
            return NotStarted()
        assert process.pid is not None
        # as of now (not before the start, which waits for the forkserver's imports the
        # first time): the worker has `stall_s` to start its loop's beat
        heartbeat.beat(beat_file(slot))
        log.info("worker %d started (pid %d)", slot, process.pid)
        return Forked(process, process.pid)

    stopping: list[int] = []

    def on_signal(signum: int, _frame: object) -> None:
        stopping.append(signum)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    watch = heartbeat.BeatWatch()  # judged on this process's monotonic clock
    supervisor = Supervisor(
        workers,
        spawn,
        beat_age=lambda slot: watch.silent_for(beat_file(slot)),
        stall_s=stall_s,
        on_exit=shared.worker_gone,
    )
    log.info("serving %s:%d with %d workers", host, port, workers)
    try:
        while not stopping and supervisor.gave_up is None:
            time.sleep(supervisor.step())
    finally:
        codes = supervisor.stop(drain_s + STOP_MARGIN_S)
        sock.close()
        beats.remove()
        if spool is not None:
            spool.remove()
        shared.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    log.info("all workers stopped (exit codes %s)", codes)
    if supervisor.gave_up is not None:
        return 1
    # 0 when every worker drained and exited in order; one still starting (no handler yet)
    # is ended by the SIGTERM itself, having accepted nothing
    return 0 if all(code in (0, -signal.SIGTERM) for code in codes) else 1
