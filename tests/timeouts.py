"""Every test's run is bounded: a hang becomes one failed test with its stack, never a run
that stops only at CI's own limit with nothing to show.

pytest-timeout (its limit is set in pyproject.toml) raises in the main thread when a test
overruns (its "signal" method), which fails that test and lets the run go on. But a test
whose teardown hangs after it failed stayed stuck for good (as when a fresh-clone run of
make test sat for over 20 minutes in test_outbox_burst's teardown, an event loop closing
on a task that would not end): pytest-timeout's alarm fires once, and it is even switched
off as soon as the test has failed (its pytest_exception_interact hook, meant for pdb,
cancels the timer before the teardown runs). So here the alarm is cancelled only once the
teardown is over, fires again every `REPEAT_S` while the test is still in its setup, call
or teardown, and a thread stands behind it: if the test has not ended `BACKSTOP_S` after
its limit (the main thread blocked where no signal handler runs), that thread prints every
thread's stack and ends the run (pytest-timeout's "thread" method). The hook is
pytest-timeout's own (`pytest_timeout_set_timer`), so its options and
`@pytest.mark.timeout` still apply; a debugger still stops the alarms (pytest-timeout's
handlers check for one).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Generator
from types import FrameType
from typing import Any

import pytest
import pytest_timeout  # type: ignore[import-untyped]

REPEAT_S = 30.0
BACKSTOP_S = 180.0

# Whether the main thread is inside a test's setup, call or teardown, where pytest turns an
# exception into that test's failure. Outside them (pytest writing its reports) an
# exception would abort the whole run, so an alarm that comes then waits for the next.
_in_phase = False
_TORN_DOWN = pytest.StashKey[bool]()


@pytest.hookimpl(tryfirst=True)
def pytest_timeout_set_timer(item: pytest.Item, settings: Any) -> bool | None:
    """Arm a repeating alarm and a backstop thread for `item` (`settings` is
    pytest-timeout's Settings: timeout in seconds, method). Returns None, leaving the
    timer to pytest-timeout, where its method is not "signal" or this is not the main
    thread."""
    if (
        settings.method != "signal"
        or settings.func_only
        or threading.current_thread() is not threading.main_thread()
    ):
        return None

    def on_alarm(_signum: int, _frame: FrameType | None) -> None:
        __tracebackhide__ = True
        if _in_phase:
            pytest_timeout.timeout_sigalrm(item, settings)

    backstop = threading.Timer(
        settings.timeout + BACKSTOP_S, pytest_timeout.timeout_timer, (item, settings)
    )
    backstop.name = f"timeout backstop {item.nodeid}"
    backstop.daemon = True

    def cancel() -> None:
        if not item.stash.get(_TORN_DOWN, False):
            return  # a failure's report, not the end of the test: the teardown may hang
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        backstop.cancel()

    item.cancel_timeout = cancel  # type: ignore[attr-defined]  # pytest-timeout calls it
    signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, settings.timeout, REPEAT_S)
    backstop.start()
    return True


def _phase() -> Generator[None, object, object]:
    global _in_phase
    _in_phase = True
    try:
        return (yield)
    finally:
        _in_phase = False


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, object, object]:
    return (yield from _phase())


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    return (yield from _phase())


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, object, object]:
    try:
        return (yield from _phase())
    finally:
        item.stash[_TORN_DOWN] = True
