"""A worker of `tawasul run --workers 2` whose event loop is stuck (alive, serving nothing)
is noticed by the supervisor through its heartbeat (bot.heartbeat), killed and replaced,
with one line saying so; the other worker is left alone. The loop is blocked by the
test-only hook TAWASUL_TEST_BLOCK_LOOP_FILE. Before, such a worker stayed for ever. Real
processes, a real Redis, SQLite, the Bot API stand-in, all on loopback."""

from __future__ import annotations

import asyncio
import os
import re
import signal
from pathlib import Path

import aiohttp
import pytest

from bot.db.migrate import upgrade
from bot.heartbeat import BLOCK_HOOK_ENV
from standins.telegram_botapi import TelegramBotAPIStandin
from tests.e2e.run_process import (
    STARTUP_S,
    STOP_MARGIN_S,
    alive,
    run_env,
    running,
    until,
    until_ready,
)
from tests.proc_tree import workers_of
from tests.servers import RedisServer, free_port

STALL_S = 15
DRAIN_S = 5


@pytest.mark.timeout(3 * STARTUP_S + STALL_S + 60)
async def test_a_worker_whose_loop_is_stuck_is_killed_and_replaced(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    trigger = tmp_path / "block-a-loop"
    await upgrade(f"sqlite+aiosqlite:///{tmp_path / 'tawasul.sqlite3'}")
    redis = RedisServer.start()
    try:
        async with TelegramBotAPIStandin() as api, aiohttp.ClientSession() as http:
            env = run_env(
                api, port, redis.url, tmp_path, secret="stall-secret",
                TAWASUL_AUTO_MIGRATE="false", TAWASUL_DRAIN_S=str(DRAIN_S),
                TAWASUL_WORKER_STALL_S=str(STALL_S), **{BLOCK_HOOK_ENV: str(trigger)},
            )  # fmt: skip
            async with running(env, tmp_path / "run.log", "--workers", "2") as run:
                await until_ready(http, base, STARTUP_S, run=run)
                await until(lambda: len(workers_of(run.pid)) == 2, STARTUP_S, alive=run)
                before = workers_of(run.pid)
                trigger.touch()  # one worker's next beat finds it and blocks its loop
                await until(lambda: not trigger.exists(), 10, alive=run)
                await run.until_logged("has not beaten", within_s=STALL_S + 30)
                (line,) = [ln for ln in run.log().splitlines() if "has not beaten" in ln]
                found = re.search(r"\(pid (\d+)\) has not beaten for (\d+) s", line)
                assert found is not None, line
                stuck, silent = int(found[1]), int(found[2])
                assert stuck in before and silent >= STALL_S
                assert "its event loop is stuck" in line
                await until(lambda: not alive(stuck), 10)
                # replaced (at once after a run of 30 s, else after 1 s: it may have been
                # blocked sooner than that after its start); the other worker left alone
                await until(lambda: len(workers_of(run.pid) - {stuck}) == 2, STARTUP_S, alive=run)
                assert before - {stuck} <= workers_of(run.pid)
                assert re.search(
                    rf"\(pid {stuck}\) was killed by SIGKILL; starting it again in [01] s",
                    run.log(),
                )
                await until_ready(http, base, STARTUP_S, run=run)
                assert run.log().count("has not beaten") == 1  # only the stuck one
                assert await run.stop(DRAIN_S + 2 * STOP_MARGIN_S) == 0, run.tail()
    finally:
        redis.stop()


@pytest.mark.timeout(2 * STARTUP_S + 120)
async def test_a_stuck_worker_whose_supervisor_is_killed_does_not_stay(tmp_path: Path) -> None:
    """The supervisor SIGKILLed while a worker's loop is stuck: the worker's SIGTERM (sent
    by itself when its supervisor goes) is never handled, so it is killed once the drain
    and the stop margin (5 + 10 s here) are over. Before, it stayed (an hour, with the
    test hook)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    trigger = tmp_path / "block-a-loop"
    await upgrade(f"sqlite+aiosqlite:///{tmp_path / 'tawasul.sqlite3'}")
    redis = RedisServer.start()
    workers: set[int] = set()
    try:
        async with TelegramBotAPIStandin() as api, aiohttp.ClientSession() as http:
            env = run_env(
                api, port, redis.url, tmp_path, secret="stall-secret",
                TAWASUL_AUTO_MIGRATE="false", TAWASUL_DRAIN_S=str(DRAIN_S),
                TAWASUL_WORKER_STALL_S="3600", **{BLOCK_HOOK_ENV: str(trigger)},
            )  # fmt: skip
            async with running(env, tmp_path / "run.log", "--workers", "2") as run:
                await until_ready(http, base, STARTUP_S, run=run)
                await until(lambda: len(workers_of(run.pid)) == 2, STARTUP_S, alive=run)
                workers = workers_of(run.pid)
                trigger.touch()
                await until(lambda: not trigger.exists(), 10, alive=run)
                await asyncio.sleep(1)  # blocked now
                run.kill()
            # the drain (5 s) and the margin (10 s), and time to spare on a loaded machine
            await until(lambda: not any(alive(pid) for pid in workers), DRAIN_S + 10 + 30)
    finally:
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)  # not left for the next tests
        redis.stop()
