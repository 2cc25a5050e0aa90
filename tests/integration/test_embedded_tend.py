"""Tending the embedded Valkey (bot.embedded_redis): a server that died before the tending
process first read its pid is started again like one that died later. Before, ``tend``
read the pid from the server (``INFO``), and while none answered it only asked again: a
server killed between a process's start (or join) and its first look stayed dead, and
the process's Redis with it, until someone restarted it by hand. And a live server that
does not answer is waited for, never doubled."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.embedded_redis import EmbeddedRedis, EmbeddedRedisError
from tests.proc_tree import running

#: a bound for the server to be back: tend looks every 0.05 s here
BACK_S = 20


async def _pid_when_back(client: Redis) -> int:
    async with asyncio.timeout(BACK_S):
        while True:
            try:
                return int((await client.info("server"))["process_id"])
            except RedisError:
                await asyncio.sleep(0.05)


def _kill(pid: int) -> None:
    if running(pid):
        os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize("who", ["started it", "joined it"])
async def test_a_server_dead_before_the_first_look_is_started_again(
    tmp_path: Path, who: str
) -> None:
    directory = tmp_path / "redis"
    starter = EmbeddedRedis(directory, client_name="tawasul-starter")
    assert starter.start_or_join()
    assert starter._process is not None
    first = starter._process.pid
    tender = starter
    if who == "joined it":
        tender = EmbeddedRedis(directory, client_name="tawasul-joiner")
        assert not tender.start_or_join()
    client = Redis(unix_socket_path=str(tender.socket_path), client_name=tender.client_name)
    await client.set("dialogue", "kept")  # in the append-only file before the reply
    # killed before its tender has looked at it even once
    starter._process.kill()
    starter._process.wait()
    tending = asyncio.create_task(tender.tend(client, every_s=0.05))
    try:
        again = await _pid_when_back(client)
        assert again != first
        assert await client.get("dialogue") == b"kept"  # it read back its append-only file
    finally:
        tending.cancel()
        await asyncio.gather(tending, return_exceptions=True)
        try:
            await tender.leave(client)
        finally:
            await client.aclose()
            for process in (starter._process, tender._process):
                if process is not None:
                    _kill(process.pid)
                    process.wait()


async def test_a_server_that_does_not_answer_yet_is_waited_for_not_doubled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process starting finds the socket silent while the server lives (stopped here with
    SIGSTOP; loading a large append-only file looks the same): it waits for that server
    and joins it, and when the server never answers it says so rather than starting a
    second one. Before, it started a second server on the same append-only file beside
    the first, whose later writes then went to files the second was rewriting."""
    monkeypatch.setattr("bot.embedded_redis_start.START_TIMEOUT_S", 3.0)
    directory = tmp_path / "redis"
    starter = EmbeddedRedis(directory, client_name="tawasul-starter")
    assert starter.start_or_join()
    assert starter._process is not None
    server = starter._process.pid
    second = EmbeddedRedis(directory, client_name="tawasul-second")
    try:
        os.kill(server, signal.SIGSTOP)
        # it comes back a second later, as a server done loading would
        loop = asyncio.get_running_loop()
        loop.call_later(1.0, os.kill, server, signal.SIGCONT)
        assert not await asyncio.to_thread(second.start_or_join)  # joined, not started
        assert second._process is None
        os.kill(server, signal.SIGSTOP)  # and now it stays silent
        third = EmbeddedRedis(directory, client_name="tawasul-third")
        with pytest.raises(EmbeddedRedisError, match=f"pid {server}"):
            await asyncio.to_thread(third.start_or_join)
        assert third._process is None  # no second server
        os.kill(server, signal.SIGCONT)
        client = Redis(unix_socket_path=str(starter.socket_path), client_name="tawasul-starter")
        try:
            assert int((await client.info("server"))["process_id"]) == server
        finally:
            await client.aclose()
    finally:
        for process in (starter._process, second._process):
            if process is not None:
                os.kill(process.pid, signal.SIGCONT)
                _kill(process.pid)
                process.wait()
