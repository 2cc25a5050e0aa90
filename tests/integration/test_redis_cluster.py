"""The bot on a real three-master Redis Cluster (loopback), and `tawasul redis
migrate-keys`, which moves the keys of an earlier version to their hash-tagged names."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis.asyncio import Redis, RedisCluster
from redis.crc import key_slot
from sqlalchemy import select

from bot.app import build_services
from bot.cli import main
from bot.db.models import Request
from bot.redis_migrate import migrate_keys
from bot.redis_store.dialogue import RedisDialogueStore
from bot.settings import Settings, SettingsError, load_settings
from bot.webhook_journal import Journal
from domain.normalize import clean_input
from tests.redis_topologies import ClusterSet
from tests.unit.conversations.fakes import Chat

IDENTITY, PHONE = "2000000006", "+966501112223"


@pytest.fixture(scope="module")
def cluster() -> Iterator[ClusterSet]:
    made = ClusterSet.start()
    try:
        yield made
    finally:
        made.stop()


async def test_a_resident_files_and_asks_on_a_cluster(tmp_path: Path, cluster: ClusterSet) -> None:
    settings = Settings(data_dir=tmp_path, redis_url=cluster.url, redis_cluster=True)
    async with build_services(settings) as services:
        assert isinstance(services.redis, RedisCluster)
        people = [Chat(services.engine.handle, channel="telegram", user=str(u)) for u in (7, 8)]
        numbers = []
        for chat in people:
            await chat.command("start")
            await chat.text("English")  # the state and the language, one script, one slot
            await chat.tap("ind")
            await chat.text("technical problem in absher")
            await chat.tap("s:technical_issue")
            await chat.text(IDENTITY)
            await chat.contact(PHONE)
            await chat.text("I cannot log in to Absher since last week")
            await chat.media(ref="photo-1")
            await chat.tap("done")
            await chat.tap("confirm")
            said = clean_input(chat.said)
            assert "Request number: " in said, said
            numbers.append(said.split("Request number: ")[1][:10])
        # a wrong identity for someone else's request: the attempts script ({att} keys)
        stranger = Chat(services.engine.handle, channel="telegram", user="9")
        await stranger.command("status")  # none of their own: the number is asked for
        await stranger.text(numbers[0])
        await stranger.text("1010101010")
        assert f"الطلب رقم {numbers[0]}" not in clean_input(stranger.said)
        assert [k async for k in services.redis.scan_iter(match="tawasul:fail:*")]
        # the owner asks for the status in the language they chose
        await people[0].command("start")
        await people[0].text(numbers[0])
        assert f"Request {numbers[0]}" in clean_input(people[0].said)

        # the inbound guard on the cluster: its pipeline over several slots, the block list
        # read back from SQL, the limits library's window on our cluster client
        assert services.guard is not None
        for _ in range(3):
            assert (await services.guard.screen("telegram", "7")).admit
        assert [k async for k in services.redis.scan_iter(match="tawasul:lim*")]
        # the day's filing windows, one script per key (bot.abuse.filing)
        assert [k async for k in services.redis.scan_iter(match="tawasul:filings:id:*")]

        async with services.sessions() as session:
            filed = (await session.execute(select(Request.number))).scalars().all()
        assert sorted(filed) == sorted(numbers)
        # the two people's keys live in different slots, each person's in one
        store = RedisDialogueStore(services.redis)
        tags = [store._state_key("telegram", u) for u in ("7", "8")]
        assert key_slot(tags[0].encode()) != key_slot(tags[1].encode())
        for user in ("7", "8"):
            assert (await store.load("telegram", user)).locale == "en"


async def test_the_webhook_journal_works_on_a_cluster(cluster: ClusterSet) -> None:
    client = RedisCluster.from_url(cluster.url)
    try:
        journal = Journal(client, "tawasul:{tg:inbox}")  # type: ignore[arg-type]
        assert await journal.keep(b"{}", 1, "5001") == "5001"
        assert await journal.keep(b"{}", 1, "5001") is None  # journalled once
        await journal.done("5001", remember=True)  # the marker and the HDEL: one transaction
        assert await journal.handled("5001")
        assert await journal.keep(b"{}", 1, "5001") is None
    finally:
        await client.aclose()


# ------------------------------------------------------------------ migrate-keys

# What the version before the hash tags left in Redis: (old name, value, TTL in s or None)
OLD = {
    "tawasul:dlg:telegram:77": (b'{"flow": "intake", "step": "identity", "version": 4}', 3600),
    "tawasul:locale:telegram:77": (b"en", None),
    "tawasul:kbd:telegram:77": (b"1", 7 * 24 * 3600),
    "tawasul:locale:whatsapp:966501112223": (b"en", None),
    "tawasul:wa:last_inbound:966501112223": (b"1764550000", 7200),
    "tawasul:wa:wa_id:966501112223": (b"966501112223", 7200),
    "tawasul:wa:menu:966501112223:ab12": (b"[]", 600),
}
NEW = {
    "tawasul:dlg:telegram:77": "tawasul:dlg:{telegram:77}",
    "tawasul:locale:telegram:77": "tawasul:locale:{telegram:77}",
    "tawasul:kbd:telegram:77": "tawasul:kbd:{telegram:77}",
    "tawasul:locale:whatsapp:966501112223": "tawasul:locale:{whatsapp:966501112223}",
    "tawasul:wa:last_inbound:966501112223": "tawasul:wa:last_inbound:{whatsapp:966501112223}",
    "tawasul:wa:wa_id:966501112223": "tawasul:wa:wa_id:{whatsapp:966501112223}",
    "tawasul:wa:menu:966501112223:ab12": "tawasul:wa:menu:{whatsapp:966501112223}:ab12",
}


async def _write_old(redis: Redis) -> None:
    for name, (value, ttl) in OLD.items():
        await redis.set(name, value, ex=ttl)
    await redis.hset("tawasul:tg:inbox", "5001", b'{"update_id": 5001}')
    await redis.set("tawasul:tg:inbox:done:5000", b"1", ex=86400)
    # a person who already wrote under the new name: theirs is newer and stays
    await redis.set("tawasul:locale:telegram:78", b"en")
    await redis.set("tawasul:locale:{telegram:78}", b"ar")


async def _check_moved(redis: Redis) -> None:
    for old, new in NEW.items():
        value, ttl = OLD[old]
        assert await redis.get(new) == value, new
        assert not await redis.exists(old)
        left = await redis.ttl(new)
        assert (left == -1) if ttl is None else (ttl - 60 < left <= ttl), (new, left)
    assert await redis.hgetall("tawasul:{tg:inbox}") == {b"5001": b'{"update_id": 5001}'}
    assert await redis.exists("tawasul:{tg:inbox}:done:5000")
    assert await redis.get("tawasul:locale:{telegram:78}") == b"ar"
    assert not await redis.exists("tawasul:locale:telegram:78")
    # the bot reads what was moved: the language chosen before the upgrade, the draft
    state = await RedisDialogueStore(redis).load("telegram", "77")
    assert (state.locale, state.step, state.version) == ("en", "identity", 4)
    assert (await RedisDialogueStore(redis).load("whatsapp", "966501112223")).locale == "en"


async def test_migrate_keys_moves_the_old_names_once(redis_client: Redis) -> None:
    await _write_old(redis_client)
    done = await migrate_keys(redis_client)
    assert done.total == len(OLD) + 2  # and the journal, and its done marker
    assert done.kept_newer == {"tawasul:locale:*": 1}
    await _check_moved(redis_client)
    again = await migrate_keys(redis_client)
    assert (again.total, again.kept_newer) == (0, {})
    await _check_moved(redis_client)


async def test_migrate_keys_on_a_cluster(cluster: ClusterSet) -> None:
    client = RedisCluster.from_url(cluster.url)
    redis: Redis = client  # type: ignore[assignment]  # the commands used are shared
    try:
        await client.flushall(target_nodes=RedisCluster.PRIMARIES)
        await _write_old(redis)
        # the old names are spread over the nodes: SCAN must visit every master
        nodes = {client.get_node_from_key(name).name for name in OLD}
        assert len(nodes) > 1
        assert (await migrate_keys(redis)).total == len(OLD) + 2
        await _check_moved(redis)
        assert (await migrate_keys(redis)).total == 0
    finally:
        await client.aclose()


def test_the_command_says_what_it_moved(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    standalone_redis_url: str,
) -> None:
    import redis as sync_redis

    with sync_redis.Redis.from_url(standalone_redis_url) as plain:
        plain.flushdb()
        plain.set("tawasul:locale:telegram:77", b"en")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TAWASUL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TAWASUL_REDIS_URL", standalone_redis_url)
    main(["redis", "migrate-keys"])
    out = capsys.readouterr().out
    assert out.startswith("1 keys moved to their new names"), out
    main(["redis", "migrate-keys"])
    assert capsys.readouterr().out.startswith("0 keys moved"), out
    with sync_redis.Redis.from_url(standalone_redis_url) as plain:
        assert plain.get("tawasul:locale:{telegram:77}") == b"en"


def test_a_cluster_needs_a_node_to_start_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in [n for n in os.environ if n.startswith("TAWASUL_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("TAWASUL_REDIS_CLUSTER", "1")
    with pytest.raises(SettingsError) as stopped:
        load_settings()
    assert "TAWASUL_REDIS_CLUSTER is invalid: Value error, needs TAWASUL_REDIS_URL" in str(
        stopped.value
    )
