"""A ready answer (the knowledge base's) asked right after filing, while the receipt card
is still held for the outbox, is sent in its own turn and never waits behind the card:
checked after session 15's tester (§8) met an answer that seemed to wait for the card. Did
not reproduce (here nor in the terminal chat): this pins it, through the whole real stack
(aiogram, engine, Redis, SQLite or PostgreSQL, the outbox, the Bot API stand-in)."""

from __future__ import annotations

from pathlib import Path

from redis.asyncio import Redis

from standins.telegram_botapi import ApiCall
from standins.telegram_updates import TgUser, UpdateFactory
from tests.e2e.test_receipt_delivery import PNG, file_request, script, sent_photos, stack


def _texts(calls: list[ApiCall]) -> list[str]:
    return [str(c.params.get("text")) for c in calls if c.method.lower() == "sendmessage"]


async def test_a_ready_answer_after_filing_goes_before_the_held_card(
    tmp_path: Path, redis_url: str, redis_client: Redis, db_url: str
) -> None:
    user = TgUser(5_300_000_201, "سلمى")
    async with stack(tmp_path, redis_url, db_url) as s:
        await file_request(s, user)
        assert sent_photos(s.api.calls_for(user.id)) == []  # the card is still held
        before = len(s.api.calls_for(user.id))
        updates = UpdateFactory(first_update_id=user.id * 100 + 50)
        await s.feed(updates.text(user, "كم غرامة تأخير تجديد الاقامة؟"))
        answered = s.api.calls_for(user.id)[before:]
        # answered in the turn, the card not drawn nor sent yet
        assert any("٥٠٠" in t for t in _texts(answered)), _texts(answered)
        assert sent_photos(answered) == []
        await s.drain()
        calls = s.api.calls_for(user.id)
    (card_at,) = sent_photos(calls)
    assert card_at > before  # the card follows, after the answer


async def test_a_ready_answer_is_not_held_when_the_confirmation_went_to_the_outbox(
    tmp_path: Path, redis_url: str, redis_client: Redis, db_url: str
) -> None:
    """The confirmation dropped by the network (its text and the card left to the outbox):
    the next question is still answered in its turn."""
    user = TgUser(5_300_000_202, "هند")
    async with stack(tmp_path, redis_url, db_url) as s:
        s.api.add_file("photo-1", PNG)
        *before_confirm, confirm = script(user, english=False)
        for raw in before_confirm:
            await s.feed(raw)
        s.api.drop_next("sendMessage", count=2)
        await s.feed(confirm)
        before = len(s.api.calls_for(user.id))
        updates = UpdateFactory(first_update_id=user.id * 100 + 50)
        await s.feed(updates.text(user, "كم غرامة تأخير تجديد الاقامة؟"))
        answered = s.api.calls_for(user.id)[before:]
        assert any("٥٠٠" in t for t in _texts(answered)), _texts(answered)
        await s.drain()
        assert len(sent_photos(s.api.calls_for(user.id))) == 1
