"""`tawasul run --workers 2` with no TAWASUL_REDIS_URL (the embedded Valkey, as `make run`
starts it with two workers): SIGTERM to the supervisor stops both workers in order, and the
last worker out stops the server; several times over one data directory, since the two
workers leave at the same moment (each used to see the other still connected, and neither
stopped it). And nothing is left for multiprocessing's resource tracker to clean up, though
a worker was killed outright in the first round (its receipt cards' pool left named
semaphores: «resource_tracker: There appear to be 5 leaked semaphore objects»). Real
processes, the Bot API stand-in on loopback."""

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
    Run,
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


def _trackers(supervisor: int) -> set[int]:
    """The supervisor's multiprocessing resource trackers (the workers share its one)."""
    found = set()
    for pid in proc_tree.children(supervisor):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"multiprocessing.resource_tracker" in command:
            found.add(pid)
    return found


async def _one_replaced(run: Run, workers: set[int]) -> set[int]:
    """SIGKILL to one of `workers`, until its replacement serves; the workers then."""
    victim = min(workers)
    os.kill(victim, signal.SIGKILL)

    def replaced() -> bool:
        now = workers_of(run.pid)
        return len(now) == 2 and victim not in now

    await until(replaced, STARTUP_S, alive=run)
    await run.until_logged("embedded Redis ", 3, within_s=STARTUP_S)
    await run.until_logged("bot.web: web server on", 3, within_s=STARTUP_S)
    return workers_of(run.pid)


@pytest.mark.timeout((ROUNDS + 1) * (STARTUP_S + DRAIN_S + 2 * STOP_MARGIN_S + 30))
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
                    if round_ == 0:
                        # a worker killed outright, and its replacement serving
                        workers = await _one_replaced(run, workers)
                    server = _server_pid(sock)
                    servers.append(server)
                    (tracker,) = _trackers(run.pid)
                    started = time.monotonic()
                    assert await run.stop(DRAIN_S + 2 * STOP_MARGIN_S) == 0, run.tail()
                print(f"round {round_}: supervisor stopped {time.monotonic() - started:.1f} s")
                assert not any(alive(pid) for pid in workers)
                # the last worker out shut the server down (it writes its files first)
                await until(lambda: not proc_tree.running(server), 30)  # noqa: B023
                assert not _answers(sock)
                assert "Traceback" not in run.log(), run.tail()
                # multiprocessing's resource tracker has nothing left to clean up: it
                # says so, if it does, as it ends, after the supervisor
                await until(lambda: not proc_tree.running(tracker), 30)  # noqa: B023
                assert "leaked" not in run.log(), run.tail()
        finally:
            for pid in servers:
                if proc_tree.running(pid):  # left behind: not for the next test to find
                    os.kill(pid, signal.SIGKILL)
    # one server per round, each started afresh
    assert len(set(servers)) == ROUNDS
