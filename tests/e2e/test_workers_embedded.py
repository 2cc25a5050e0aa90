"""`tawasul run --workers 2` with no TAWASUL_REDIS_URL (the embedded Valkey, as `make run`
starts it with two workers): SIGTERM to the supervisor stops both workers in order, and the
last worker out stops the server; several times over one data directory, since the two
workers leave at the same moment (each used to see the other still connected, and neither
stopped it). Real processes, the Bot API stand-in on loopback."""

from __future__ import annotations

import os
import signal
import socket
import time
from pathlib import Path

import aiohttp
import pytest
import redis

from bot.embedded_redis import SOCKET
from standins.telegram_botapi import TelegramBotAPIStandin
from tests import proc_tree
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
from tests.servers import free_port

SECRET = "embedded_workers-secret"
DRAIN_S = 5
ROUNDS = 3


def _server_pid(sock: Path) -> int:
    """The pid of the Valkey server answering on `sock` (INFO server's process_id)."""
    client = redis.Redis(unix_socket_path=str(sock), client_name="test-looker")
    try:
        return int(client.info("server")["process_id"])
    finally:
        client.close()


def _answers(sock: Path) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.settimeout(1.0)
            probe.connect(str(sock))
    except OSError:
        return False
    return True


@pytest.mark.timeout(ROUNDS * (STARTUP_S + DRAIN_S + 2 * STOP_MARGIN_S + 30))
async def test_the_last_worker_out_stops_the_embedded_server(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    sock = tmp_path / "redis" / SOCKET
    servers: list[int] = []
    async with TelegramBotAPIStandin() as api, aiohttp.ClientSession() as http:
        env = run_env(api, port, "", tmp_path, secret=SECRET, TAWASUL_DRAIN_S=str(DRAIN_S))
        del env["TAWASUL_REDIS_URL"]
        try:
            for round_ in range(ROUNDS):
                log = tmp_path / f"run-{round_}.log"
                async with running(env, log, "--workers", "2") as run:
                    await until_ready(http, base, STARTUP_S, run=run)
                    await until(lambda: len(workers_of(run.pid)) == 2, STARTUP_S, alive=run)
                    workers = workers_of(run.pid)
                    # both workers use it and serve: they will leave it at the same moment
                    await run.until_logged("embedded Redis ", 2, within_s=STARTUP_S)
                    await run.until_logged("bot.web: web server on", 2, within_s=STARTUP_S)
                    server = _server_pid(sock)
                    servers.append(server)
                    started = time.monotonic()
                    assert await run.stop(DRAIN_S + 2 * STOP_MARGIN_S) == 0, run.tail()
                print(f"round {round_}: supervisor stopped {time.monotonic() - started:.1f} s")
                assert not any(alive(pid) for pid in workers)
                # the last worker out shut the server down (it writes its files first)
                await until(lambda: not proc_tree.running(server), 30)  # noqa: B023
                assert not _answers(sock)
                assert "Traceback" not in run.log(), run.tail()
        finally:
            for pid in servers:
                if proc_tree.running(pid):  # left behind: not for the next test to find
                    os.kill(pid, signal.SIGKILL)
    # one server per round, each started afresh
    assert len(set(servers)) == ROUNDS
