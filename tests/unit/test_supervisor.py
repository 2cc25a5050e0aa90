"""The supervisor of `tawasul run --workers N`: which worker is started again, and when,
with an injected clock and stand-in children (the real processes: tests/e2e/test_workers.py)."""

from __future__ import annotations

import signal
from dataclasses import dataclass, field

import pytest

from bot.supervisor import RestartPolicy, Supervisor


@dataclass
class Clock:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class FakeChild:
    pid: int
    code: int | None = None
    signals: list[int] = field(default_factory=list)
    #: exits with 0 when sent SIGTERM (a worker that drains)
    obeys: bool = True

    def poll(self) -> int | None:
        return self.code

    def send_signal(self, sig: int) -> None:
        self.signals.append(sig)
        if self.obeys and sig == signal.SIGTERM:
            self.code = 0

    def kill(self) -> None:
        self.code = -signal.SIGKILL


@dataclass
class Spawner:
    started: list[tuple[int, FakeChild]] = field(default_factory=list)

    def __call__(self, slot: int) -> FakeChild:
        child = FakeChild(pid=100 + len(self.started))
        self.started.append((slot, child))
        return child

    def of(self, slot: int) -> list[FakeChild]:
        return [child for s, child in self.started if s == slot]


def make(workers: int = 2) -> tuple[Supervisor, Spawner, Clock]:
    clock, spawner = Clock(), Spawner()
    return Supervisor(workers, spawner, clock=clock), spawner, clock


def test_the_first_step_starts_every_worker() -> None:
    supervisor, spawner, _ = make(3)
    supervisor.step()
    assert [slot for slot, _ in spawner.started] == [0, 1, 2]
    supervisor.step()
    assert len(spawner.started) == 3  # running workers are left alone


def test_a_worker_that_dies_is_started_again_and_the_others_are_left_alone() -> None:
    supervisor, spawner, clock = make(2)
    supervisor.step()
    clock.now += 60  # a good run
    spawner.of(1)[0].code = -signal.SIGKILL
    supervisor.step()
    assert len(spawner.of(1)) == 2  # at once: it had run long enough
    assert len(spawner.of(0)) == 1


def test_a_crash_loop_is_started_again_later_and_later_up_to_the_ceiling() -> None:
    clock, spawner = Clock(), Spawner()
    # (by default it gives up at the fifth: see the test below)
    supervisor = Supervisor(1, spawner, clock=clock, policy=RestartPolicy(give_up_after=10))
    supervisor.step()
    waits = []
    for _ in range(7):
        clock.now += 0.5  # dies half a second after each start
        spawner.of(0)[-1].code = 1
        starts = len(spawner.of(0))
        supervisor.step()
        waited = 0.0
        while len(spawner.of(0)) == starts:
            clock.now += 0.25
            waited += 0.25
            supervisor.step()
        waits.append(waited)
    assert waits == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]


def test_a_good_run_forgives_the_earlier_crashes() -> None:
    policy = RestartPolicy(base_s=1, max_s=30, stable_s=30)
    assert [policy.delay(0, 0, 1) for _ in range(3)] == [1, 2, 4]
    assert policy.delay(0, 0, 45) == 0  # ran 45 s: a good run
    assert policy.delay(0, 100, 101) == 1
    assert policy.delay(1, 0, 1) == 1  # each worker counts its own


def test_the_step_says_how_long_the_loop_may_sleep() -> None:
    supervisor, spawner, clock = make(1)
    assert supervisor.step() == 0.25
    clock.now += 1
    spawner.of(0)[0].code = 1  # due again in 1 s
    assert supervisor.step() == pytest.approx(0.25)
    clock.now += 0.9
    assert supervisor.step() == pytest.approx(0.1)


def test_stop_signals_every_worker_and_kills_one_that_does_not_exit() -> None:
    supervisor, spawner, clock = make(2)
    supervisor.step()
    stubborn = spawner.of(1)[0]
    stubborn.obeys = False

    def sleep(seconds: float) -> None:
        clock.now += seconds

    codes = supervisor.stop(30, sleep=sleep)
    assert codes == [0, -signal.SIGKILL]
    assert spawner.of(0)[0].signals == [signal.SIGTERM]
    assert stubborn.signals == [signal.SIGTERM]
    assert clock.now >= 1030  # it was given the whole time before being killed


