"""The embedded Valkey (bot.embedded_redis) reading back a large append-only file (review
11, §10): a server answering ``-LOADING`` is alive and is waited for, by the process that
starts it and by one joining it, bounded by LOAD_TIMEOUT_S; it is never killed. Before,
the starting process killed it after START_TIMEOUT_S (15 s) and failed, and a joiner gave
up after as long: with `make run`'s defaults, a data directory whose file took longer
than that to load made every start fail.

The append-only file is real: 1 000 000 keys written by a Valkey server (DEBUG POPULATE,
then BGREWRITEAOF as commands, not an RDB preamble, so that loading it takes a while:
about 1 s on an idle machine, more under load; with 300 000 keys it once loaded in 0.27 s,
under the 0.3 s below, and the test failed). START_TIMEOUT_S is cut to 0.3 s so the test
takes seconds, not the 15 s the server would need to outlast."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis

from bot.embedded_redis import PIDFILE, EmbeddedRedis, EmbeddedRedisError
from bot.embedded_redis_os import answers, state
from tests.proc_tree import running

KEYS = 1_000_000


def _wait(check: Callable[[], bool], within_s: float = 60.0) -> None:
    deadline = time.monotonic() + within_s
    while not check():
        assert time.monotonic() < deadline, "not within the bound"
        time.sleep(0.02)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding the append-only file of KEYS drafts, the server stopped."""
    directory = tmp_path_factory.mktemp("aof") / "redis"
    directory.mkdir(mode=0o700)
    writer = EmbeddedRedis(directory)
    args = [*writer.server_args(), "--enable-debug-command", "yes", "--aof-use-rdb-preamble", "no"]
    server = subprocess.Popen(args, cwd=directory, stdout=subprocess.DEVNULL)
    try:
        _wait(lambda: answers(writer.socket_path))
        client = redis.Redis(unix_socket_path=str(writer.socket_path))
        client.execute_command("DEBUG", "POPULATE", KEYS, "tawasul:dialogue", 100)
        client.bgrewriteaof()

        def rewritten() -> bool:
            info = client.info("persistence")
            return not (info["aof_rewrite_in_progress"] or info["aof_rewrite_scheduled"])

        _wait(rewritten)
        client.shutdown()  # what a stopping `make run` leaves behind
    finally:
        server.wait(timeout=60)
    (directory / PIDFILE).unlink(missing_ok=True)
    return directory


@pytest.fixture
def directory(written: Path, tmp_path: Path) -> Iterator[Path]:
    copy = tmp_path / "redis"
    shutil.copytree(written, copy)
    yield copy
    # whatever server still runs there (by the pid it wrote, never by name)
    try:
        pid = int((copy / PIDFILE).read_text())
    except (OSError, ValueError):
        return
    if running(pid):
        os.kill(pid, signal.SIGKILL)


def _drafts(embedded: EmbeddedRedis) -> int:
    client = redis.Redis(unix_socket_path=str(embedded.socket_path))
    try:
        return int(client.dbsize())
    finally:
        client.close()


def _server_pid(embedded: EmbeddedRedis) -> int:
    client = redis.Redis(unix_socket_path=str(embedded.socket_path))
    try:
        return int(client.info("server")["process_id"])
    finally:
        client.close()


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.embedded_redis_start.START_TIMEOUT_S", 0.3)
    monkeypatch.setattr("bot.embedded_redis_start.LOAD_TIMEOUT_S", 120.0)


@pytest.mark.usefixtures("quick")
def test_the_starting_process_waits_for_a_server_loading_its_file(
    directory: Path, caplog: pytest.LogCaptureFixture
) -> None:
    embedded = EmbeddedRedis(directory, client_name="tawasul-starter")
    began = time.monotonic()
    with caplog.at_level(logging.WARNING, "bot.embedded_redis"):
        assert embedded.start_or_join()  # before: killed at 0.3 s, EmbeddedRedisError
    took = time.monotonic() - began
    assert took > 0.3, f"the file loaded too fast to test anything ({took:.2f} s)"
    assert embedded._process is not None and embedded._process.poll() is None
    assert _drafts(embedded) == KEYS  # every draft read back
    assert any("is loading its append-only file" in r.getMessage() for r in caplog.records)
    embedded._drop_anchor()


@pytest.mark.usefixtures("quick")
def test_a_joining_process_waits_for_the_server_another_left_loading(directory: Path) -> None:
    """The process that started the server died as it loaded (a `make run` stopped at
    start, a worker killed): the server lives on in its own session, and the next process
    finds it silent but for -LOADING. It joins it when loaded, never starting a second."""
    starter = EmbeddedRedis(directory, client_name="tawasul-gone")
    server = subprocess.Popen(
        starter.server_args(), cwd=directory, stdout=subprocess.DEVNULL, start_new_session=True
    )
    (directory / PIDFILE).write_text(f"{server.pid}\n")
    try:
        _wait(lambda: state(starter.socket_path) == "loading", within_s=10)
        joiner = EmbeddedRedis(directory, client_name="tawasul-joiner")
        assert not joiner.start_or_join()  # before: EmbeddedRedisError after 0.3 s
        assert joiner._process is None  # joined, not started
        assert _server_pid(joiner) == server.pid
        assert _drafts(joiner) == KEYS
        joiner._drop_anchor()
    finally:
        server.kill()
        server.wait()


def test_past_the_load_bound_start_up_fails_and_the_server_is_left_to_finish(
    directory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.embedded_redis_start.START_TIMEOUT_S", 0.3)
    monkeypatch.setattr("bot.embedded_redis_start.LOAD_TIMEOUT_S", 0.05)
    first = EmbeddedRedis(directory, client_name="tawasul-first")
    with pytest.raises(EmbeddedRedisError, match="still loading its append-only file"):
        first.start_or_join()
    assert first._process is not None
    assert first._process.poll() is None  # alive: not killed mid-load
    # the next start (the bound as deployed) joins the same server once it has loaded
    monkeypatch.setattr("bot.embedded_redis_start.LOAD_TIMEOUT_S", 120.0)
    second = EmbeddedRedis(directory, client_name="tawasul-second")
    assert not second.start_or_join()
    assert _server_pid(second) == first._process.pid
    assert _drafts(second) == KEYS
    second._drop_anchor()
