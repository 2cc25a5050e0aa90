"""A webhook worker that dies at the worst moments, with a live one beside it (two apps on
one real Redis and SQLite, as two `tawasul run` processes): what bench/load.py's SIGKILL
found, each pinned down.

- killed after saving a turn and before sending its replies: the replay finds the turn
  saved, and must still answer (with those very replies, once);
- killed between two replies of a turn: the replay sends the ones not sent yet, not the
  ones the person has (bot.channels.sent_marks);
- killed holding the first photo of an album whose second photo went to the live worker:
  the second must not overtake the first, or the first comes after the request was
  filed and never reaches it; also when the dying worker was busy with that photo for
  longer than a waiter used to wait before it died (tests/e2e/test_load_faults.py's
  missing photo at load 14); and when the live worker's sweep queued that photo behind
  the second in its own queue (the second's wait must not wait for it behind itself);
  and when the dying worker had journalled that photo but not yet put it in the person's
  line, and Telegram delivered it again to the live worker.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable

from bench.harness import DESCRIPTION, new_photo
from bot.channels.telegram_webhook import HOOK_KEY, JOURNAL_KEY
from conversations.events import Event, Media, Reply
from conversations.stale_buttons import split_stamp
from standins.telegram_botapi import fake_file_id
from standins.telegram_updates import JSON
from tests.integration.test_telegram_webhook import OMAR, SARA, Harness, Worker, h
from tests.integration.webhook_steps import say, to_documents, until

__all__ = ["h"]

LEASE_S = 0.5


async def _at_documents_step(h: Harness, w: Worker) -> None:
    """Sara's request up to the documents question (the «Done» button)."""
    for raw in to_documents(h.updates, SARA, DESCRIPTION):
        await say(w, raw)
    asked = h.api.calls_for(SARA.id, "sendMessage")[-1].params["reply_markup"]
    assert "done" in [
        split_stamp(b["callback_data"])[0] for row in asked["inline_keyboard"] for b in row
    ]


def _killed(worker: Worker) -> None:
    """What SIGKILL leaves: the accepted bodies in the journal with leases nobody renews."""
    worker.app[HOOK_KEY].journal.pending.clear()


def _recording(h: Harness, order: list[str]) -> Callable[[Event], Awaitable[list[Reply]]]:
    """The engine's handler, noting in ``order`` each photo's update id as its turn starts."""
    handle = h.services.engine.handle

    async def recorded(event: Event) -> list[Reply]:
        if isinstance(event, Media):
            order.append(event.origin.event_id)
        return await handle(event)

    return recorded


def _album(h: Harness, group: str) -> list[JSON]:
    """Two photos of one album (``group``) from Sara, their files served by the Bot API
    stand-in; two different pictures, as the same one twice is kept once."""
    photos = []
    for _ in range(2):
        file_id, data = fake_file_id("photo"), new_photo()
        h.api.add_file(file_id, data)
        photos.append(h.updates.photo(SARA, file_id, file_size=len(data), media_group_id=group))
    return photos


async def _both_photos_in_the_draft_one_answer(h: Harness, before: int) -> None:
    """Both photos are in Sara's draft, and the album got one answer (``before``: how many
    texts she had before it), whichever worker handled which photo."""
    state = await h.services.engine.store.load("telegram", str(SARA.id))
    assert len(state.answers["attachments"]) == 2, "both photos are in the draft"
    assert len(h.texts(SARA)) == before + 1, "one answer for the album"


