"""The worker's heartbeat (bot.heartbeat): beaten by the event loop itself, so a loop that
is blocked stops it, which is what the supervisor watches."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bot.heartbeat import age, beat, beat_forever


async def test_the_beat_stops_while_the_loop_is_blocked(tmp_path: Path) -> None:
    path = tmp_path / "worker-0"
    beating = asyncio.create_task(beat_forever(path, every_s=0.05))
    try:
        await asyncio.sleep(0.2)
        assert age(path) < 1.0
        time.sleep(2.0)  # noqa: ASYNC251  # the loop blocked, as a stuck worker's is
        assert age(path) >= 1.9
        await asyncio.sleep(0.2)  # running again: beating again
        assert age(path) < 1.0
    finally:
        beating.cancel()
        await asyncio.gather(beating, return_exceptions=True)


def test_age_counts_from_the_last_beat(tmp_path: Path) -> None:
    path = tmp_path / "worker-1"
    assert age(path) == 0.0  # no file: nothing to judge by
    beat(path)
    touched = path.stat().st_mtime
    assert age(path, now=touched + 61) == 61
