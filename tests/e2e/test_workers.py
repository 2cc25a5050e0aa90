"""`tawasul run` as an operator runs it: several worker processes on one port, restarted
when one dies (the new one serving people), stopped in order by SIGTERM (the drain), none
left when the supervisor is killed outright, readiness naming a dependency that is down;
the database migrated once by the supervisor, or refused by a worker that may not migrate;
polling passed on when its worker is killed; the Telegram webhook served (the
secret checked, nothing polled, metrics), and what a drain cut short replayed by the next
worker, replies included. Real processes, a real Redis, SQLite and PostgreSQL, the Bot API
stand-in, all on loopback. Each scenario shares its processes between several checks: a
process start is most of a test's time on the shared 2-core machine."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import socket
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.channels.poll_lease import LEASE_TTL_S
from bot.channels.telegram_webhook import SECRET_HEADER, WEBHOOK_PATH
from bot.db.migrate import current_revision, head_revision, upgrade
from standins.telegram_botapi import TelegramBotAPIStandin
from standins.telegram_updates import TgUser, UpdateFactory
from tests.e2e.run_process import (
    STARTUP_S,
    STOP_MARGIN_S,
    alive,
    answering_pid,
    get_json,
    run_env,
    run_once,
    running,
    until,
    until_ready,
)
from tests.proc_tree import workers_of
from tests.servers import RedisServer, free_port

SECRET = "workers_webhook-secret"
PERSON = TgUser(5_300_000_101, "سلمى")
LATE = TgUser(5_300_000_102, "هند")
STUCK = TgUser(5_300_000_103, "منى")
FIRST = TgUser(5_300_000_002, "ريم")
NEWCOMER = TgUser(5_300_000_104, "نورة")
DRAIN_S = 8
# a new connection each time, so that any of the port's workers may take it
HEADERS = {SECRET_HEADER: SECRET, "Content-Type": "application/json", "Connection": "close"}


@pytest.fixture
async def own_redis() -> AsyncIterator[RedisServer]:
    server = RedisServer.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.timeout(2 * STARTUP_S + 60)
async def test_two_workers_serve_one_port_are_replaced_and_stop_in_order(
    tmp_path: Path, own_redis: RedisServer
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # as in production: the migration is its own deploy step, the workers may not migrate
    await upgrade(f"sqlite+aiosqlite:///{tmp_path / 'tawasul.sqlite3'}")
    env_extra = {"TAWASUL_AUTO_MIGRATE": "false", "TAWASUL_DRAIN_S": str(DRAIN_S)}
    async with TelegramBotAPIStandin() as api, aiohttp.ClientSession() as http:
        env = run_env(api, port, own_redis.url, tmp_path, secret=SECRET, **env_extra)
        async with running(env, tmp_path / "run.log", "--workers", "2") as run:
            await until_ready(http, base, STARTUP_S, run=run)
            await until(lambda: len(workers_of(run.pid)) == 2, STARTUP_S, alive=run)
            workers = workers_of(run.pid)
            # both serve the one port: with one paused, the other answers every call
            for paused in workers:
                (other,) = workers - {paused}
                os.kill(paused, signal.SIGSTOP)
                try:
                    async with asyncio.timeout(20):
                        # the first may have been accepted by the paused one already
                        seen = {await answering_pid(http, base) for _ in range(3)}
                finally:
                    os.kill(paused, signal.SIGCONT)
                assert seen == {other}

            # a worker killed outright is replaced, and the port keeps answering meanwhile
            victim = min(workers)
            os.kill(victim, signal.SIGKILL)
            started = time.monotonic()

            async def replaced() -> bool:
                assert await answering_pid(http, base) != victim
                now = workers_of(run.pid)
                return len(now) == 2 and victim not in now

            await until(replaced, STARTUP_S, every_s=0.2, alive=run)
            (replacement,) = workers_of(run.pid) - workers

            async def replacement_answers() -> bool:
                return await answering_pid(http, base) == replacement

            await until(replacement_answers, STARTUP_S, every_s=0.05, alive=run)
            print(f"replacement answering {time.monotonic() - started:.1f} s after SIGKILL")
            # and it serves people: with the other worker paused, a newcomer's /start is
            # answered (the replacement is forked from the supervisor's forkserver, and
            # makes its own loop and connections to Redis, the database and the Bot API)
            (other,) = workers_of(run.pid) - {replacement}
            os.kill(other, signal.SIGSTOP)
            try:
                newcomer = UpdateFactory(first_update_id=960_000_000).text(NEWCOMER, "/start")
                assert await _post(http, base, newcomer) == 200
                async with asyncio.timeout(60):
                    await api.wait_until(lambda: bool(api.calls_for(NEWCOMER.id, "sendMessage")))
            finally:
                os.kill(other, signal.SIGCONT)
            # nobody migrated: not the supervisor, not a worker, not the replacement
            assert "alembic.runtime.migration" not in run.log()

            # readiness names Redis when it stops answering, and returns with it
            own_redis.pause()
            status, body = await get_json(http, f"{base}/readyz")
            assert status == 503
            assert [f.split(":")[0] for f in body["failing"]] == ["redis"]
            own_redis.restart()
            await until_ready(http, base, 60, run=run)

            # SIGTERM to the parent: every worker drains and exits 0 within the bound
            workers = workers_of(run.pid)
            started = time.monotonic()
            assert await run.stop(DRAIN_S + STOP_MARGIN_S) == 0, run.tail()
            print(f"all stopped {time.monotonic() - started:.1f} s after SIGTERM")
        assert not any(alive(pid) for pid in workers)


@pytest.mark.timeout(2 * STARTUP_S + 60)
async def test_the_supervisor_migrates_once_and_polling_passes_on_when_the_poller_dies(
    tmp_path: Path,
    redis_url: str,
    empty_db_url: str,
    db_backend: str,
    request: pytest.FixtureRequest,
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    async with TelegramBotAPIStandin() as api, aiohttp.ClientSession() as http:
        # polling, this time: no webhook
        # the supervisors' /tmp (bot.supervisor_dirs), short: the forkserver's socket is
        # made two levels under it, and a socket's path holds 107 bytes
        temporary = Path(tempfile.mkdtemp(prefix="tw-", dir="/tmp"))
        request.addfinalizer(lambda: shutil.rmtree(temporary, ignore_errors=True))
        env = run_env(api, port, redis_url, tmp_path, secret=None) | {
            "TAWASUL_DATABASE_URL": empty_db_url,
            "TAWASUL_AUTO_MIGRATE": "false",
            "TAWASUL_LOG_LEVEL": "WARNING",
            "TMPDIR": str(temporary),
        }
        for workers in ("1", "2"):  # with two, the supervisor says it once and stops
            refused = await run_once(
                env, tmp_path / f"refused-{workers}.log", "--workers", workers, within_s=60
            )
            lines = refused.log().strip().splitlines()
            assert refused.proc.returncode != 0
            assert len(lines) == 1, lines
            assert "run `tawasul db upgrade`" in lines[0] and "none (empty)" in lines[0]
        assert await current_revision(empty_db_url) is None
        assert not api.methods()  # it stopped before calling Telegram

        # migrating on: the supervisor migrates, once, before its workers start; they
        # serve without migrating (each would log alembic's «Context impl» line)
        env |= {"TAWASUL_AUTO_MIGRATE": "true", "TAWASUL_LOG_LEVEL": "INFO"}
        async with running(env, tmp_path / "run.log", "--workers", "2") as run:
            await until_ready(http, base, STARTUP_S, run=run)
            await run.until_logged("bot.web: web server on", 2, within_s=STARTUP_S)
            assert await current_revision(empty_db_url) == head_revision(empty_db_url)
            assert run.log().count("alembic.runtime.migration: Context impl") == 1, run.tail()
            if db_backend != "sqlite":
                # the rest does not depend on the database: once is enough (a worker's
                # start is most of this test's time)
                assert await run.stop(DRAIN_S + STOP_MARGIN_S) == 0, run.tail()
                return

            # one of the two polls; killed outright, another takes over within the lease's
            # few seconds, and never are two getUpdates running at once (409). Which one:
            # the standby, or the killed one's replacement when it is ready first (forked
            # from the forkserver, it can be ready within the lease; it was, once, at a
            # load average of 10)
            await run.until_logged(") polls Telegram", within_s=30)
            (poller,) = re.findall(r"this process \(pid (\d+)\) polls Telegram", run.log())
            os.kill(int(poller), signal.SIGKILL)
            killed_at = time.monotonic()

            def polled_again() -> bool:
                return any(c.method == "getUpdates" and c.at > killed_at for c in api.calls)

            await until(polled_again, 30, every_s=0.05, alive=run)
            took = time.monotonic() - killed_at
            print(f"polling taken over {took:.1f} s after SIGKILL (lease {LEASE_TTL_S:g} s)")
            await run.until_logged(") polls Telegram", 2, within_s=30)
            pollers = re.findall(r"this process \(pid (\d+)\) polls Telegram", run.log())
            assert int(pollers[-1]) in workers_of(run.pid) - {int(poller)}, run.tail()
            assert took < LEASE_TTL_S + 5  # 18 s and more with the old 15 s lease
            assert api.poll_conflicts == 0
            # the killed worker is started again, and it does not migrate either
            await run.until_logged("bot.web: web server on", 3, within_s=STARTUP_S)
            assert run.log().count("alembic.runtime.migration: Context impl") == 1, run.tail()
            assert api.poll_conflicts == 0

            # the supervisor killed outright: its workers stop by themselves, and nothing
            # is left serving the port (test 1 stops a supervisor in order)
            workers = workers_of(run.pid)
            assert len(workers) == 2
            run.kill()
            await run.proc.wait()
            await until(lambda: not any(alive(pid) for pid in workers), STARTUP_S)

            async def refused() -> bool:
                try:
                    await get_json(http, f"{base}/healthz")
                except aiohttp.ClientConnectionError:
                    return True
                return False

            await until(refused, 30)

            # what the killed supervisor could not remove (its workers' metrics and
            # heartbeats, multiprocessing's directory for its forkserver's socket), named
            # with its pid, is removed by the next supervisor's start: here one that finds
            # the port taken and stops at once (exit 2). No pymp-… of multiprocessing's own,
            # which nothing could prove dead (one was left for good before)
            left = sorted(os.listdir(temporary))
            assert [name.split("-")[:3] for name in left] == [
                ["tawasul", "beats", str(run.pid)],
                ["tawasul", "metrics", str(run.pid)],
                ["tawasul", "mp", str(run.pid)],
            ], left
            with socket.create_server(("127.0.0.1", port)):
                again = await run_once(
                    env, tmp_path / "again.log", "--workers", "2", within_s=STARTUP_S
                )
            assert again.proc.returncode == 2, again.tail()
            assert not os.listdir(temporary), again.tail()


async def _post(http: aiohttp.ClientSession, base: str, update: dict[str, object]) -> int:
    async with http.post(
        f"{base}{WEBHOOK_PATH}", data=json.dumps(update), headers=HEADERS
    ) as response:
        return response.status


@pytest.mark.timeout(2 * STARTUP_S + 60)
async def test_by_webhook_then_sigterm_finishes_what_it_can_and_the_next_replays_the_rest(
    tmp_path: Path, own_redis: RedisServer
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    updates = UpdateFactory(first_update_id=950_000_000)
    async with TelegramBotAPIStandin() as api, aiohttp.ClientSession() as http:
        env = run_env(api, port, own_redis.url, tmp_path, secret=SECRET, TAWASUL_DRAIN_S="5")
        async with running(env, tmp_path / "first.log") as run:
            await until_ready(http, base, STARTUP_S, run=run)
            # by webhook: a call without the secret changes nothing, a good one is
            # answered; no polling, no registration at start-up (a deploy step)
            first = updates.text(FIRST, "/start")
            async with http.post(
                f"{base}{WEBHOOK_PATH}", data=json.dumps(first), headers={SECRET_HEADER: "no"}
            ) as refused:
                assert refused.status == 401
            assert await _post(http, base, first) == 200
            async with asyncio.timeout(30):
                await api.wait_until(lambda: bool(api.calls_for(FIRST.id, "sendMessage")))
            assert "getUpdates" not in api.methods()
            assert "deleteWebhook" not in api.methods()
            async with http.get(f"{base}/metrics") as metrics:
                text = await metrics.text()
            assert 'tawasul_updates_handled_total{channel="telegram",outcome="ok"} 1.0' in text
            assert str(FIRST.id) not in text

            # PERSON's reply is held at the Bot API and let go during the drain: finished.
            # STUCK's first reply is held for good; their second update waits behind it (a
            # person's updates are handled in order) when the drain time runs out.
            held = api.hold("sendMessage", chat_id=PERSON.id)
            stuck = api.hold("sendMessage", chat_id=STUCK.id)
            assert await _post(http, base, updates.text(PERSON, "/start")) == 200
            assert await _post(http, base, updates.text(STUCK, "/start")) == 200
            assert await _post(http, base, updates.text(STUCK, "مرحبا")) == 200
            async with asyncio.timeout(60):
                await held.arrived.wait()
                await stuck.arrived.wait()
            run.proc.send_signal(signal.SIGTERM)
            started = time.monotonic()

            async def draining() -> bool:
                status, body = await get_json(http, f"{base}/readyz")
                return status == 503 and body["failing"] == ["draining"]

            await until(draining, 15, every_s=0.05, alive=run)
            # let go at once: the drain's 5 s count from the SIGTERM, and on a loaded
            # machine the requests below could eat them before PERSON's reply went out
            held.release()
            # Telegram delivers it again later, to a worker that is not stopping
            assert await _post(http, base, updates.text(LATE, "/start")) == 503
            assert run.proc.returncode is None  # still finishing what it accepted (STUCK)
            assert await run.stop(5 + STOP_MARGIN_S) == 0, run.tail()
            print(f"stopped {time.monotonic() - started:.1f} s after SIGTERM (drain bound 5 s)")
        stuck.release()  # its caller is gone: Telegram never gets that call
        assert api.calls_for(PERSON.id, "sendMessage")  # answered within the drain
        assert not api.calls_for(LATE.id)  # the refused one was not handled
        assert not api.calls_for(STUCK.id, "sendMessage")

        welcome = api.texts(PERSON.id)  # what /start answers a new person

        # The next worker replays both of STUCK's updates from the journal. The first's turn
        # was saved before the drain's bound cut its reply: that reply, kept with the state
        # (conversations.replays), is sent now, once, and then the second is answered.
        async with running(env, tmp_path / "second.log") as run:
            async with asyncio.timeout(STARTUP_S):
                await api.wait_until(lambda: len(api.texts(STUCK.id)) > len(welcome))
            assert await run.stop(5 + STOP_MARGIN_S) == 0, run.tail()
        texts = api.texts(STUCK.id)
        assert texts[: len(welcome)] == welcome, texts
        assert texts.count(welcome[0]) == 1, texts
        assert "turn replayed after its process stopped: replies sent again" in run.log()
