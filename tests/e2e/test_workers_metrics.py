"""/metrics of `tawasul run --workers 2` as Prometheus scrapes it: one port, whichever worker
the kernel hands the connection to, the same totals. Before, each worker answered with its
own counters, so two scrapes in a row read 25 then 23 (fresh-clone tester, report 12 §6)
and Prometheus took the drop for a counter reset. And the two workers' start on one SQLite
file logs no ERROR (§17). Real processes, a real Redis, SQLite and
the Bot API stand-in, on loopback."""

from __future__ import annotations

import asyncio
import json
import os
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.channels.telegram_webhook import SECRET_HEADER, WEBHOOK_PATH
from bot.db.migrate import upgrade
from standins.telegram_botapi import TelegramBotAPIStandin
from standins.telegram_updates import TgUser, UpdateFactory
from tests.e2e.run_process import (
    STARTUP_S,
    STOP_MARGIN_S,
    answering_pid,
    run_env,
    running,
    until,
    until_ready,
)
from tests.proc_tree import workers_of
from tests.servers import RedisServer, free_port

SECRET = "metrics_webhook-secret"
DRAIN_S = 8
HEADERS = {SECRET_HEADER: SECRET, "Content-Type": "application/json", "Connection": "close"}
HANDLED = ("tawasul_updates_handled_total", (("channel", "telegram"), ("outcome", "ok")))


@pytest.fixture
async def own_redis() -> AsyncIterator[RedisServer]:
    server = RedisServer.start()
    try:
        yield server
    finally:
        server.stop()


@asynccontextmanager
async def paused(pid: int) -> AsyncIterator[None]:
    """Worker `pid` stopped (SIGSTOP): it accepts nothing, so the other takes every call."""
    os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(pid, signal.SIGCONT)


async def scrape(
    http: aiohttp.ClientSession, base: str
) -> tuple[str, dict[tuple[str, tuple[tuple[str, str], ...]], float]]:
    async with http.get(f"{base}/metrics", headers={"Connection": "close"}) as response:
        assert response.status == 200
        page = await response.text()
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(page)
        for s in family.samples
    }
    return page, samples


@pytest.mark.timeout(3 * STARTUP_S + 60)
async def test_one_scrape_of_the_port_counts_every_workers_updates_and_never_goes_back(
    tmp_path: Path, own_redis: RedisServer
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    await upgrade(f"sqlite+aiosqlite:///{tmp_path / 'tawasul.sqlite3'}")
    shared = tmp_path / "metrics"  # the operator's choice; emptied at the start
    shared.mkdir()
    (shared / "counter_1.db").write_bytes(b"from a run before")
    updates = UpdateFactory(first_update_id=970_000_000)
    people = iter(TgUser(5_400_000_000 + n, "سارة") for n in range(100))
    async with TelegramBotAPIStandin() as api, aiohttp.ClientSession() as http:
        env = run_env(
            api, port, own_redis.url, tmp_path, secret=SECRET,
            TAWASUL_AUTO_MIGRATE="false", TAWASUL_DRAIN_S=str(DRAIN_S),
        ) | {"PROMETHEUS_MULTIPROC_DIR": str(shared)}  # fmt: skip

        async def starts(count: int) -> None:
            """`count` new people's /start, each answered."""
            for _ in range(count):
                person = next(people)
                body = json.dumps(updates.text(person, "/start"))
                async with http.post(f"{base}{WEBHOOK_PATH}", data=body, headers=HEADERS) as r:
                    assert r.status == 200
                async with asyncio.timeout(60):
                    await api.wait_until(lambda p=person: bool(api.calls_for(p.id, "sendMessage")))

        async with running(env, tmp_path / "run.log", "--workers", "2") as run:
            await until_ready(http, base, STARTUP_S, run=run)
            await until(lambda: len(workers_of(run.pid)) == 2, STARTUP_S, alive=run)
            first, second = sorted(workers_of(run.pid))
            # both warmed up at once on the one SQLite file, and said nothing alarming: the
            # warm-up's «turn failed … database is locked» with its traceback is gone
            await run.until_logged("warm-up took", 2, within_s=STARTUP_S)
            assert " ERROR " not in run.log() and "Traceback" not in run.log(), run.tail()
            # three people reach the second worker, two the first
            async with paused(first):
                await starts(3)
            async with paused(second):
                await starts(2)

            async def counted(total: float) -> bool:
                # a turn is counted just after its reply goes out
                return (await scrape(http, base))[1][HANDLED] == total

            await until(lambda: counted(5), 30, alive=run)
            # each worker answers a scrape with both workers' figures
            seen: list[float] = []
            for answering, other in ((first, second), (second, first)):
                async with paused(other):
                    assert await answering_pid(http, base) == answering
                    page, samples = await scrape(http, base)
                    seen.append(samples[HANDLED])
                    # one series per label set: no worker's pid, a database figure once
                    assert "pid=" not in page
                    assert samples[("tawasul_outbox_pending", ())] == 0
            assert seen == [5, 5]
            for _ in range(4):  # and as the kernel hands the connections out
                seen.append((await scrape(http, base))[1][HANDLED])
            assert seen == [5] * 6

            # a worker killed outright: what it counted stays in the totals
            os.kill(first, signal.SIGKILL)
            await until(lambda: first not in workers_of(run.pid), 30, alive=run)
            assert (await scrape(http, base))[1][HANDLED] == 5
            # its queue depth is no longer counted (its live gauges dropped)
            await until(lambda: not list(shared.glob(f"gauge_livesum_{first}.db")), 30)
            await until(lambda: len(workers_of(run.pid)) == 2, STARTUP_S, alive=run)
            (replacement,) = workers_of(run.pid) - {second}

            async def replacement_answers() -> bool:
                return await answering_pid(http, base) == replacement

            await until(replacement_answers, STARTUP_S, every_s=0.05, alive=run)
            async with paused(second):
                await starts(1)
                await until(lambda: counted(6), 30, alive=run)
            previous = 6.0
            for _ in range(6):
                now = (await scrape(http, base))[1][HANDLED]
                assert now >= previous
                previous = now
            assert previous == 6
            assert await run.stop(DRAIN_S + STOP_MARGIN_S) == 0, run.tail()
        # the operator's directory is left, emptied at the next start
        assert shared.exists()
