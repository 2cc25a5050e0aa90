"""Staff cards through the dispatcher, on SQLite and PostgreSQL, a real Redis and the
Bot API stand-in (which parses HTML as Telegram does): the first card and its album, edits
in place after each decision, forum topics per department, staff texts, and a group
without a configured chat."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import OutboxMessage, StaffTopic
from bot.db.requests_repo import SqlRequestGateway
from bot.outbox.queue import STAFF, staff_text
from bot.outbox.ratelimit import TelegramLimits
from bot.outbox.telegram_delivery import SkipStaffDelivery
from bot.staff.desk import StaffDesk
from conversations.ports import AttachmentInfo
from domain.catalogue import load_catalogue
from officers.officer import Officer
from standins.telegram_botapi import fake_file_id
from tests.integration.outbox_support import STAFF_CHAT, Rig, rig
from tests.integration.test_db_requests import submission

OFFICER = Officer(7001, "نورة")
PERSON = 5551001  # the user_key of tests.integration.test_db_requests.submission


@pytest.fixture
async def r(
    db_sessionmaker: async_sessionmaker[AsyncSession], redis_client: Redis, tmp_path: Path
) -> AsyncIterator[Rig]:
    async with rig(db_sessionmaker, redis_client, tmp_path) as value:
        yield value


@pytest.fixture
def filing(db_sessionmaker: async_sessionmaker[AsyncSession]) -> SqlRequestGateway:
    return SqlRequestGateway(db_sessionmaker)


@pytest.fixture
def desk(db_sessionmaker: async_sessionmaker[AsyncSession]) -> StaffDesk:
    # decisions reach the person at once here (the grace period is the desk's own test)
    return StaffDesk(db_sessionmaker, load_catalogue(), decision_grace_s=0)


def telegram_photos(r: Rig, count: int) -> tuple[AttachmentInfo, ...]:
    photos = []
    for i in range(count):
        file_id = fake_file_id("photo")
        r.api.add_file(file_id, f"jpeg-{i}".encode())
        photos.append(AttachmentInfo("photo", file_id, "image/jpeg", 6, None))
    return tuple(photos)


def group_sends(r: Rig) -> list[str]:
    return [c.method for c in r.api.calls_for(STAFF_CHAT)]


def card(r: Rig, message_id: int) -> dict[str, Any]:
    message = {m["message_id"]: m for m in r.api.messages(STAFF_CHAT)}[message_id]
    return message


def uploaded(params: dict[str, Any], name: str) -> dict[str, Any]:
    """The file uploaded as `name` (aiogram sends it as "attach://<field>")."""
    value = params[name]
    if isinstance(value, str) and value.startswith("attach://"):
        value = params[value.removeprefix("attach://")]
    assert isinstance(value, dict)
    return value


def buttons(message: dict[str, Any]) -> list[str]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row]


async def test_a_new_request_gets_a_card_and_its_album_then_decisions_edit_the_card(
    r: Rig, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    photos = telegram_photos(r, 3)
    filed = await filing.submit(submission(attachments=photos))
    await r.drain(r.dispatcher())

    request = await r.request(filed.number)
    assert request.staff_chat_id == STAFF_CHAT and request.staff_thread_id is None
    assert request.staff_message_id is not None
    first = card(r, request.staff_message_id)
    assert filed.number in first["text"] and "جديد" in first["text"]
    assert buttons(first) == [f"st:{a}:{filed.number}:1" for a in ("take", "ask", "ok", "no", "bl")]
    # the album: the stored Telegram file ids, under the card
    (album,) = r.api.calls_for(STAFF_CHAT, "sendMediaGroup")
    sent_ids = [item["media"] for item in album.params["media"]]
    assert sent_ids == [a.ref for a in photos]  # no upload: this bot's own file ids
    assert album.params["reply_parameters"]["message_id"] == request.staff_message_id
    assert group_sends(r) == ["sendMessage", "sendMediaGroup"]

    await desk.take(filed.number, OFFICER)
    await r.drain(r.dispatcher())
    edited = card(r, request.staff_message_id)
    assert "قيد الدراسة" in edited["text"] and "نورة" in edited["text"]
    # the version moved on with the take: buttons offered before it are out of date
    assert buttons(edited) == [f"st:{a}:{filed.number}:2" for a in ("ask", "ok", "no", "bl")]
    await desk.reject(filed.number, OFFICER, "المستندات غير مكتملة")
    await r.drain(r.dispatcher())
    rejected = card(r, request.staff_message_id)
    assert rejected["text"].startswith("❌") and "المستندات غير مكتملة" in rejected["text"]
    assert buttons(rejected) == [f"st:{a}:{filed.number}:3" for a in ("re", "bl")]
    # one card, edited; the album once; the person told of each decision
    assert group_sends(r) == ["sendMessage", "sendMediaGroup", "editMessageText", "editMessageText"]
    # the decision is followed by the satisfaction question, five buttons (issue 13)
    assert len(r.api.texts(PERSON)) == 3
    survey = r.api.calls_for(PERSON, "sendMessage")[-1].params["reply_markup"]
    assert [b["callback_data"] for row in survey["inline_keyboard"] for b in row] == [
        f"rate:{filed.number}:{n}" for n in (1, 2, 3, 4, 5)
    ]


async def test_files_of_the_persons_answer_follow_under_the_card(
    r: Rig, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    filed = await filing.submit(submission(attachments=telegram_photos(r, 2)))
    await desk.ask(filed.number, OFFICER, "أرفق صورة الجواز")
    await r.drain(r.dispatcher())
    (answer_photo,) = telegram_photos(r, 1)
    await desk.answer(
        filed.number, channel="telegram", user_key=str(PERSON), text="تفضل",
        attachments=[answer_photo],
    )  # fmt: skip
    # the desk queued the answer's file alone: the two filed with the request were sent
    request = await r.request(filed.number)
    await r.drain(r.dispatcher())
    (single,) = r.api.calls_for(STAFF_CHAT, "sendPhoto")
    assert single.params["photo"] == answer_photo.ref
    assert single.params["reply_parameters"]["message_id"] == request.staff_message_id
    assert len(r.api.calls_for(STAFF_CHAT, "sendMediaGroup")) == 1  # the first album only


async def test_what_people_type_shows_as_typed_in_the_group(
    r: Rig, filing: SqlRequestGateway
) -> None:
    typed = 'اضغط <b>هنا</b> <a href="https://evil.example">رابط</a> & <tg-spoiler>س</tg-spoiler>'
    filed = await filing.submit(submission(description=typed, attachments=()))
    await r.drain(r.dispatcher())
    message = r.api.messages(STAFF_CHAT)[0]
    assert typed in message["text"]  # Telegram shows the characters, not markup
    kinds = {e["type"] for e in message.get("entities", [])}
    assert kinds <= {"bold", "blockquote", "code"}  # only the card's own formatting
    assert filed.number in message["text"]


async def test_files_from_other_channels_are_uploaded_from_the_media_store(
    r: Rig, filing: SqlRequestGateway
) -> None:
    photo, pdf = b"\xff\xd8 photo bytes", b"%PDF-1.7 document"
    attachments = tuple(
        AttachmentInfo(kind, f"wamid.media.{i}", mime, len(data), r.media.save(data), name)
        for i, (kind, mime, data, name) in enumerate(
            [("photo", "image/jpeg", photo, None), ("document", "application/pdf", pdf, "جواز.pdf")]
        )
    )
    await filing.submit(
        submission(channel="whatsapp", user_key="966500000001", attachments=attachments)
    )
    await r.drain(r.dispatcher(), channels=[STAFF])
    (sent_photo,) = r.api.calls_for(STAFF_CHAT, "sendPhoto")
    (sent_pdf,) = r.api.calls_for(STAFF_CHAT, "sendDocument")
    assert uploaded(sent_photo.params, "photo")["data"] == photo
    assert uploaded(sent_pdf.params, "document")["data"] == pdf
    assert uploaded(sent_pdf.params, "document")["upload"] == "جواز.pdf"


async def test_cards_go_to_their_departments_topic_created_once(
    r: Rig, filing: SqlRequestGateway, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await filing.submit(submission("d1", service_id="iqama_renew", attachments=()))
    await filing.submit(submission("d2", service_id="iqama_renew", attachments=()))
    await filing.submit(submission("d3", service_id="passport_renew", attachments=()))
    handlers = {STAFF: r.staff_handler(forum=True, topic_ids={"visas": 77})}
    await r.drain(r.dispatcher(handlers))

    topics = r.api.topics[STAFF_CHAT]
    assert sorted(topics.values()) == ["الإقامة", "الجوازات"]
    async with db_sessionmaker() as session:
        stored = {t.department: t.thread_id for t in await session.scalars(select(StaffTopic))}
    assert set(stored) == {"residency", "passports"}
    by_thread = [m.get("message_thread_id") for m in r.api.messages(STAFF_CHAT)]
    assert by_thread.count(stored["residency"]) == 2 and by_thread.count(stored["passports"]) == 1

    # after a restart the stored topics are used, not created again; configured ones as given
    await filing.submit(submission("d4", service_id="iqama_renew", attachments=()))
    await filing.submit(submission("d5", service_id="exit_reentry_visa", attachments=()))
    handlers = {STAFF: r.staff_handler(forum=True, topic_ids={"visas": 77})}
    await r.drain(r.dispatcher(handlers))
    assert len(r.api.calls_for(STAFF_CHAT, "createForumTopic")) == 2
    threads = [int(m.get("message_thread_id", 0)) for m in r.api.messages(STAFF_CHAT)[-2:]]
    assert sorted(threads) == sorted([stored["residency"], 77])


async def test_a_deleted_card_is_sent_again_and_an_unchanged_one_is_left_alone(
    r: Rig, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    filed = await filing.submit(submission(attachments=telegram_photos(r, 2)))
    await r.drain(r.dispatcher())
    request = await r.request(filed.number)
    assert request.staff_message_id is not None
    await r.bot.delete_message(STAFF_CHAT, request.staff_message_id)

    await desk.take(filed.number, OFFICER)
    await r.drain(r.dispatcher())
    moved = await r.request(filed.number)
    assert moved.staff_message_id not in (None, request.staff_message_id)
    assert "نورة" in card(r, moved.staff_message_id or 0)["text"]
    assert len(r.api.calls_for(STAFF_CHAT, "sendMediaGroup")) == 1  # the album is not repeated

    # a refresh with nothing new: Telegram says "not modified", which is fine
    async with r.sessions() as session, session.begin():
        session.add(
            OutboxMessage(kind="staff_card", channel=STAFF, target=STAFF, request_id=moved.id,
                          payload={"number": filed.number})
        )  # fmt: skip
    await r.drain(r.dispatcher())
    last = (await r.rows())[-1]
    assert last.delivery_status == "sent" and last.provider_message_id == str(
        moved.staff_message_id
    )


async def test_staff_texts_are_sent_as_html(r: Rig) -> None:
    async with r.sessions() as session, session.begin():
        staff_text(session, "<b>ملخص اليوم</b>\n3 طلبات متأخرة")
    await r.drain(r.dispatcher())
    (message,) = r.api.messages(STAFF_CHAT)
    assert message["text"] == "ملخص اليوم\n3 طلبات متأخرة"
    assert message["entities"][0]["type"] == "bold"


async def test_without_a_staff_group_staff_rows_are_closed_as_skipped(
    r: Rig, filing: SqlRequestGateway
) -> None:
    await filing.submit(submission())
    await r.drain(r.dispatcher({STAFF: SkipStaffDelivery()}))
    (row,) = await r.rows()
    assert row.delivery_status == "skipped" and row.sent_at is not None
    assert r.api.calls == []


async def test_a_429_in_the_group_pauses_the_group_and_the_card_follows(
    r: Rig, filing: SqlRequestGateway
) -> None:
    filed = await filing.submit(submission(attachments=()))
    r.api.fail_next("sendMessage", retry_after=1)
    dispatcher = r.dispatcher()
    await dispatcher.run_once()
    (row,) = await r.rows()
    assert row.sent_at is None and row.attempts == 0
    assert await r.limiter.room(*r.limits.claims(STAFF_CHAT)) == 0
    await asyncio.sleep(1.1)
    await r.drain(dispatcher)
    assert filed.number in r.api.messages(STAFF_CHAT)[0]["text"]


async def test_the_words_sent_with_a_file_are_on_the_card_and_under_the_file(
    r: Rig, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    words = "بطاقة الإقامة منتهية ولا أستطيع تجديدها من أبشر بسبب رسالة خطأ عند السداد"
    bare, captioned = telegram_photos(r, 2)
    photos = (bare, AttachmentInfo(**{**_fields(captioned), "caption": words}))
    filed = await filing.submit(submission(attachments=photos))
    await r.drain(r.dispatcher())
    request = await r.request(filed.number)
    assert words in card(r, request.staff_message_id)["text"]
    (album,) = r.api.calls_for(STAFF_CHAT, "sendMediaGroup")
    assert [item.get("caption") for item in album.params["media"]] == [None, words]

    # the person's answer to a question: its file keeps its words too
    await desk.ask(filed.number, OFFICER, "أرفق صورة الجواز")
    await r.drain(r.dispatcher())
    (answer_photo,) = telegram_photos(r, 1)
    await desk.answer(
        filed.number, channel="telegram", user_key=str(PERSON), text="تفضل",
        attachments=[AttachmentInfo(**{**_fields(answer_photo), "caption": "صفحة الجواز الأولى"})],
    )  # fmt: skip
    await r.drain(r.dispatcher())
    (single,) = r.api.calls_for(STAFF_CHAT, "sendPhoto")
    assert single.params["caption"] == "صفحة الجواز الأولى"
    assert "صفحة الجواز الأولى" in card(r, request.staff_message_id)["text"]


def _fields(info: AttachmentInfo) -> dict[str, Any]:
    return {name: getattr(info, name) for name in AttachmentInfo.__dataclass_fields__}


async def test_a_cards_edit_goes_out_while_new_posts_wait_for_room(
    r: Rig, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    # Telegram's own limits, unscaled: the budget spent below stays spent for the test
    r = replace(r, limits=TelegramLimits())
    taken = await filing.submit(submission("taken", attachments=()))
    await r.drain(r.dispatcher())
    first = (await r.request(taken.number)).staff_message_id
    assert first is not None
    # the group's budget is nearly spent by other posts: three messages of room left
    group = r.limits.chat_claim(STAFF_CHAT)
    assert await r.limiter.acquire(replace(group, cost=group.window.count - 3)) == 0
    await filing.submit(submission("new", attachments=()))
    await desk.take(taken.number, OFFICER)
    dispatcher = r.dispatcher()
    for _round in range(3):
        await dispatcher.run_once()
    # the officer's take shows on the card at once; the new card waits for room
    assert group_sends(r) == ["sendMessage", "editMessageText"]
    assert "نورة" in card(r, first)["text"]
    waiting = [row for row in await r.rows() if row.sent_at is None and row.kind == "staff_card"]
    assert len(waiting) == 1
