"""The Telegram channel end to end against the local Bot API stand-in: raw updates go
through aiogram's dispatcher into the channel, a recording fake `handle` stands in for
the engine, and the assertions are on what reached the (stand-in) Bot API."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import stat
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.types import Update
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.telegram import build_dispatcher, follow_ups_settled, make_bot, run_polling
from bot.db.models import OutboxMessage
from bot.media_store import MediaStore
from bot.outbox.queue import replies_from_payload
from bot.outbox.receipts import ReceiptQueue
from conversations.events import (
    Choice,
    Command,
    Contact,
    Event,
    Media,
    Option,
    Origin,
    Reply,
    Text,
    Unsupported,
)
from standins.telegram_botapi import TelegramBotAPIStandin, fake_file_id
from standins.telegram_updates import TgUser, UpdateFactory
from tests import samples

USER = TgUser(5_100_000_001, "سارة")
OTHER = TgUser(5_100_000_002, "خالد")

SERVICES = Reply(
    "اختر الخدمة المطلوبة:",
    (
        Option("svc:iqama_renew", "تجديد هوية مقيم"),
        Option("svc:exit_reentry_visa", "تأشيرة خروج وعودة"),
        Option("svc:technical_issue", "مشكلة تقنية في خدمة إلكترونية"),
    ),
)
ASK_PHONE = Reply(
    "شارك رقم جوالك بالزر أدناه",
    (Option("share_contact", "📱 مشاركة رقمي"), Option("cancel", "إلغاء")),
    ask_contact=True,
)


@dataclass
class FakeEngine:
    """Records events and answers from a script (a fake is fine for a channel test)."""

    events: list[Event] = field(default_factory=list)
    script: dict[type, list[Reply]] = field(default_factory=dict)

    async def __call__(self, event: Event) -> list[Reply]:
        self.events.append(event)
        if isinstance(event, Command) and event.name == "start":
            return [Reply("مرحبا بك في تواصل"), SERVICES]
        return list(self.script.get(type(event), [Reply(f"استلمت: {type(event).__name__}")]))


@dataclass
class Harness:
    api: TelegramBotAPIStandin
    bot: Bot
    dp: Dispatcher
    engine: FakeEngine
    store: MediaStore
    updates: UpdateFactory

    async def feed(self, raw: dict[str, Any]) -> None:
        await self.dp.feed_update(self.bot, Update.model_validate(raw, context={"bot": self.bot}))


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Harness]:
    async with TelegramBotAPIStandin() as api:
        bot = make_bot(api.token, api.url)
        engine = FakeEngine()
        store = MediaStore(tmp_path)
        try:
            yield Harness(api, bot, build_dispatcher(engine, store), engine, store, UpdateFactory())
        finally:
            await bot.session.close()


async def test_start_sends_the_services_keyboard(h: Harness) -> None:
    raw = h.updates.text(USER, "/start")
    await h.feed(raw)

    assert h.engine.events == [Command(origin(raw), "start")]
    sent = h.api.calls_for(USER.id, "sendMessage")
    assert [c.params["text"] for c in sent] == ["مرحبا بك في تواصل", "اختر الخدمة المطلوبة:"]
    assert "reply_markup" not in sent[0].params
    assert all("parse_mode" not in c.params for c in sent)  # plain text
    assert sent[1].params["reply_markup"] == {
        "inline_keyboard": [
            [{"text": "تجديد هوية مقيم", "callback_data": "svc:iqama_renew"}],
            [{"text": "تأشيرة خروج وعودة", "callback_data": "svc:exit_reentry_visa"}],
            [
                {
                    "text": "مشكلة تقنية في خدمة إلكترونية",
                    "callback_data": "svc:technical_issue",
                }
            ],
        ]
    }
    assert h.api.last_keyboard(USER.id) == sent[1].params["reply_markup"]


async def test_button_tap_is_answered_and_becomes_a_choice(h: Harness) -> None:
    await h.feed(h.updates.text(USER, "/start"))
    message = h.api.last_message(USER.id)
    raw = h.updates.callback(USER, "svc:iqama_renew", message=message)
    await h.feed(raw)

    tapped = h.engine.events[-1]
    assert isinstance(tapped, Choice) and tapped.message is not None
    assert dataclasses.replace(tapped, message=None) == Choice(origin(raw), "svc:iqama_renew")
    # the tapped message, for a later edit of its keyboard (bot.channels.telegram_keyboards)
    assert message is not None and json.loads(tapped.message)["m"] == message["message_id"]
    [answer] = [c for c in h.api.calls if c.method == "answerCallbackQuery"]
    assert answer.params["callback_query_id"] == raw["callback_query"]["id"]
    # The spinner stops before the reply is sent.
    methods = h.api.methods()
    assert methods.index("answerCallbackQuery") < len(methods) - 1
    assert methods[-1] == "sendMessage"


async def test_album_photos_are_downloaded_and_stored(h: Harness) -> None:
    photos = [samples.jpeg(130, 130, seed=1), samples.jpeg(150, 150, seed=2)]
    ids = [fake_file_id("photo"), fake_file_id("photo")]
    for file_id, data in zip(ids, photos, strict=True):
        h.api.add_file(file_id, data)
    album = "13719276493812345"
    raws = [
        h.updates.photo(USER, ids[0], file_size=len(photos[0]), media_group_id=album),
        h.updates.photo(USER, ids[1], file_size=len(photos[1]), media_group_id=album),
    ]
    # Telegram delivers album items as separate updates, possibly handled concurrently.
    await asyncio.gather(*(h.feed(raw) for raw in raws))

    events = [e for e in h.engine.events if isinstance(e, Media)]
    assert [e.origin.event_id for e in events] == [str(r["update_id"]) for r in raws]
    for event, file_id, data in zip(events, ids, photos, strict=True):
        assert event.kind == "photo" and event.ref == file_id and event.mime == "image/jpeg"
        assert event.album_id == album and event.size == len(data)
        assert event.checksum == hashlib.sha256(data).hexdigest()
        path = h.store.path_for(event.checksum)
        assert path.read_bytes() == data
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [c.params["file_id"] for c in h.api.calls if c.method == "getFile"] == ids
    assert len(h.api.downloads) == 2


async def test_document_is_downloaded(h: Harness) -> None:
    data = samples.pdf(3000)
    file_id = fake_file_id("document")
    h.api.add_file(file_id, data)
    raw = h.updates.document(USER, file_id, file_name="عقد.pdf", file_size=len(data))
    await h.feed(raw)
    [event] = h.engine.events
    assert event == Media(
        origin(raw),
        kind="document",
        ref=file_id,
        mime="application/pdf",
        size=len(data),
        checksum=hashlib.sha256(data).hexdigest(),
        file_name="عقد.pdf",
    )


async def test_files_over_20_mb_are_not_downloaded(h: Harness) -> None:
    raw = h.updates.document(USER, fake_file_id("document"), file_size=25 * 1024 * 1024)
    await h.feed(raw)
    [event] = h.engine.events
    assert isinstance(event, Media) and event.size == 25 * 1024 * 1024 and event.checksum is None
    assert "getFile" not in h.api.methods()


async def test_sticker_and_voice_are_passed_on_without_download(h: Harness) -> None:
    await h.feed(h.updates.sticker(USER))
    await h.feed(h.updates.voice(USER))
    assert [e.kind for e in h.engine.events if isinstance(e, Media)] == ["sticker", "voice"]
    assert "getFile" not in h.api.methods()
    assert not h.api.downloads


async def test_location_is_unsupported(h: Harness) -> None:
    raw = h.updates.location(USER)
    await h.feed(raw)
    # with its point, which may answer where the iqama holder is (early_place)
    assert h.engine.events == [Unsupported(origin(raw), "location", (24.7136, 46.6753))]


async def test_contact_keyboard_then_removed_after_the_contact(h: Harness) -> None:
    h.engine.script[Text] = [ASK_PHONE]
    # the engine says the keyboard its last turn asked with is on screen (the channel
    # keeps no state of its own, and a contact alone does not mean one is shown)
    h.engine.script[Contact] = [
        Reply("تم التحقق من رقمك ✅", contact_keyboard_shown=True),
        SERVICES,
    ]
    await h.feed(h.updates.text(USER, "أريد تقديم طلب"))
    assert h.api.last_keyboard(USER.id) == {
        "keyboard": [
            [{"text": "📱 مشاركة رقمي", "request_contact": True}],
            [{"text": "إلغاء"}],
        ],
        "resize_keyboard": True,
        "one_time_keyboard": True,
    }

    raw = h.updates.contact(USER, "966501234567", own=True)
    await h.feed(raw)
    assert h.engine.events[-1] == Contact(origin(raw), "+966501234567", is_own=True)
    after = h.api.calls_for(USER.id, "sendMessage")[-2:]
    assert after[0].params["text"] == "تم التحقق من رقمك ✅"
    assert after[0].params["reply_markup"] == {"remove_keyboard": True}
    assert "inline_keyboard" in after[1].params["reply_markup"]


async def test_someone_elses_contact_is_not_own(h: Harness) -> None:
    raw = h.updates.contact(USER, "+966550001111", own=False, other_user_id=OTHER.id)
    await h.feed(raw)
    assert h.engine.events == [Contact(origin(raw), "+966550001111", is_own=False)]


async def test_group_messages_are_ignored(h: Harness) -> None:
    await h.feed(h.updates.group_text(USER, -1001234567890, "/start"))
    assert h.engine.events == []
    assert not h.api.calls


async def test_a_redelivered_update_keeps_its_event_id(h: Harness) -> None:
    raw = h.updates.text(USER, "السلام عليكم")
    await h.feed(raw)
    await h.feed(raw)
    first, second = h.engine.events
    assert first.origin.event_id == second.origin.event_id == str(raw["update_id"])


async def test_a_429_is_waited_out(h: Harness) -> None:
    h.api.fail_next("sendMessage", retry_after=1)
    await h.feed(h.updates.text(USER, "مرحبا"))
    sent = h.api.calls_for(USER.id, "sendMessage")
    assert len(sent) == 2  # refused once, then accepted
    assert sent[1].at - sent[0].at >= 0.9
    assert len(h.api.messages(USER.id)) == 1


async def test_polling_reads_updates_from_get_updates(h: Harness) -> None:
    h.api.queue_update(h.updates.text(USER, "/start"))
    h.api.queue_update(h.updates.text(OTHER, "/start"))
    task = asyncio.create_task(run_polling(h.bot, h.dp, handle_signals=False))
    try:
        async with asyncio.timeout(10):  # two replies to each /start
            await h.api.wait_until(lambda: len(h.api.texts(USER.id) + h.api.texts(OTHER.id)) == 4)
    finally:
        await h.dp.stop_polling()
        await task
    assert {e.origin.user_key for e in h.engine.events} == {str(USER.id), str(OTHER.id)}
    assert h.api.methods()[0] == "deleteWebhook"
    assert len(h.api.texts(USER.id)) == 2 and len(h.api.texts(OTHER.id)) == 2
    # edits and blocking are asked for: without them Telegram never sends those updates
    [first, *_] = [c for c in h.api.calls if c.method == "getUpdates"]
    assert {"message", "edited_message", "callback_query", "my_chat_member"} <= set(
        first.params["allowed_updates"]
    )


def origin(raw: dict[str, Any]) -> Origin:
    body = raw.get("message") or raw["callback_query"]
    message_id = str(raw["message"]["message_id"]) if "message" in raw else None
    sender = body["from"]
    # the app's language comes along (a hint for the dialogue's language)
    return Origin(
        "telegram",
        str(sender["id"]),
        str(raw["update_id"]),
        message_id,
        language=sender.get("language_code"),
    )


async def test_a_picture_telegram_refuses_does_not_take_the_words_after_it(
    h: Harness, tmp_path: Path
) -> None:
    picture = tmp_path / "card.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    h.engine.script[Text] = [Reply("إيصالك", media=(str(picture),)), Reply("وبعد")]
    h.api.fail_next("sendPhoto", error_code=400, description="Bad Request: IMAGE_PROCESS_FAILED")
    await h.feed(h.updates.text(USER, "مرحبا"))
    assert [m["text"] for m in h.api.messages(USER.id)] == ["إيصالك", "وبعد"]


async def test_a_refused_keyboard_still_delivers_its_words(h: Harness) -> None:
    h.engine.script[Text] = [SERVICES, Reply("وبعد")]
    h.api.fail_next("sendMessage", error_code=400, description="Bad Request: BUTTON_DATA_INVALID")
    await h.feed(h.updates.text(USER, "مرحبا"))
    shown = h.api.messages(USER.id)
    assert [m["text"] for m in shown] == [SERVICES.text, "وبعد"]
    assert "reply_markup" not in shown[0]  # the person can type the number of a choice


async def test_a_text_cut_by_the_network_is_sent_again_and_the_rest_follows(h: Harness) -> None:
    h.engine.script[Text] = [Reply("الأولى"), Reply("الثانية")]
    h.api.drop_next("sendMessage")
    await h.feed(h.updates.text(USER, "مرحبا"))
    assert [m["text"] for m in h.api.messages(USER.id)] == ["الأولى", "الثانية"]


async def test_a_text_that_cannot_be_sent_hands_its_follow_up_to_the_outbox(
    tmp_path: Path,
) -> None:
    released: list[tuple[str, bool]] = []

    class Recorder:
        async def release(self, key: str, *, delivered: bool) -> None:
            released.append((key, delivered))

        async def unsent(self, channel: str, target: str, replies: Sequence[Reply]) -> None:
            raise AssertionError("a follow-up's text is not handed over twice")

    engine = FakeEngine(script={Text: [Reply("رقم طلبك 1234567897", follow_up="receipt:1")]})
    async with TelegramBotAPIStandin() as api:
        bot = make_bot(api.token, api.url)
        try:
            dp = build_dispatcher(engine, MediaStore(tmp_path), follow_ups=Recorder())
            updates = UpdateFactory()
            api.drop_next("sendMessage", count=2)
            raw = updates.text(USER, "تأكيد")
            await dp.feed_update(bot, Update.model_validate(raw, context={"bot": bot}))
            await follow_ups_settled(dp)  # released after the turn, not in it
            assert released == [("receipt:1", False)]  # the outbox sends it, then the card
            await dp.feed_update(
                bot, Update.model_validate(updates.text(USER, "تأكيد"), context={"bot": bot})
            )
            await follow_ups_settled(dp)
            assert released[-1] == ("receipt:1", True)
        finally:
            await bot.session.close()


async def test_the_turn_ends_without_waiting_for_the_follow_ups_release(
    tmp_path: Path,
) -> None:
    """Issue 12: the receipt's release (a second write transaction, after the text is
    out) no longer holds the turn, its chat's lock and its slot: the update is done while
    the release still waits (on SQLite's write lock, say), the person already has the
    text, and a stop's drain (follow_ups_settled) waits for the release to be written."""
    released: list[tuple[str, bool]] = []
    gate = asyncio.Event()

    class SlowRelease:
        async def release(self, key: str, *, delivered: bool) -> None:
            await gate.wait()
            released.append((key, delivered))

        async def unsent(self, channel: str, target: str, replies: Sequence[Reply]) -> None:
            raise AssertionError("nothing is handed over")

    engine = FakeEngine(script={Text: [Reply("رقم طلبك 1234567897", follow_up="receipt:1")]})
    async with TelegramBotAPIStandin() as api:
        bot = make_bot(api.token, api.url)
        try:
            dp = build_dispatcher(engine, MediaStore(tmp_path), follow_ups=SlowRelease())
            raw = UpdateFactory().text(USER, "تأكيد")
            async with asyncio.timeout(5):  # before: the turn waited for the gate
                await dp.feed_update(bot, Update.model_validate(raw, context={"bot": bot}))
            assert [m["text"] for m in api.messages(USER.id)] == ["رقم طلبك 1234567897"]
            assert released == []
            settling = asyncio.create_task(follow_ups_settled(dp))
            await asyncio.sleep(0.05)
            assert not settling.done()  # a drain waits for the release
            gate.set()
            async with asyncio.timeout(5):
                await settling
            assert released == [("receipt:1", True)]
        finally:
            await bot.session.close()


async def test_replies_dropped_on_every_try_are_handed_to_the_outbox(
    tmp_path: Path, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    question = Reply("أرسل المستندات", choices=(Option("done", "تم"),))
    engine = FakeEngine(script={Text: [Reply("أضيف إلى وصفك"), question]})
    async with TelegramBotAPIStandin() as api:
        bot = make_bot(api.token, api.url)
        try:
            dp = build_dispatcher(
                engine, MediaStore(tmp_path), follow_ups=ReceiptQueue(db_sessionmaker)
            )
            api.drop_next("sendMessage", count=4)  # both replies, each on both tries
            raw = UpdateFactory().text(USER, "وصف إضافي")
            await dp.feed_update(bot, Update.model_validate(raw, context={"bot": bot}))
        finally:
            await bot.session.close()
    assert api.messages(USER.id) == []
    async with db_sessionmaker() as session:
        (row,) = (await session.scalars(select(OutboxMessage))).all()
    assert (row.kind, row.channel, row.target, row.sent_at) == (
        "notify",
        "telegram",
        str(USER.id),
        None,
    )
    # what the outbox's Telegram delivery will render: both replies, the buttons kept
    assert replies_from_payload(dict(row.payload)) == [Reply("أضيف إلى وصفك"), question]