def test_a_worker_failing_at_start_again_and_again_makes_the_supervisor_give_up() -> None:
    supervisor, spawner, clock = make(2)
    supervisor.step()
    for _ in range(4):  # four quick failures: started again, later and later
        clock.now += 0.5
        spawner.of(0)[-1].code = 1
        starts = len(spawner.of(0))
        while len(spawner.of(0)) == starts:
            supervisor.step()
            clock.now += 0.25
        assert supervisor.gave_up is None
    clock.now += 0.5
    spawner.of(0)[-1].code = 1  # the fifth in a row
    supervisor.step()
    assert supervisor.gave_up is not None
    assert "worker 0 failed 5 times in a row" in supervisor.gave_up
    assert "exited with code 1" in supervisor.gave_up
    starts = len(spawner.started)
    clock.now += 120
    supervisor.step()
    assert len(spawner.started) == starts  # nothing is started any more
    # the caller then stops the other worker (supervise returns 1)
    assert supervisor.stop(5, sleep=lambda s: None) == [0]


def test_good_runs_between_failures_never_make_it_give_up() -> None:
    supervisor, spawner, clock = make(1)
    supervisor.step()
    for _ in range(12):
        clock.now += 45  # ran a good while, then died: started again at once
        spawner.of(0)[-1].code = -signal.SIGKILL
        supervisor.step()
        assert supervisor.gave_up is None
    assert len(spawner.of(0)) == 13


def test_a_worker_whose_loop_stops_beating_is_killed_and_started_again() -> None:
    clock, spawner = Clock(), Spawner()
    beats: dict[int, float] = {0: 0.0, 1: 0.0}  # seconds since each slot's loop beat
    supervisor = Supervisor(2, spawner, clock=clock, beat_age=lambda slot: beats[slot], stall_s=60)
    supervisor.step()
    clock.now += 120  # both ran a good while; worker 1's loop has been stuck for 61 s
    beats[1] = 61.0
    supervisor.step()
    stuck = spawner.of(1)[0]
    assert stuck.code == -signal.SIGKILL  # killed: a stuck loop never runs SIGTERM's handler
    assert spawner.of(0)[0].code is None  # the one still beating is left alone
    beats[1] = 0.0  # the new worker's file is fresh
    supervisor.step()
    assert len(spawner.of(1)) == 2  # and another started at once
    supervisor.step()
    assert len(spawner.of(1)) == 2 and spawner.of(1)[1].code is None


def test_a_worker_is_killed_once_for_a_stuck_loop(caplog: pytest.LogCaptureFixture) -> None:
    clock, spawner = Clock(), Spawner()
    supervisor = Supervisor(1, spawner, clock=clock, beat_age=lambda slot: 90.0, stall_s=60)
    supervisor.step()
    stuck = spawner.of(0)[0]
    stuck.kill = lambda: None  # type: ignore[method-assign]  # (SIGKILL takes a moment)
    supervisor.step()
    supervisor.step()
    lines = [r.getMessage() for r in caplog.records if "has not beaten" in r.getMessage()]
    assert lines == [
        "worker 0 (pid 100) has not beaten for 90 s (its event loop is stuck): "
        "killing it to start another"
    ]


def test_each_worker_gone_is_told_once_by_its_pid() -> None:
    # (so that its live gauges leave the port's /metrics: bot.metrics_shared)
    clock, spawner, gone = Clock(), Spawner(), []
    supervisor = Supervisor(2, spawner, clock=clock, on_exit=gone.append)
    supervisor.step()
    clock.now += 60
    killed = spawner.of(1)[0]
    killed.code = -signal.SIGKILL
    supervisor.step()
    supervisor.step()
    assert gone == [killed.pid]
    supervisor.stop(5, sleep=lambda _s: None)
    assert sorted(gone) == sorted([killed.pid, spawner.of(0)[0].pid, spawner.of(1)[1].pid])
