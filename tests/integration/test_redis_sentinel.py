"""The bot on a Redis behind Sentinel follows a failover: real redis-server processes on
loopback (a master, a replica, two sentinels), SENTINEL FAILOVER in the middle of a
resident's request, and the next turns go on from where the person was, nothing lost.

While the failover lasts the master takes no writes (``min-replicas-to-write 1``: the new
master has no replica until the sentinels demote the old one, about ten seconds later); the
bot retries each write for about 20 s (bot/redis_ha.py) and then answers with the apology,
which asks the person to send their message again. Which of the two a turn meets depends on
how fast the sentinels move: a sentinel whose clock jumped or that was not scheduled for 2 s
enters TILT and does nothing for 30 s, the old master not demoted meanwhile. So the test
asserts what a person notices either way: every message is answered, either with the
next step or with the apology, and a message sent again after an apology takes them on, so
that both finish with everything they gave in their filed request."""

from __future__ import annotations

import asyncio
import itertools
import signal
import time
from collections.abc import Awaitable, Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from redis.asyncio import Redis as AsyncRedis
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.app import build_services
from bot.db.models import Request
from bot.redis_store.dialogue import RedisDialogueStore
from bot.settings import Settings, SettingsError, load_settings
from conversations.engine import apology
from conversations.events import Event, Reply
from domain.normalize import clean_input
from tests.redis_topologies import SERVICE, SentinelSet
from tests.unit.conversations.fakes import Chat

IDENTITIES = ("2000000006", "1000000008")
PHONES = ("+966501112223", "+966503334445")
WORDS = "لا أستطيع الدخول إلى أبشر منذ أسبوع"
APOLOGY = clean_input(apology("ar"))
#: How long a person keeps sending a message again after apologies (seconds): far more than
#: a failover takes, even a second one on a loaded machine.
PATIENCE_S = 90.0


@pytest.fixture
def sentinels() -> Iterator[SentinelSet]:
    made = SentinelSet.start()
    try:
        yield made
    finally:
        made.stop()


async def answered(chat: Chat, send: Callable[[], Awaitable[object]], goes_on: str) -> str:
    """Sends a message as a person does: when the answer is the apology, sends it again
    (as the apology asks) until the answer says ``goes_on``; any other answer fails.
    Returns the answer that went on."""
    deadline = time.monotonic() + PATIENCE_S
    while True:
        await send()
        said = clean_input(chat.said)
        if goes_on in said:
            return said
        assert said == APOLOGY, f"neither the next step ({goes_on!r}) nor the apology: {said}"
        assert time.monotonic() < deadline, f"still the apology after {PATIENCE_S:.0f} s"
        await asyncio.sleep(0.5)  # the person reads the apology before sending again


@pytest.mark.timeout(300)
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
            assert "مشاركة رقمي" in chat.said, chat.said

        await asyncio.to_thread(sentinels.failover)
        started = time.monotonic()
        # at once, while the old master is not yet demoted: neither master takes the phone
        # until the new one has a replica; each is answered when it does (or with the
        # apology, and the person sends it again)
        await asyncio.gather(
            *(
                answered(chat, partial(chat.contact, phone), "يُرجى وصف طلبك")
                for chat, phone in zip(people, PHONES, strict=True)
            )
        )
        first_turn_s = time.monotonic() - started
        numbers = []
        for chat, identity in zip(people, IDENTITIES, strict=True):
            await answered(chat, partial(chat.text, WORDS), "الآن إرسال صور")
            photo = partial(chat.media, ref=f"photo-{chat.user}")
            await answered(chat, photo, "وصلتني الصورة")
            summary = await answered(chat, partial(chat.tap, "done"), "يُرجى مراجعة طلبك")
            # the identity number given to the first master is in the summary
            assert identity in summary, summary
            said = await answered(chat, partial(chat.tap, "confirm"), "رقم الطلب: ")
            numbers.append(said.split("رقم الطلب: ")[1][:10])

        async with one.sessions() as session:
            rows = (
                (await session.execute(select(Request).options(selectinload(Request.attachments))))
                .scalars()
                .all()
            )
        # filed once each, with all the person gave: the identity number (before the
        # failover), the phone (at it), the words and the one photo (after it)
        assert sorted(
            (
                r.number,
                r.identity_number,
                r.phone,
                r.description,
                [a.channel_ref for a in r.attachments],
            )
            for r in rows
        ) == sorted(
            (number, identity, phone, WORDS, [f"photo-{chat.user}"])
            for number, identity, phone, chat in zip(
                numbers, IDENTITIES, PHONES, people, strict=True
            )
        )

        # once the sentinels have settled, the master they name is one and the other node
        # replicates it: nowhere else can a write land
        await asyncio.to_thread(sentinels.wait_settled)
        # the status of each request, asked after the failover, is answered
        for chat, number in zip(people, numbers, strict=True):
            await answered(chat, partial(chat.command, "start"), "أهلًا بك")
            await answered(chat, partial(chat.text, number), f"الطلب رقم {number}")
        print(f"\nfirst turns after SENTINEL FAILOVER took {first_turn_s:.1f} s")


async def test_a_turn_is_answered_once_the_replica_holds_it(
    tmp_path: Path, sentinels: SentinelSet
) -> None:
    """Redis replicates asynchronously and a failover promotes the replica, so a turn
    answered while only the master held its state could be undone by one. Behind Sentinel
    the bot answers once the replica holds it: with the replica stopped (SIGSTOP) the turn's
    state is on the master and the person has no answer yet; once the replica runs again
    they have the next step, and the replica holds it."""
    settings = Settings(data_dir=tmp_path, redis_sentinels=sentinels.setting, redis_service=SERVICE)
    master = AsyncRedis(host="127.0.0.1", port=sentinels.master.port)
    replica = AsyncRedis(host="127.0.0.1", port=sentinels.replica.port)
    on_master, on_replica = RedisDialogueStore(master), RedisDialogueStore(replica)
    stopped = sentinels.replica.process
    assert stopped is not None
    try:
        async with build_services(settings) as services:
            store = services.engine.store
            assert isinstance(store, RedisDialogueStore)
            store.replica_wait_s = PATIENCE_S  # the replica is let go below, after the check
            chat = Chat(services.engine.handle, channel="telegram", user="5003")
            await chat.command("start")
            before = (await on_master.load("telegram", "5003")).version
            stopped.send_signal(signal.SIGSTOP)
            try:
                turn = asyncio.create_task(chat.tap("ind"))
                deadline = time.monotonic() + PATIENCE_S
                while (await on_master.load("telegram", "5003")).version == before:
                    assert time.monotonic() < deadline, "the turn never reached the master"
                    await asyncio.sleep(0.05)
                # the state is on the master: the person must still be waiting
                await asyncio.wait({turn}, timeout=1.0)
                assert not turn.done(), "answered while only the master held the turn"
            finally:
                stopped.send_signal(signal.SIGCONT)
            await asyncio.wait_for(turn, PATIENCE_S)
            assert "ما الخدمة المطلوبة" in clean_input(chat.said), chat.said
            saved = await on_master.load("telegram", "5003")
            assert saved.version > before
            assert (await on_replica.load("telegram", "5003")).to_json() == saved.to_json()
    finally:
        await master.aclose()
        await replica.aclose()


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