async def test_a_turn_saved_by_a_worker_killed_before_answering_is_answered_once(
    h: Harness,
) -> None:
    live = await h.worker(lease_s=LEASE_S)
    await say(live, h.updates.text(SARA, "/start"))
    died = asyncio.Event()
    saved: list[list[Reply]] = []
    handle = h.services.engine.handle

    async def saves_then_dies(event: Event) -> list[Reply]:
        replies = await handle(event)  # the turn is saved in Redis
        saved.append(replies)
        await died.wait()
        raise asyncio.CancelledError  # the process is gone: nothing is sent

    dying = await h.worker(saves_then_dies, lease_s=LEASE_S)
    before = len(h.texts(SARA))
    assert (await dying.post(h.updates.callback(SARA, "ind"))).status == 200
    await until(lambda: saved)
    _killed(dying)
    died.set()
    await dying.client.close()  # its sweeps stop with it
    assert len(h.texts(SARA)) == before, "the dying worker sent nothing"
    # the live worker replays it once the lease has run out, and answers
    await until(lambda: len(h.texts(SARA)) > before)
    await asyncio.sleep(6 * LEASE_S)  # time for a second answer, were there one
    await live.settle()
    answered = h.texts(SARA)[before:]
    assert answered == [r.text for r in saved[0]], "the turn's own replies, once"
    assert await h.services.redis.hlen(JOURNAL_KEY) == 0
    # and the person goes on from there: the step after «individual» takes the service
    await say(live, h.updates.text(SARA, "ابي اجدد اقامتي"))
    assert len(h.texts(SARA)) > before + len(answered)


async def test_a_worker_killed_between_two_replies_has_the_rest_sent_not_the_first_again(
    h: Harness,
) -> None:
    """/start to a new person is answered with two messages. The dying worker sends the
    first; the second is held at the Bot API when it dies. The live worker replays the
    update: the person gets the second, and the first only once."""
    dying = await h.worker(lease_s=LEASE_S)
    live = await h.worker(lease_s=LEASE_S)
    second = h.api.hold("sendMessage", chat_id=SARA.id, skip=1)
    assert (await dying.post(h.updates.text(SARA, "/start"))).status == 200
    async with asyncio.timeout(30):
        await second.arrived.wait()
    first = h.texts(SARA)
    assert len(first) == 1, first
    _killed(dying)
    closing = asyncio.create_task(dying.client.close())  # its sweeps and sends stop with it
    # the live worker replays it once the lease has run out, and sends the rest
    await until(lambda: len(h.texts(SARA)) > 1, 60)
    await asyncio.sleep(6 * LEASE_S)  # time for a third message, were there one
    await live.settle()
    texts = h.texts(SARA)
    assert len(texts) == 2 and texts[0] == first[0], texts
    assert texts[1] != texts[0]
    await until(second.caller_gone, 60)
    second.release()  # the dying worker's call: its caller is gone, Telegram never gets it
    await closing
    assert h.texts(SARA) == texts
    assert await h.services.redis.hlen(JOURNAL_KEY) == 0


async def test_an_albums_photo_held_by_a_dead_worker_is_not_overtaken_by_its_twin(
    h: Harness,
) -> None:
    order: list[str] = []
    recorded = _recording(h, order)
    live = await h.worker(recorded, lease_s=LEASE_S)
    await _at_documents_step(h, live)
    before = len(h.texts(SARA))
    photos = _album(h, "album-1")
    # the balancer gives the first photo to a worker that accepts it and dies at once
    dying = await h.worker(workers=0, lease_s=LEASE_S)
    assert (await dying.post(photos[0])).status == 200
    _killed(dying)
    await dying.client.close()
    # and the second to the live worker, which waits for the first and handles it first
    await say(live, photos[1])
    assert order == [str(photos[0]["update_id"]), str(photos[1]["update_id"])]
    await _both_photos_in_the_draft_one_answer(h, before)
    assert await h.services.redis.hlen(JOURNAL_KEY) == 0


