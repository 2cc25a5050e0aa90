"""The account's language on a real Redis: its own key, no TTL, read in the same round
trip as the dialogue and written by the same compare-and-set."""

from __future__ import annotations

import asyncio
import datetime as dt
import time

import pytest
from redis.asyncio import Redis

from bot.redis_store.dialogue import RedisDialogueStore
from conversations.engine import Engine
from conversations.events import Origin, Text
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue
from tests.unit.conversations.fakes import MemoryGateway

# on a standalone Redis and on the embedded server alike
pytestmark = pytest.mark.redis_both

KEY = "tawasul:locale:{telegram:77}"


async def test_a_chosen_language_is_kept_without_expiry(redis_client: Redis) -> None:
    store = RedisDialogueStore(redis_client, ttl_s=120)
    state = await store.load("telegram", "77")
    state.locale = "en"
    assert await store.save("telegram", "77", state, remember_locale=True)
    assert await redis_client.get(KEY) == b"en"
    assert await redis_client.ttl(KEY) == -1  # no TTL: it outlives the draft
    await redis_client.delete("tawasul:dlg:{telegram:77}")  # the draft expired
    claimed, fresh = await store.claim_and_load("telegram", "77", "e-1")
    assert claimed and fresh.locale == "en" and fresh.step == ""


async def test_the_account_language_wins_over_an_older_draft(redis_client: Redis) -> None:
    store = RedisDialogueStore(redis_client)
    draft = await store.load("telegram", "78")
    draft.step = "identity"  # saved in Arabic
    assert await store.save("telegram", "78", draft)
    await redis_client.set("tawasul:locale:{telegram:78}", "en")  # chosen on another worker
    assert (await store.load("telegram", "78")).locale == "en"
    assert (await store.claim_and_load("telegram", "78", "e-2"))[1].locale == "en"


async def test_a_refused_write_does_not_change_the_language(redis_client: Redis) -> None:
    store = RedisDialogueStore(redis_client)
    first = await store.load("telegram", "79")
    stale = await store.load("telegram", "79")
    assert await store.save("telegram", "79", first)
    stale.locale = "en"
    assert not await store.save("telegram", "79", stale, remember_locale=True)
    assert await redis_client.get("tawasul:locale:{telegram:79}") is None


async def test_an_ordinary_turn_writes_no_language(redis_client: Redis) -> None:
    engine = Engine(RedisDialogueStore(redis_client), INTAKE, load_catalogue(), MemoryGateway())
    await engine.handle(Text(Origin("telegram", "80", "u1"), "/start"))
    assert await redis_client.get("tawasul:locale:{telegram:80}") is None
    replies = await engine.handle(Text(Origin("telegram", "80", "u2"), "English"))
    assert replies[0].text == "I'll continue in English."
    # chosen in so many words: kept as a choice (conversations.store.locale_value)
    assert await redis_client.get("tawasul:locale:{telegram:80}") == b"en:chosen"


async def test_a_chosen_language_is_still_a_choice_once_the_draft_expired(
    redis_client: Redis,
) -> None:
    """Found by the fresh-clone tester: after the draft's TTL a chosen English counted as
    read from words, and the person's first Arabic words switched everything to Arabic."""
    clock = [dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)]
    engine = Engine(
        RedisDialogueStore(redis_client), INTAKE, load_catalogue(), MemoryGateway(),
        clock=lambda: clock[0],
    )  # fmt: skip
    await engine.handle(Text(Origin("telegram", "81", "u1"), "/start"))
    await engine.handle(Text(Origin("telegram", "81", "u2"), "English"))
    # the draft's own TTL runs out (a day without a word), as Redis expires it
    draft = "tawasul:dlg:{telegram:81}"
    assert await redis_client.pexpire(draft, 1)
    deadline = time.monotonic() + 30
    while await redis_client.exists(draft):
        assert time.monotonic() < deadline, "the draft did not expire"
        await asyncio.sleep(0.01)
    clock[0] += dt.timedelta(hours=25)
    replies = await engine.handle(
        Text(Origin("telegram", "81", "u3"), "السلام عليكم ابي اجدد اقامتي")
    )
    said = "\n".join(r.text for r in replies)
    assert "Is this the service you need?" in said  # the iqama's alone (tester 14 §1)
    assert "كتابة «عربي»" in said  # the way to Arabic is offered, not taken
    assert await redis_client.get("tawasul:locale:{telegram:81}") == b"en:chosen"
