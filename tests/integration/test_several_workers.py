"""Two webhook workers (two apps, each with its own dispatcher, channel, queue and journal
view) on one real Redis and one SQLite database, as two `tawasul run` processes behind a
load balancer: what a person depends on is shared, whichever worker takes an update."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.channels.telegram_webhook import HOOK_KEY, JOURNAL_KEY
from conversations.events import Event, Reply
from tests.integration.test_telegram_webhook import OMAR, SARA, Harness, Worker, h

__all__ = ["h"]  # the fixture, shared with the single-worker tests


async def _say(w: Worker, h: Harness, raw: dict[str, Any]) -> None:
    assert (await w.post(raw)).status == 200
    await w.settle()


async def test_the_share_my_number_keyboard_is_taken_away_by_the_other_worker(
    h: Harness,
) -> None:
    a, b = await h.worker(), await h.worker()
    for raw in (
        h.updates.text(SARA, "/start"),
        h.updates.callback(SARA, "ind"),
        h.updates.text(SARA, "ابي اجدد اقامتي"),
        h.updates.callback(SARA, "s:iqama_renew"),
        h.updates.callback(SARA, "q:inside"),
        h.updates.text(SARA, "2000000006"),
    ):
        await _say(a, h, raw)
    asked = h.api.calls_for(SARA.id, "sendMessage")[-1].params["reply_markup"]
    assert any(b.get("request_contact") for row in asked["keyboard"] for b in row)
    # the person goes back instead of sharing; the load balancer sends it to the other
    # worker, which must take the keyboard away from under the input field
    before = len(h.api.calls_for(SARA.id, "sendMessage"))
    await _say(b, h, h.updates.text(SARA, "رجوع"))
    after = [c.params for c in h.api.calls_for(SARA.id, "sendMessage")[before:]]
    assert after, "the person is answered"
    assert {"remove_keyboard": True} in [p.get("reply_markup") for p in after]
    # and once taken away, neither worker sends the removal again
    before = len(h.api.calls_for(SARA.id, "sendMessage"))
    await _say(a, h, h.updates.text(SARA, "2000000006"))
    await _say(a, h, h.updates.text(SARA, "رجوع"))
    again = [c.params for c in h.api.calls_for(SARA.id, "sendMessage")[before:]]
    assert [p.get("reply_markup") for p in again].count({"remove_keyboard": True}) == 1


LEASE_S = 0.5


async def test_an_update_accepted_by_a_worker_that_died_is_answered_by_a_live_one(
    h: Harness,
) -> None:
    b, c = await h.worker(lease_s=LEASE_S), await h.worker(lease_s=LEASE_S)
    await _say(b, h, h.updates.text(OMAR, "/start"))
    once = len(h.texts(OMAR))  # what one handling of /start shows a person
    # a worker accepts Sara's /start (journalled, 200) and dies before handling it
    dying = await h.worker(workers=0, lease_s=LEASE_S)
    assert (await dying.post(h.updates.text(SARA, "/start"))).status == 200
    # killed: its memory is gone, so it neither renews nor gives up its lease
    dying.app[HOOK_KEY].journal.pending.clear()
    await dying.client.close()
    assert h.texts(SARA) == []
    # the live workers, not restarted, replay it once its lease has run out: once
    async with asyncio.timeout(20):
        while len(h.texts(SARA)) < once:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
    await asyncio.sleep(4 * LEASE_S)  # time for a second handling, were there one
    await b.settle()
    await c.settle()
    assert len(h.texts(SARA)) == once
    assert await h.services.redis.hlen(JOURNAL_KEY) == 0


async def test_one_persons_updates_on_two_workers_are_handled_in_order(h: Harness) -> None:
    order: list[tuple[str, int]] = []
    begun = asyncio.Event()
    handle = h.services.engine.handle

    async def recorded(event: Event) -> list[Reply]:
        update_id = int(event.origin.event_id)
        order.append(("start", update_id))
        begun.set()
        if len(order) == 1:
            await asyncio.sleep(1.0)  # the first takes a while, as a photo download would
        try:
            return await handle(event)
        finally:
            order.append(("end", update_id))

    a, b = await h.worker(recorded), await h.worker(recorded)
    first, second = h.updates.text(SARA, "/start"), h.updates.text(SARA, "مساعدة")
    assert (await a.post(first)).status == 200
    async with asyncio.timeout(10):
        await begun.wait()  # A has begun with it
    assert (await b.post(second)).status == 200  # the balancer sends the next one to B
    await a.settle()
    await b.settle()
    one, two = first["update_id"], second["update_id"]
    # B waited for A: the help is read after the start, not in the middle of it
    assert order == [("start", one), ("end", one), ("start", two), ("end", two)]
    assert await h.services.redis.hlen(JOURNAL_KEY) == 0
    assert len(h.texts(SARA)) >= 2, "both are answered"
