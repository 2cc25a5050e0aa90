"""A chat found to have no request is not asked again at every reading (issue 12:
/start, the identity number and the first photo each read the chat's requests, ~30% of a
filing's SQL statements one at a time), and nothing a person reads changes with it: the
request they file is named when they start the same service again, whichever worker takes
which message; a number change that brings requests to a chat drops what its state knew.
Two webhook workers on one Redis and one database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select

from bot.db.models import Request
from bot.redis_store.dialogue import RedisDialogueStore
from domain.normalize import clean_input
from tests.integration.test_telegram_album_count import SARA, Rig, rig
from tests.integration.webhook_steps import say, to_documents

__all__ = ["rig"]  # the fixture

DESCRIPTION = "انتهت إقامتي ولم أستطع التجديد من أبشر بسبب خطأ في الدفع"
STILL_OPEN = "للعلم: لديك طلب مفتوح لهذه الخدمة برقم الهوية نفسه"


def _requests_read(rig: Rig) -> list[int]:
    """A counter, in a one-item list, of the SELECTs on the requests table sent from now."""
    reads = [0]

    def seen(*args: Any) -> None:
        statement = str(args[2])
        if statement.lstrip().upper().startswith("SELECT") and "FROM requests" in statement:
            reads[0] += 1

    event.listen(rig.services.db.sync_engine, "before_cursor_execute", seen)
    return reads


async def test_a_filing_reads_the_requests_once_and_the_next_one_is_still_warned(
    rig: Rig,
) -> None:
    a, b = await rig.worker(), await rig.worker()
    workers = [a, b]
    reads = _requests_read(rig)
    for raw in to_documents(rig.updates, SARA, DESCRIPTION):
        workers.reverse()
        await say(workers[0], raw)
    await say(a, rig.photo(61))
    await say(b, rig.photo(62))
    # the menu's reading on /start found none; the identity number and the first photo
    # (an officer's waiting question) asked again before: 3 reads
    assert reads[0] == 1
    await say(a, rig.updates.callback(SARA, "done"))
    await say(b, rig.updates.callback(SARA, "confirm"))
    async with rig.services.sessions() as session:
        (filed,) = (await session.scalars(select(Request))).all()
    # the same service and identity number again, on the other workers: the filing
    # cleared what the state knew, so the open request is named
    before = len(rig.texts())
    workers = [b, a]
    for raw in to_documents(rig.updates, SARA, DESCRIPTION)[:6]:
        workers.reverse()
        await say(workers[0], raw)
    said = clean_input("\n".join(rig.texts()[before:]))
    assert STILL_OPEN in said and filed.number in said, said


async def test_a_number_change_drops_the_note_that_the_chat_had_no_request(rig: Rig) -> None:
    store = rig.services.engine.store
    assert isinstance(store, RedisDialogueStore)
    a = await rig.worker()
    await say(a, rig.updates.text(SARA, "/start"))
    old = await store.load("telegram", str(SARA.id))
    assert old.no_requests_at is not None  # the menu's reading found none
    # a new key that wrote first: its own state (with the note) is kept over the old one
    new_key = "5400000999"
    kept = await store.load("telegram", new_key)
    kept.no_requests_at = old.no_requests_at
    assert await store.save("telegram", new_key, kept)
    await store.move("telegram", str(SARA.id), new_key)
    moved = await store.load("telegram", new_key)
    assert moved.version == kept.version + 1 and moved.no_requests_at is None
