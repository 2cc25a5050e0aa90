"""What a worker of `tawasul run --workers N` inherits from the forkserver it is forked from
(bot.worker_start): modules only. Importing the preloaded modules, as the forkserver does,
must start no thread, open no file, socket or pipe and make no event loop: a fork copies a
thread's lock mid-use, a connection shared by two processes mixes their traffic, a loop
belongs to one process. And it must not load what a worker hands off (each worker's memory)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bot.worker_start import PRELOAD, WORKER_NAME
from tests.unit.test_worker_imports import NOT_IN_A_WORKER, WORKER_MODULES

_AFTER_PRELOAD = f"""
import asyncio, json, os, sys, threading
before = sorted(os.listdir("/proc/self/fd"))
for name in {PRELOAD!r}:
    __import__(name)
after = sorted(os.listdir("/proc/self/fd"))
try:
    asyncio.get_running_loop()
    loop = True
except RuntimeError:
    loop = False
print(json.dumps({{
    "threads": [t.name for t in threading.enumerate()],
    "new_fds": [os.readlink(f"/proc/self/fd/{{fd}}") for fd in after if fd not in before
                and os.path.exists(f"/proc/self/fd/{{fd}}")],
    "loop": loop,
    "policy_loop": getattr(getattr(asyncio.get_event_loop_policy(), "_local", None), "_loop", None)
        is not None,
    "unwanted": [m for m in {NOT_IN_A_WORKER!r} if m in sys.modules],
    "missing": [m for m in {WORKER_MODULES!r} if m not in sys.modules],
}}))
"""


@pytest.fixture(scope="module")
def after_preload() -> dict[str, object]:
    """What a fresh interpreter holds once it has imported PRELOAD (one interpreter for the
    module's tests: the imports take seconds of CPU)."""
    out = subprocess.run(
        [sys.executable, "-c", _AFTER_PRELOAD], capture_output=True, text=True, check=True
    )
    result: dict[str, object] = json.loads(out.stdout)
    return result


def test_preloading_leaves_nothing_stateful_to_inherit(after_preload: dict[str, object]) -> None:
    found = after_preload
    assert found["threads"] == ["MainThread"]
    assert found["new_fds"] == []
    assert found["loop"] is False
    assert found["policy_loop"] is False
    # the worker's memory: nothing it hands off is loaded into every worker
    assert found["unwanted"] == []


def test_preloading_covers_what_a_worker_imports(after_preload: dict[str, object]) -> None:
    """What a Telegram worker imports (test_worker_imports' list) is paid once, in the
    forkserver, not again in each worker."""
    assert after_preload["missing"] == []


def test_the_worker_name_fits_the_kernel() -> None:
    # /proc/PID/comm holds 15 bytes; a longer name is cut and pgrep -x would not find it
    assert len(WORKER_NAME.encode()) <= 15
