"""The dialogue store on a real Redis: compare-and-set, event ids claimed once, sliding TTL."""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from bot.redis_store.dialogue import RedisDialogueStore
from conversations.engine import Engine
from conversations.events import Origin, Text
from conversations.flows.intake import INTAKE
from conversations.state import DialogueState
from domain.catalogue import load_catalogue
from tests.unit.conversations.fakes import MemoryGateway

# on a standalone Redis and on the embedded server alike
pytestmark = pytest.mark.redis_both


async def test_stale_write_is_refused_and_fresh_one_lands(redis_client: Redis) -> None:
    store = RedisDialogueStore(redis_client)
    first = await store.load("telegram", "42")
    second = await store.load("telegram", "42")
    first.answers["identity"] = "2000000006"
    second.answers["description"] = "written on another worker"
    assert await store.save("telegram", "42", first)
    assert not await store.save("telegram", "42", second)
    assert second.version == 0  # untouched, so the caller can re-run on fresh state
    stored = await store.load("telegram", "42")
    assert stored.answers == {"identity": "2000000006"} and stored.version == 1


async def test_event_id_is_claimed_once_until_released(redis_client: Redis) -> None:
    store = RedisDialogueStore(redis_client)
    claimed, state = await store.claim_and_load("telegram", "42", "1001")
    assert claimed
    state.mark_handled("1001")
    # the claim is turned done by the same write as the state
    assert await store.save("telegram", "42", state, done="1001")
    assert await redis_client.get("tawasul:evt:{telegram:42}:1001") == b"1"
    assert not (await store.claim_and_load("telegram", "42", "1001"))[0]
    # done stays done when the dialogue key has expired since (an old redelivery)
    await redis_client.delete("tawasul:dlg:{telegram:42}")
    assert not (await store.claim_and_load("telegram", "42", "1001"))[0]
    await store.release("telegram", "42", "1001")
    assert (await store.claim_and_load("telegram", "42", "1001"))[0]


async def test_an_event_the_state_says_was_handled_is_a_duplicate_without_its_claim(
    redis_client: Redis,
) -> None:
    """A redelivery whose claim is gone (or was named the way an older release named it,
    across a rolling upgrade) is still not handled twice."""
    store = RedisDialogueStore(redis_client)
    claimed, state = await store.claim_and_load("telegram", "42", "1001")
    assert claimed
    state.mark_handled("1001")
    assert await store.save("telegram", "42", state, done="1001")
    await redis_client.delete("tawasul:evt:{telegram:42}:1001")
    assert not (await store.claim_and_load("telegram", "42", "1001"))[0]


async def test_a_claim_whose_process_died_before_saving_is_taken_over(
    redis_client: Redis,
) -> None:
    """SIGKILL between the claim and the save: the webhook journal replays the update, and
    it must be handled, not dropped as a duplicate."""
    store = RedisDialogueStore(redis_client)
    assert (await store.claim_and_load("telegram", "42", "1001"))[0]
    # the claiming process is gone: nothing saved, the claim left busy
    claimed, state = await store.claim_and_load("telegram", "42", "1001")
    assert claimed
    # died after saving but before marking the claim done: the saved turn says done
    state.mark_handled("1001")
    assert await store.save("telegram", "42", state)
    assert not (await store.claim_and_load("telegram", "42", "1001"))[0]


async def test_a_replayed_turn_is_answered_once_by_the_engine(redis_client: Redis) -> None:
    """Engine level: a turn claimed by a dead process is handled on replay, and the same
    update handled again after that is silent."""
    engine = Engine(RedisDialogueStore(redis_client), INTAKE, load_catalogue(), MemoryGateway())
    await engine.handle(Text(Origin("telegram", "7", "u1"), "/start"))
    # a process claimed «فرد» and was killed before saving its turn
    assert (await RedisDialogueStore(redis_client).claim_and_load("telegram", "7", "u2"))[0]
    replayed = await engine.handle(Text(Origin("telegram", "7", "u2"), "فرد"))
    assert replayed, "the replayed turn was dropped as a duplicate"
    state = await RedisDialogueStore(redis_client).load("telegram", "7")
    assert state.answers.get("applicant") == "individual"
    assert await engine.handle(Text(Origin("telegram", "7", "u2"), "فرد")) == []
    assert (await RedisDialogueStore(redis_client).load("telegram", "7")).version == state.version


async def test_every_write_slides_the_ttl(redis_client: Redis) -> None:
    store = RedisDialogueStore(redis_client, ttl_s=120)
    state = DialogueState(step="identity")
    assert await store.save("console", "me", state)
    key = "tawasul:dlg:{console:me}"
    await redis_client.expire(key, 5)
    assert await store.save("console", "me", state)
    assert 100 < await redis_client.ttl(key) <= 120


async def test_racing_workers_lose_no_answer(redis_client: Redis) -> None:
    """Two engines (two workers) handle one person's messages at the same moment."""
    gateway = MemoryGateway()
    engines = [
        Engine(RedisDialogueStore(redis_client), INTAKE, load_catalogue(), gateway)
        for _ in range(2)
    ]
    await engines[0].handle(Text(Origin("telegram", "7", "u1"), "/start"))
    texts = ["فرد", "ابي اجدد اقامتي"]
    # both arrive together; whichever runs second must see the first one's answer
    await asyncio.gather(
        *(
            e.handle(Text(Origin("telegram", "7", f"u{i + 2}"), t))
            for i, (e, t) in enumerate(zip(engines, texts, strict=True))
        )
    )
    state = await RedisDialogueStore(redis_client).load("telegram", "7")
    assert state.version >= 3
    assert state.answers.get("applicant") == "individual"


async def test_a_turn_costs_two_redis_round_trips(redis_client: Redis) -> None:
    """Issue 12: the claim with the state and language in one script (a pipeline of
    three commands before it: the same round trip, twice the client's CPU), then the
    compare-and-set that also marks the claim done; nothing else per turn, the Telegram
    share-my-number keyboard included (it lives in the state)."""
    engine = Engine(RedisDialogueStore(redis_client), INTAKE, load_catalogue(), MemoryGateway())
    # the server learns the script once (a first EVALSHA, SCRIPT LOAD): not per turn
    await redis_client.script_flush()
    assert await engine.handle(Text(Origin("telegram", "7", "u"), "/start"))
    sent: list[object] = []
    single = redis_client.execute_command

    async def counted(*args: object, **options: object) -> object:
        sent.append(args[0])
        return await single(*args, **options)

    redis_client.execute_command = counted  # type: ignore[method-assign]
    execute = type(redis_client.pipeline()).execute

    async def counted_pipeline(pipe: object, raise_on_error: bool = True) -> object:
        sent.append("pipeline")
        return await execute(pipe, raise_on_error)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(type(redis_client.pipeline()), "execute", counted_pipeline)
        for i, text in enumerate(("فرد", "ابي اجدد اقامتي", "رجوع")):
            before = len(sent)
            assert await engine.handle(Text(Origin("telegram", "7", f"u{i}"), text))
            assert sent[before:] == ["EVALSHA", "EVALSHA"]
