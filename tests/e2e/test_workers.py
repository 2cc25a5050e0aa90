"""`tawasul run` as an operator runs it: several worker processes on one port, restarted
when one dies, stopped in order by SIGTERM (the drain), readiness naming a dependency that
is down, and a worker refusing an old database when it may not migrate. Real processes,
a real Redis, SQLite, the Bot API stand-in, all on loopback."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.channels.telegram_webhook import SECRET_HEADER, WEBHOOK_PATH
from bot.db.migrate import upgrade
from standins.telegram_botapi import TelegramBotAPIStandin
from standins.telegram_updates import TgUser, UpdateFactory
from tests.servers import RedisServer, free_port

ROOT = Path(__file__).resolve().parents[2]
SECRET = "workers_webhook-secret"
PERSON = TgUser(5_300_000_101, "سلمى")
LATE = TgUser(5_300_000_102, "هند")
# start-up (imports, migrations) of two interpreters on the 2-core machine shared by
# several test runs; the tests' own steps are bounded much tighter
STARTUP_S = 120
DRAIN_S = 8
# what a stop may take beyond the drain bound on a loaded machine (closing, exiting)
STOP_MARGIN_S = 15


def _env(api: TelegramBotAPIStandin, port: int, redis_url: str, data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAWASUL_")}
    return env | {
        "TAWASUL_TELEGRAM_TOKEN": api.token,
        "TAWASUL_TELEGRAM_API_URL": api.url,
        "TAWASUL_TELEGRAM_WEBHOOK_URL": "https://bot.example.sa/telegram/webhook",
        "TAWASUL_TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TAWASUL_HTTP_PORT": str(port),
        "TAWASUL_REDIS_URL": redis_url,
        "TAWASUL_DATA_DIR": str(data),
        "TAWASUL_LOG_LEVEL": "INFO",
        "TAWASUL_STAFF_SCHEDULE": "off",
        "TAWASUL_DRAIN_S": str(DRAIN_S),
    }


async def _start(env: dict[str, str], *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", *args, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def _get(http: aiohttp.ClientSession, url: str) -> tuple[int, dict[str, object]]:
    # a new connection each time, so that any worker may take it
    async with http.get(url, headers={"Connection": "close"}) as response:
        return response.status, await response.json()


async def _until_ready(http: aiohttp.ClientSession, base: str, within_s: float) -> None:
    async with asyncio.timeout(within_s):
        while True:
            try:
                if (await _get(http, f"{base}/readyz"))[0] == 200:
                    return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)


def _children(pid: int) -> set[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return {int(p) for p in path.read_text().split()} if path.exists() else set()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def _pids_answering(http: aiohttp.ClientSession, base: str) -> int:
    status, body = await _get(http, f"{base}/healthz")
    assert status == 200
    pid = body["pid"]
    assert isinstance(pid, int)
    return pid


async def _stderr(proc: asyncio.subprocess.Process) -> str:
    assert proc.stderr is not None
    return (await proc.stderr.read()).decode(errors="replace")[-3000:]


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
    async with TelegramBotAPIStandin() as api, aiohttp.ClientSession() as http:
        proc = await _start(_env(api, port, own_redis.url, tmp_path), "--workers", "2")
        try:
            await _until_ready(http, base, STARTUP_S)
            async with asyncio.timeout(STARTUP_S):
                while True:
                    if len(_children(proc.pid)) == 2:
                        break
                    await asyncio.sleep(0.2)
            workers = _children(proc.pid)
            assert len(workers) == 2
            # both serve the one port: with one paused, the other answers every call
            for paused in workers:
                (other,) = workers - {paused}
                os.kill(paused, signal.SIGSTOP)
                try:
                    async with asyncio.timeout(20):
                        # the first may have been accepted by the paused one already
                        seen = {await _pids_answering(http, base) for _ in range(3)}
                finally:
                    os.kill(paused, signal.SIGCONT)
                assert seen == {other}

            # a worker killed outright is replaced, and the port keeps answering meanwhile
            victim = min(workers)
            os.kill(victim, signal.SIGKILL)
            started = time.monotonic()
            async with asyncio.timeout(STARTUP_S):
                while True:
                    now = _children(proc.pid)
                    if len(now) == 2 and victim not in now:
                        break
                    assert (await _pids_answering(http, base)) != victim
                    await asyncio.sleep(0.2)
            (replacement,) = _children(proc.pid) - workers
            async with asyncio.timeout(STARTUP_S):
                while True:
                    if await _pids_answering(http, base) == replacement:
                        break
                    await asyncio.sleep(0.05)
            print(f"replacement answering {time.monotonic() - started:.1f} s after SIGKILL")

            # readiness names Redis when it stops answering, and returns with it
            own_redis.pause()
            status, body = await _get(http, f"{base}/readyz")
            assert status == 503
            assert [f.split(":")[0] for f in body["failing"]] == ["redis"]  # type: ignore[union-attr]
            own_redis.restart()
            await _until_ready(http, base, 60)

            # SIGTERM to the parent: every worker drains and exits 0 within the bound
            workers = _children(proc.pid)
            proc.send_signal(signal.SIGTERM)
            started = time.monotonic()
            async with asyncio.timeout(DRAIN_S + STOP_MARGIN_S):
                await proc.wait()
            print(f"all stopped {time.monotonic() - started:.1f} s after SIGTERM")
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
        assert proc.returncode == 0, await _stderr(proc)
        assert not any(_alive(pid) for pid in workers)


@pytest.mark.timeout(STARTUP_S + 60)
async def test_sigterm_finishes_what_was_accepted_and_refuses_what_comes_after(
    tmp_path: Path, redis_url: str
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    updates = UpdateFactory(first_update_id=930_000_000)
    headers = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}
    async with TelegramBotAPIStandin() as api, aiohttp.ClientSession() as http:
        proc = await _start(_env(api, port, redis_url, tmp_path))
        try:
            await _until_ready(http, base, STARTUP_S)
            # the reply is held at the Bot API, so the update is still in hand at SIGTERM
            gate = api.hold("sendMessage", chat_id=PERSON.id)
            update = updates.text(PERSON, "/start")
            async with http.post(
                f"{base}{WEBHOOK_PATH}", data=json.dumps(update), headers=headers
            ) as accepted:
                assert accepted.status == 200
            async with asyncio.timeout(60):
                await gate.arrived.wait()
            proc.send_signal(signal.SIGTERM)
            async with asyncio.timeout(15):
                while True:
                    status, body = await _get(http, f"{base}/readyz")
                    if status == 503:
                        break
                    await asyncio.sleep(0.05)
            assert body["failing"] == ["draining"]
            late = updates.text(LATE, "/start")
            async with http.post(
                f"{base}{WEBHOOK_PATH}", data=json.dumps(late), headers=headers
            ) as refused:
                assert refused.status == 503  # Telegram delivers it again later
            assert proc.returncode is None  # still finishing the accepted update
            gate.release()
            async with asyncio.timeout(DRAIN_S + STOP_MARGIN_S):
                await proc.wait()
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
        assert proc.returncode == 0, await _stderr(proc)
        assert api.calls_for(PERSON.id, "sendMessage")  # the person got the answer
        assert not api.calls_for(LATE.id)  # the refused one was not handled


@pytest.mark.timeout(2 * STARTUP_S + 60)
async def test_a_worker_that_may_not_migrate_refuses_an_old_database(
    tmp_path: Path, redis_url: str
) -> None:
    port = free_port()
    async with TelegramBotAPIStandin() as api, aiohttp.ClientSession() as http:
        env = _env(api, port, redis_url, tmp_path) | {
            "TAWASUL_AUTO_MIGRATE": "false",
            "TAWASUL_LOG_LEVEL": "WARNING",
        }
        # polling, this time: no webhook
        del env["TAWASUL_TELEGRAM_WEBHOOK_URL"], env["TAWASUL_TELEGRAM_WEBHOOK_SECRET"]
        for workers in ("1", "2"):  # with two, the supervisor says it once and stops
            proc = await _start(env, "--workers", workers)
            async with asyncio.timeout(STARTUP_S):
                _, err = await proc.communicate()
            lines = err.decode().strip().splitlines()
            assert proc.returncode != 0
            assert len(lines) == 1, lines
            assert "run `tawasul db upgrade`" in lines[0] and "none (empty)" in lines[0]
        assert not api.methods()  # it stopped before calling Telegram

        # the deploy step, then the same worker starts, polls, and stops in order
        await upgrade(f"sqlite+aiosqlite:///{tmp_path / 'tawasul.sqlite3'}")
        proc = await _start(env)
        try:
            await _until_ready(http, f"http://127.0.0.1:{port}", STARTUP_S)
            async with asyncio.timeout(60):
                await api.wait_until(lambda: "getUpdates" in api.methods())
            proc.send_signal(signal.SIGTERM)
            async with asyncio.timeout(DRAIN_S + STOP_MARGIN_S):
                await proc.wait()
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
        assert proc.returncode == 0, await _stderr(proc)


@pytest.mark.timeout(2 * STARTUP_S + 60)
async def test_what_the_drain_could_not_finish_is_replayed_by_the_next_worker(
    tmp_path: Path, own_redis: RedisServer
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    updates = UpdateFactory(first_update_id=950_000_000)
    headers = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}
    async with TelegramBotAPIStandin() as api, aiohttp.ClientSession() as http:
        env = _env(api, port, own_redis.url, tmp_path) | {"TAWASUL_DRAIN_S": "2"}
        proc = await _start(env)
        try:
            await _until_ready(http, base, STARTUP_S)
            # the person's first update is stuck at the Bot API; their second waits behind
            # it (a person's updates are handled in order) when the drain time runs out
            gate = api.hold("sendMessage", chat_id=PERSON.id)
            first, second = updates.text(PERSON, "/start"), updates.text(PERSON, "مرحبا")
            for update in (first, second):
                async with http.post(
                    f"{base}{WEBHOOK_PATH}", data=json.dumps(update), headers=headers
                ) as accepted:
                    assert accepted.status == 200
            async with asyncio.timeout(60):
                await gate.arrived.wait()
            proc.send_signal(signal.SIGTERM)
            started = time.monotonic()
            async with asyncio.timeout(2 + STOP_MARGIN_S):
                await proc.wait()
            print(f"stopped {time.monotonic() - started:.1f} s after SIGTERM (drain bound 2 s)")
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
        assert proc.returncode == 0, await _stderr(proc)
        gate.release()  # its caller is gone: Telegram never gets that call
        assert not api.calls_for(PERSON.id, "sendMessage")

        # the next worker replays the second update from the journal: the person is answered
        proc = await _start(env)
        try:
            async with asyncio.timeout(STARTUP_S):
                await api.wait_until(lambda: bool(api.calls_for(PERSON.id, "sendMessage")))
        finally:
            proc.send_signal(signal.SIGTERM)
            async with asyncio.timeout(2 + STOP_MARGIN_S):
                await proc.wait()
        assert proc.returncode == 0, await _stderr(proc)
