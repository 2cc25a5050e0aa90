"""The bot on a Redis behind Sentinel follows a failover: real redis-server processes on
loopback (a master, a replica, two sentinels), SENTINEL FAILOVER in the middle of a
resident's request, and the next turns go on from where the person was, nothing lost."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import build_services
from bot.db.models import Request
from bot.settings import Settings, SettingsError, load_settings
from conversations.events import Event, Reply
from domain.normalize import clean_input
from tests.redis_topologies import SERVICE, SentinelSet
from tests.unit.conversations.fakes import Chat

IDENTITIES = ("2000000006", "1000000008")
PHONES = ("+966501112223", "+966503334445")
WORDS = "لا أستطيع الدخول إلى أبشر منذ أسبوع"


@pytest.fixture
def sentinels() -> Iterator[SentinelSet]:
    made = SentinelSet.start()
    try:
        yield made
    finally:
        made.stop()


async def test_a_request_goes_on_across_a_failover(tmp_path: Path, sentinels: SentinelSet) -> None:
    """Two workers (two stacks on the same sentinels and database); each resident's turns
    alternate between them, and both residents write at once right after the failover."""
    settings = Settings(data_dir=tmp_path, redis_sentinels=sentinels.setting, redis_service=SERVICE)
    async with build_services(settings) as one, build_services(settings) as two:
        turns = itertools.count()

        async def either(event: Event) -> list[Reply]:
            worker = (one, two)[next(turns) % 2]
            return await worker.engine.handle(event)

        people = [Chat(either, channel="telegram", user=u) for u in ("5001", "5002")]
        for chat, identity in zip(people, IDENTITIES, strict=True):
            await chat.command("start")
            await chat.tap("ind")
            await chat.text("مشكلة تقنية في ابشر")
            await chat.tap("s:technical_issue")
            await chat.text(identity)  # answered on the first master
            assert "s:" not in " ".join(chat.choice_ids)

        old, new = await asyncio.to_thread(sentinels.failover)
        started = time.monotonic()
        # at once, while the old master is not yet demoted: the phones are taken on the new
        # master (the old one refuses writes, having lost its replica) and the step is the
        # one after the phone, so the identity given before the failover was kept
        await asyncio.gather(
            *(chat.contact(phone) for chat, phone in zip(people, PHONES, strict=True))
        )
        first_turn_s = time.monotonic() - started
        numbers = []
        for chat in people:
            await chat.text(WORDS)
            await chat.media(ref=f"photo-{chat.user}")
            await chat.tap("done")
            await chat.tap("confirm")
            said = clean_input(chat.said)
            assert "رقم الطلب: " in said, said
            numbers.append(said.split("رقم الطلب: ")[1][:10])

        async with one.sessions() as session:
            rows = (await session.execute(select(Request))).scalars().all()
        # filed once each, with the identity number given to the first master
        assert sorted((r.number, r.identity_number) for r in rows) == sorted(
            zip(numbers, IDENTITIES, strict=True)
        )

        # once the sentinels have demoted the old master it replicates the new one: what the
        # person gave is there and nowhere else did a write land
        def demoted() -> bool:
            with old.client() as node:
                info = node.info("replication")
                return bool(info["role"] == "slave" and info.get("master_link_status") == "up")

        await asyncio.to_thread(_until, demoted)
        with new.client() as node:
            assert node.info("replication")["role"] == "master"
        # the status of each request, asked after the failover, is answered
        for chat, number in zip(people, numbers, strict=True):
            await chat.command("start")
            await chat.text(number)
            assert f"الطلب رقم {number}" in clean_input(chat.said)
        print(f"\nfirst turns after SENTINEL FAILOVER took {first_turn_s:.1f} s")


def _until(ready: object, timeout_s: float = 30.0) -> None:
    assert callable(ready)
    deadline = time.monotonic() + timeout_s
    while not ready():
        assert time.monotonic() < deadline, "the old master was not demoted"
        time.sleep(0.2)


def test_settings_name_the_sentinels_and_the_master(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        redis_sentinels="10.0.0.5:26379, [fd00::7]:26380",
        redis_service="tawasul",
        redis_password="s3cret",
    )
    target = settings.redis_sentinel_target
    assert target is not None
    assert target.nodes == (("10.0.0.5", 26379), ("fd00::7", 26380))
    assert (target.service, target.password) == ("tawasul", "s3cret")
    assert Settings(data_dir=tmp_path).redis_sentinel_target is None


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"TAWASUL_REDIS_SENTINELS": "10.0.0.5:26379"}, "TAWASUL_REDIS_SERVICE is invalid"),
        ({"TAWASUL_REDIS_SENTINELS": "10.0.0.5"}, "TAWASUL_REDIS_SENTINELS is invalid"),
        ({"TAWASUL_REDIS_SENTINELS": "a:1,b:99999"}, "'b:99999' is not host:port"),
    ],
)
def test_a_sentinel_setting_left_half_done_stops_start_up(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, env: dict[str, str], says: str
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as stopped:
        load_settings()
    assert says in str(stopped.value)