async def test_a_photo_its_worker_held_for_long_then_died_with_is_not_overtaken(
    h: Harness,
) -> None:
    """The dying worker is downloading the album's first photo (its getFile held at the
    Bot API) while the live worker has the second, waiting behind it. The dying worker
    lives on longer than a waiter used to wait (a lease and 5 s, counted from the start of
    the wait, not from the death), then dies: the second photo must still come after the
    first, and both reach the request."""
    order: list[str] = []
    recorded = _recording(h, order)
    live = await h.worker(recorded, lease_s=LEASE_S)
    await _at_documents_step(h, live)
    before = len(h.texts(SARA))
    photos = _album(h, "album-2")
    dying = await h.worker(recorded, lease_s=LEASE_S)
    download = h.api.hold("getFile")
    assert (await dying.post(photos[0])).status == 200
    async with asyncio.timeout(30):
        await download.arrived.wait()  # the dying worker is in the first photo's turn
    assert (await live.post(photos[1])).status == 200
    # alive, renewing its lease, past the 5.5 s a waiter used to give it here
    await asyncio.sleep(LEASE_S + 5 + 1)
    _killed(dying)
    closing = asyncio.create_task(dying.client.close())
    # the live worker takes the first photo over, handles it, then the second
    await until(lambda: len(order) == 2, 60)
    await live.settle()
    assert order == [str(photos[0]["update_id"]), str(photos[1]["update_id"])]
    await _both_photos_in_the_draft_one_answer(h, before)
    await until(download.caller_gone, 60)
    download.release()  # the dying worker's call: its caller is gone
    await closing
    assert await h.services.redis.hlen(JOURNAL_KEY) == 0


async def test_a_photo_replayed_into_the_queue_behind_its_twin_is_handled_first(
    h: Harness,
) -> None:
    """The live worker, with one task, is busy with another person's turn when the album's
    second photo comes; meanwhile its sweep takes over the first photo from the killed
    worker and queues it behind the second. The task then meets the second, whose turn
    waits for the first: it handles the first itself, then the second."""
    order: list[str] = []
    recorded = _recording(h, order)
    live = await h.worker(recorded, lease_s=LEASE_S, workers=1)
    await _at_documents_step(h, live)
    before = len(h.texts(SARA))
    photos = _album(h, "album-3")
    first, second = (str(p["update_id"]) for p in photos)
    busy = h.api.hold("sendMessage", chat_id=OMAR.id)
    assert (await live.post(h.updates.text(OMAR, "/start"))).status == 200
    async with asyncio.timeout(30):
        await busy.arrived.wait()  # the live worker's one task is in Omar's turn
    dying = await h.worker(workers=0, lease_s=LEASE_S)
    assert (await dying.post(photos[0])).status == 200
    _killed(dying)
    await dying.client.close()
    assert (await live.post(photos[1])).status == 200
    # the live worker's sweep takes the first photo over: queued after the second
    await until(lambda: first in live.app[HOOK_KEY].journal.replayed, 60)
    busy.release()
    await until(lambda: len(order) == 2, 120)
    await live.settle()
    assert order == [first, second]
    await _both_photos_in_the_draft_one_answer(h, before)
    assert await h.services.redis.hlen(JOURNAL_KEY) == 0


async def test_a_photo_journalled_by_a_worker_that_died_before_lining_it_up_is_not_overtaken(
    h: Harness,
) -> None:
    """The dying worker journals the album's first photo and dies before putting it in
    Sara's line (two Redis calls apart) and before its 200, so Telegram delivers it again,
    to the live worker: a redelivery of a body in hand, answered 200 and not queued. The
    second photo must still wait for the first, taken over once the dead worker's lease has
    run out. Found by bench/load.py --supervisor (a request filed with one photo 5 s after
    the kill, the other replayed 4 s later: «no step takes files now»)."""
    order: list[str] = []
    recorded = _recording(h, order)
    live = await h.worker(recorded, lease_s=LEASE_S)
    await _at_documents_step(h, live)
    before = len(h.texts(SARA))
    photos = _album(h, "album-4")
    first, second = (str(p["update_id"]) for p in photos)
    dying = await h.worker(workers=0, lease_s=LEASE_S)
    assert await dying.app[HOOK_KEY].journal.keep(json.dumps(photos[0]).encode(), 1, first)
    _killed(dying)
    await dying.client.close()
    # Telegram had no 200 for it: delivered again, to the live worker
    assert (await live.post(photos[0])).status == 200
    await say(live, photos[1])
    await until(lambda: len(order) == 2, 60)
    await live.settle()
    assert order == [first, second]
    await _both_photos_in_the_draft_one_answer(h, before)
    assert await h.services.redis.hlen(JOURNAL_KEY) == 0
