"""A supervised worker's heartbeat: how ``tawasul run --workers N`` notices a worker whose
event loop is stuck (a blocking call, a runaway computation, a deadlock in a C library).

Such a worker still lives, so the supervisor's wait for exits never saw it, and it holds
its share of the port's connections, its webhook bodies and outbox rows while answering
none. The supervisor gives each worker a file (:data:`HEARTBEAT_ENV` names it in the
worker's environment); a task on the worker's event loop touches it every
:data:`BEAT_EVERY_S`, so how long the file has not changed is how long the loop has not run
(:class:`BeatWatch`, on the supervisor's monotonic clock). The supervisor kills (SIGKILL: a
blocked loop never runs its SIGTERM handler) a worker whose file has not changed for
TAWASUL_WORKER_STALL_S (60 s) and starts another, with one line saying so
(bot.supervisor). Its webhook bodies are taken over by the other workers once their leases
run out, as a killed worker's are.

For tests only: with :data:`BLOCK_HOOK_ENV` naming a file, the worker whose beat first finds
that file removes it and blocks its loop (``time.sleep``) for an hour, as a stuck loop would
(tests/e2e/test_workers_stall.py). Unset in any deployment, it costs one ``stat`` a second.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Final

#: The environment variable naming the file a supervised worker's loop touches.
HEARTBEAT_ENV: Final = "TAWASUL_WORKER_HEARTBEAT"
#: Test-only: a file whose appearance makes one worker block its loop (see above).
BLOCK_HOOK_ENV: Final = "TAWASUL_TEST_BLOCK_LOOP_FILE"
#: How often the loop beats (seconds).
BEAT_EVERY_S: Final = 1.0


def beat(path: Path) -> None:
    """Marks `path` as touched now (creating it if need be)."""
    path.touch()
    os.utime(path)


class BeatWatch:
    """The supervisor's view of the heartbeat files: how long each has not changed, on the
    supervisor's own monotonic clock (`clock`, seconds; time.monotonic by default).

    The file's mtime is only compared with its previous value, never with the wall clock:
    judged as ``time.time() - mtime``, a forward step of the wall clock (an NTP correction,
    a VM resumed) of TAWASUL_WORKER_STALL_S or more made every worker look stuck until its
    next beat, and the supervisor killed them all; a backward step hid a real stall
    (review 10, item 9)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        # path -> (the mtime last seen, in ns; when it was first seen, on `clock`)
        self._seen: dict[Path, tuple[int, float]] = {}

    def silent_for(self, path: Path) -> float:
        """Seconds since `path`'s mtime was last seen to change; 0 the first time it is
        seen, or when it is missing (nothing to judge by)."""
        now = self._clock()
        try:
            touched = path.stat().st_mtime_ns
        except FileNotFoundError:
            self._seen.pop(path, None)
            return 0.0
        seen = self._seen.get(path)
        if seen is None or seen[0] != touched:
            self._seen[path] = (touched, now)
            return 0.0
        return max(0.0, now - seen[1])


async def beat_forever(path: Path, *, every_s: float = BEAT_EVERY_S) -> None:
    """Until cancelled: touches `path` every `every_s` from the running loop."""
    block = os.environ.get(BLOCK_HOOK_ENV)
    while True:
        with contextlib.suppress(OSError):  # the supervisor's directory gone: it is stopping
            beat(path)
        if block:
            _test_block(Path(block))
        await asyncio.sleep(every_s)


def _test_block(trigger: Path) -> None:
    try:
        trigger.unlink()  # one worker wins it
    except FileNotFoundError:
        return
    time.sleep(3600)  # the loop stuck, as a blocking call would leave it


@contextlib.asynccontextmanager
async def beating() -> AsyncIterator[None]:
    """While inside, the loop beats into the file :data:`HEARTBEAT_ENV` names, if any (a
    worker run by the supervisor)."""
    raw = os.environ.get(HEARTBEAT_ENV)
    if not raw:
        yield
        return
    task = asyncio.create_task(beat_forever(Path(raw)), name="heartbeat")
    try:
        yield
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
