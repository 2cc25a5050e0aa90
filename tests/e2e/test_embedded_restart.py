"""The embedded Valkey (`make run`'s default: no TAWASUL_REDIS_URL) killed while
`tawasul run --workers 2` serves is started again, once, by one of the workers; /readyz
comes back and the person's dialogue goes on where it was (the server reads back its
append-only file). Found by the fresh-clone tester: /readyz stayed 503 for good and
nothing restarted the server. Real processes, the Bot API stand-in on loopback."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import aiohttp
import pytest
import redis

from bot.channels.telegram_webhook import SECRET_HEADER, WEBHOOK_PATH
from bot.embedded_redis import SOCKET
from standins.telegram_botapi import TelegramBotAPIStandin
from standins.telegram_updates import TgUser, UpdateFactory
from tests import proc_tree
from tests.e2e.run_process import (
    STARTUP_S,
    STOP_MARGIN_S,
    get_json,
    run_env,
    running,
    until,
    until_ready,
)
from tests.proc_tree import workers_of
from tests.servers import free_port

SECRET = "embedded_restart-secret"
HEADERS = {SECRET_HEADER: SECRET, "Content-Type": "application/json", "Connection": "close"}
DRAIN_S = 5
PERSON = TgUser(5_300_000_211, "سارة")
#: a bound for what a person would wait on: a reply, the server back
WAIT_S = 60


def _looker(sock: Path) -> redis.Redis:
    return redis.Redis(unix_socket_path=str(sock), client_name="test-looker")


def _server_pid(sock: Path) -> int:
    with _looker(sock) as client:
        return int(client.info("server")["process_id"])


def _servers_on(sock: Path) -> set[int]:
    """The live processes whose command line names `sock` (the Valkey servers of it)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if str(sock).encode() in cmdline and proc_tree.running(int(entry.name)):
            found.add(int(entry.name))
    return found


async def _post(http: aiohttp.ClientSession, base: str, update: dict[str, object]) -> int:
    async with http.post(
        f"{base}{WEBHOOK_PATH}", data=json.dumps(update), headers=HEADERS
    ) as response:
        return response.status


@pytest.mark.timeout(STARTUP_S + 4 * WAIT_S + DRAIN_S + 2 * STOP_MARGIN_S + 60)
async def test_a_killed_embedded_server_is_started_again_and_the_dialogue_goes_on(
    tmp_path: Path,
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    sock = tmp_path / "redis" / SOCKET
    updates = UpdateFactory(first_update_id=970_000_000)
    servers: set[int] = set()
    async with TelegramBotAPIStandin() as api, aiohttp.ClientSession() as http:
        env = run_env(api, port, "", tmp_path, secret=SECRET, TAWASUL_DRAIN_S=str(DRAIN_S))
        del env["TAWASUL_REDIS_URL"]
        try:
            async with running(env, tmp_path / "run.log", "--workers", "2") as run:
                await until_ready(http, base, STARTUP_S, run=run)
                await until(lambda: len(workers_of(run.pid)) == 2, STARTUP_S, alive=run)
                await run.until_logged("bot.web: web server on", 2, within_s=STARTUP_S)
                first = _server_pid(sock)
                servers.add(first)

                def replies() -> list[str]:
                    return api.texts(PERSON.id)

                assert await _post(http, base, updates.text(PERSON, "ابي اجدد اقامتي")) == 200
                await until(lambda: any("هل هذه هي الخدمة" in t for t in replies()), WAIT_S)
                # the turn's writes are on disk: the append-only file is written in order,
                # so a write of ours fsynced (WAITAOF) comes after them (a SIGKILL may lose
                # the last second's writes, appendfsync everysec)
                with _looker(sock) as client:
                    client.set("test:marker", 1)
                    assert client.execute_command("WAITAOF", 1, 0, 10_000)[0] == 1

                os.kill(first, signal.SIGKILL)

                async def ready_again() -> bool:
                    status, _ = await get_json(http, f"{base}/readyz")
                    return status == 200 and sock.exists() and _servers_on(sock) - {first} != set()

                await until(ready_again, WAIT_S, every_s=0.2, alive=run)
                # started once: one server on the socket, not one per worker
                await until(lambda: not proc_tree.running(first), WAIT_S)
                now = _servers_on(sock)
                servers |= now
                assert len(now) == 1 and first not in now, now
                assert _server_pid(sock) in now
                assert run.log().count("embedded Redis started again") == 1, run.tail()
                status, _ = await get_json(http, f"{base}/healthz")
                assert status == 200

                # the person goes on where they were: «1» is the first service offered,
                # and the next question is where they are now (their own request)
                seen = len(replies())
                assert await _post(http, base, updates.text(PERSON, "1")) == 200
                await until(lambda: len(replies()) > seen, WAIT_S)
                await until(lambda: any("أين أنت الآن" in t for t in replies()[seen:]), WAIT_S)
                assert await run.stop(DRAIN_S + 2 * STOP_MARGIN_S) == 0, run.tail()
        finally:
            for pid in servers | _servers_on(sock):
                if proc_tree.running(pid):  # left behind: not for the next test to find
                    os.kill(pid, signal.SIGKILL)
