"""Leaving the embedded Valkey (bot.embedded_redis) as bot.redis_conn does it: ``leave``
with the process's connections still open, closed only after it returns. The last of two
processes to leave stops the server even when the first was still connected as the second
looked (two workers stopped by one SIGTERM); one still serving keeps it running, and so
does one that has just joined and not connected yet."""

from __future__ import annotations

import asyncio
import fcntl
import os
import signal
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from redis.asyncio import Redis

from bot.embedded_redis import LOCK, EmbeddedRedis
from tests.proc_tree import running


@asynccontextmanager
async def _member(directory: Path, name: str) -> AsyncIterator[tuple[EmbeddedRedis, Redis]]:
    embedded = EmbeddedRedis(directory, client_name=name)
    embedded.start_or_join()
    client = Redis(unix_socket_path=str(embedded.socket_path), client_name=name)
    try:
        await client.ping()
        yield embedded, client
    finally:
        await client.aclose()


async def test_the_second_of_two_leaving_at_once_stops_the_server(tmp_path: Path) -> None:
    directory = tmp_path / "redis"
    async with _member(directory, "tawasul-first") as (first, first_client):
        server = int((await first_client.info("server"))["process_id"])
        try:
            async with _member(directory, "tawasul-second") as (second, second_client):
                await second_client.set("dialogue", "kept")
                # the first leaves while the second is connected: the server stays
                assert not await first.leave(first_client)
                assert await second_client.get("dialogue") == b"kept"
                # the second leaves with the first's connections still open (its leave
                # has returned, its close not yet come): it is the last, and stops it
                assert await second.leave(second_client)
        except BaseException:
            os.kill(server, signal.SIGKILL)  # not left running for the next tests
            raise
    assert not (directory / "redis.sock").exists()
    assert not running(server)


async def test_one_still_serving_keeps_the_server(tmp_path: Path) -> None:
    directory = tmp_path / "redis"
    async with _member(directory, "tawasul-serving") as (serving, serving_client):
        async with _member(directory, "tawasul-leaving") as (leaving, leaving_client):
            assert not await leaving.leave(leaving_client)
        # the leaver is gone; the one serving still has its server, and is the last out
        assert await serving_client.ping()
        assert await serving.leave(serving_client)
    assert not (directory / "redis.sock").exists()


async def test_leave_waits_for_the_lock_without_blocking_the_loop(tmp_path: Path) -> None:
    """Another process holds the server's lock (starting or stopping it) as this one leaves:
    the event loop goes on meanwhile. Before, ``leave`` took the flock on the loop, which
    stood still (no update, no health answer) until the other let go."""
    directory = tmp_path / "redis"
    async with _member(directory, "tawasul-alone") as (alone, client):
        other = (directory / LOCK).open("a+b")  # what another process's start holds
        fcntl.flock(other, fcntl.LOCK_EX)
        # a bound, should the loop block after all: the lock is let go in 2 s regardless
        safety = threading.Timer(2.0, lambda: fcntl.flock(other, fcntl.LOCK_UN))
        safety.start()
        try:
            leaving = asyncio.create_task(alone.leave(client))
            ticks = 0
            began = time.monotonic()
            while time.monotonic() - began < 1.0:
                await asyncio.sleep(0.01)
                ticks += 1
            assert ticks > 20, ticks  # the loop ran while leave waited
            assert not leaving.done()  # it does wait for the lock
            fcntl.flock(other, fcntl.LOCK_UN)
            assert await asyncio.wait_for(leaving, 10)  # then stops the server, the last
        finally:
            safety.cancel()
            other.close()
    assert not (directory / "redis.sock").exists()


async def test_a_process_joining_as_the_last_one_leaves_keeps_the_server(tmp_path: Path) -> None:
    """A process joins (``start_or_join`` finds the server answering and returns) while the
    last user is leaving: the leaver takes the lock before the joiner's first connection.
    Before, the leaver counted no other client and shut the server down, and the joiner
    (a worker starting as another stops, a second `tawasul chat`) found no server behind
    the socket: its start-up failed, or its embedded Redis was gone for good."""
    directory = tmp_path / "redis"
    async with _member(directory, "tawasul-last") as (last, last_client):
        server = int((await last_client.info("server"))["process_id"])
        joining = EmbeddedRedis(directory, client_name="tawasul-joining")
        try:
            assert not joining.start_or_join()  # joined: the server answered
            # the last user leaves before the joiner has opened a connection
            assert not await last.leave(last_client)
            client = Redis(unix_socket_path=str(joining.socket_path), client_name="tawasul-joining")
            try:
                assert await client.ping()
                assert int((await client.info("server"))["process_id"]) == server
                assert await joining.leave(client)  # now the last: it stops the server
            finally:
                await client.aclose()
        except BaseException:
            if running(server):
                os.kill(server, signal.SIGKILL)  # not left running for the next tests
            raise
    assert not (directory / "redis.sock").exists()
    assert not running(server)
