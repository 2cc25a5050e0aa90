"""Officers acting from the staff group, end to end through aiogram: raw updates into the
same dispatcher as the residents' router, the Bot API stand-in answering (getChatMember
included), a real Redis (membership cache, prompts, update claims) and a real database on
SQLite and PostgreSQL with requests filed through SqlRequestGateway."""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Update
from PIL import Image
from redis.asyncio import Redis
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.telegram import build_dispatcher, make_bot
from bot.db.models import OutboxMessage
from bot.db.requests_repo import SqlRequestGateway
from bot.gateway import Gateway
from bot.media_store import MediaStore
from bot.redis_store.dialogue import RedisDialogueStore
from bot.settings import Settings
from bot.staff.callbacks import action_data
from bot.staff.cards import STATUS_MARKS, Button, CardRenderer
from bot.staff.desk import StaffDesk
from bot.staff.router import parse_callback, reject_reasons, staff_router
from bot.staff.views import StaffViews
from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue
from domain.request_number import new_request_number
from domain.sla import riyadh_date
from domain.status import RequestStatus
from standins.telegram_botapi import ApiCall, TelegramBotAPIStandin
from standins.telegram_updates import TgUser, UpdateFactory
from tests.integration.test_db_requests import submission
from tests.integration.test_their_say import _notice_sent

GRACE_S = 60
STAFF_CHAT = -1001234567890
TOPIC = 17
OFFICER = TgUser(7001, "نورة", "العتيبي")
COLLEAGUE = TgUser(7003, "فهد")
CONFIGURED = TgUser(7002, "سعد")  # in TAWASUL_OFFICER_IDS, not in the group
STRANGER = TgUser(9009, "زائر")
# Sunday 22 Nov 2026, 09:00 Riyadh
SUNDAY = dt.datetime(2026, 11, 22, 6, 0, tzinfo=dt.UTC)
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@dataclass
class Harness:
    api: TelegramBotAPIStandin
    bot: Bot
    dp: Dispatcher
    desk: StaffDesk
    filing: SqlRequestGateway
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    renderer: CardRenderer
    updates: UpdateFactory = field(default_factory=UpdateFactory)
    kicks: list[int] = field(default_factory=list)

    async def feed(self, raw: dict[str, Any]) -> None:
        await self.dp.feed_update(self.bot, Update.model_validate(raw, context={"bot": self.bot}))

    async def file(self, key: str = "draft-1", **overrides: object) -> str:
        return (await self.filing.submit(submission(key, **overrides))).number

    async def card(self, number: str) -> dict[str, Any]:
        """The request's card as the dispatcher would post it, in its department topic:
        the real rendering, with the buttons of the request as it is now."""
        record = await self.desk.find(number)
        assert record is not None
        card = self.renderer.card(record, today=riyadh_date(self.clock()))
        await self.bot.send_message(
            STAFF_CHAT,
            card.html,
            message_thread_id=TOPIC,
            parse_mode="HTML",
            reply_markup=_keyboard(card.buttons),
        )
        message = self.api.last_message(STAFF_CHAT)
        assert message is not None
        return message

    async def press(self, user: TgUser, data: str, card: dict[str, Any]) -> dict[str, Any]:
        """Presses a button on ``card``: ``data`` is raw callback data (``st:…``), or an
        action (``ok``, ``nr:0``) made with the request number and version that the
        message's own buttons carry, as an officer pressing it there would send."""
        raw = self.updates.callback(user, self.data(data, card), message=card)
        await self.feed(raw)
        return raw

    def data(self, action: str, message: dict[str, Any]) -> str:
        if action.startswith("st:"):
            return action
        buttons = _buttons(message)
        assert buttons, "the message has no buttons"
        shown = parse_callback(buttons[0])
        assert shown is not None and shown.version is not None
        name, _, choice = action.partition(":")
        return action_data(name, shown.number, shown.version, choice or None)

    async def status(self, number: str) -> RequestStatus:
        record = await self.desk.find(number)
        assert record is not None
        return record.status

    def answers(self) -> list[ApiCall]:
        return [c for c in self.api.calls if c.method == "answerCallbackQuery"]

    def sent(self) -> list[ApiCall]:
        """What the staff router sent into the group (not the cards the test posted)."""
        return [
            c
            for c in self.api.calls_for(STAFF_CHAT, "sendMessage")
            if not c.params["text"].startswith(tuple(STATUS_MARKS.values()))
        ]


@pytest.fixture
async def h(
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> AsyncIterator[Harness]:
    clock = Clock(SUNDAY)
    filing = SqlRequestGateway(db_sessionmaker, clock=clock)
    desk = StaffDesk(db_sessionmaker, load_catalogue(), clock=clock, decision_grace_s=GRACE_S)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        staff_chat_id=STAFF_CHAT,
        officer_ids=str(CONFIGURED.id),
        data_dir=tmp_path,
    )
    async with TelegramBotAPIStandin() as api:
        api.set_member(STAFF_CHAT, OFFICER.id, "member")
        api.set_member(STAFF_CHAT, COLLEAGUE.id, "administrator")
        api.set_member(STAFF_CHAT, STRANGER.id, "left")
        bot = make_bot(api.token, api.url)
        gateway = Gateway(filing, desk)
        engine = Engine(RedisDialogueStore(redis_client), INTAKE, load_catalogue(), gateway)
        dp = build_dispatcher(engine.handle, MediaStore(tmp_path))
        kicks: list[int] = []
        dp.include_router(
            staff_router(desk, settings, redis_client, lambda: kicks.append(1), clock=clock)
        )
        try:
            renderer = CardRenderer(StaffViews(load_catalogue(), locale="ar"))
            yield Harness(api, bot, dp, desk, filing, db_sessionmaker, clock, renderer, kicks=kicks)
        finally:
            await bot.session.close()


def _keyboard(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=b.label, callback_data=b.data) for b in row] for row in rows
        ]
    )


def _buttons(message: dict[str, Any]) -> list[str]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row]


# ---- buttons ------------------------------------------------------------------------------


async def test_officer_takes_a_request_and_the_dispatcher_is_woken(h: Harness) -> None:
    number = await h.file()
    card = await h.card(number)
    raw = await h.press(OFFICER, "take", card)

    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.UNDER_REVIEW
    assert record.assigned_to == f"officer:{OFFICER.id}"
    assert record.assigned_name == "نورة العتيبي"
    [answer] = h.answers()
    assert answer.params["callback_query_id"] == raw["callback_query"]["id"]
    assert number in answer.params["text"] and not answer.params.get("show_alert")
    assert h.kicks == [1]
    # the card is re-rendered by the dispatcher from the outbox, not edited here
    assert not h.api.calls_for(STAFF_CHAT, "editMessageText")
    async with h.sessions() as session:
        kinds = list(await session.scalars(select(OutboxMessage.kind)))
    assert "staff_card" in kinds and "notify" in kinds


async def test_membership_is_checked_once_then_cached(h: Harness) -> None:
    first, second = await h.file("a"), await h.file("b")
    card = await h.card(first)
    await h.press(OFFICER, "take", card)
    await h.press(OFFICER, "take", await h.card(second))
    checks = [c for c in h.api.calls if c.method == "getChatMember"]
    assert [(c.params["chat_id"], c.params["user_id"]) for c in checks] == [
        (STAFF_CHAT, OFFICER.id)
    ]
    assert await h.status(second) is RequestStatus.UNDER_REVIEW


async def test_configured_officer_acts_without_being_in_the_group(h: Harness) -> None:
    number = await h.file()
    card = await h.card(number)
    await h.press(CONFIGURED, "ok", card)
    assert await h.status(number) is RequestStatus.RECEIVED  # nobody reviewed it: confirm
    await h.press(CONFIGURED, "ok", card)
    assert await h.status(number) is RequestStatus.ACCEPTED
    assert not [c for c in h.api.calls if c.method == "getChatMember"]


async def test_stranger_is_refused_and_logged_by_id_only(
    h: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    number = await h.file()
    card = await h.card(number)
    with caplog.at_level(logging.INFO, logger="bot.staff"):
        await h.press(STRANGER, "ok", card)
        await h.press(STRANGER, "take", card)

    assert await h.status(number) is RequestStatus.RECEIVED
    answers = h.answers()
    assert len(answers) == 2
    for answer in answers:
        assert answer.params["show_alert"] is True
        assert "للموظفين المخوّلين" in answer.params["text"]
    assert h.kicks == []
    refusals = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusals) == 2 and all(str(STRANGER.id) in m for m in refusals)
    assert not any(STRANGER.first_name in r.getMessage() for r in caplog.records)


async def test_forged_callback_for_an_unknown_number_changes_nothing(h: Harness) -> None:
    number = await h.file()
    forged = new_request_number()
    assert forged != number
    await h.press(OFFICER, f"st:ok:{forged}:1", await h.card(number))
    [answer] = h.answers()
    assert answer.params["show_alert"] is True and forged in answer.params["text"]
    assert await h.status(number) is RequestStatus.RECEIVED
    assert h.kicks == []


@pytest.mark.parametrize(
    "data",
    [
        "st:take",
        "st:take:1234",
        "st:zap:{number}",
        "st:take:{bad_checksum}",
        "st:take:{arabic}",
        "st:nr:{number}:drop table",
        "st:take:{number}:extra",
    ],
)
async def test_malformed_callback_is_ignored_and_logged(
    h: Harness, caplog: pytest.LogCaptureFixture, data: str
) -> None:
    number = await h.file()
    bad_checksum = number[:-1] + str((int(number[-1]) + 1) % 10)
    payload = data.format(
        number=number, bad_checksum=bad_checksum, arabic=number.translate(ARABIC_INDIC)
    )
    with caplog.at_level(logging.INFO, logger="bot.staff"):
        await h.press(OFFICER, payload, await h.card(number))
    assert await h.status(number) is RequestStatus.RECEIVED
    [answer] = h.answers()
    assert "text" not in answer.params  # just stops the spinner
    assert any("malformed" in r.getMessage() for r in caplog.records)
    # the forged text itself is not written to the log
    assert not any(payload in r.getMessage() for r in caplog.records)


async def test_stale_button_on_a_decided_request_is_refused_clearly(h: Harness) -> None:
    number = await h.file()
    card = await h.card(number)
    await h.press(OFFICER, "ok", card)
    await h.press(OFFICER, "ok", card)
    await h.press(COLLEAGUE, "take", card)
    await h.press(COLLEAGUE, "ask", card)
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.ACCEPTED
    assert (
        record.assigned_to == f"officer:{OFFICER.id}"
    )  # the decider; the late take did not steal it
    stale = h.answers()[2:]
    assert all(a.params["show_alert"] for a in stale)
    assert all("مقبول" in a.params["text"] for a in stale)
    assert not h.sent()  # no prompt for a decided request
    assert h.kicks[0] == 1 and len(h.kicks) == 3  # the accept, then a card refresh per stale tap


async def test_redelivered_update_is_handled_once(h: Harness) -> None:
    number = await h.file()
    raw = await h.press(OFFICER, "take", await h.card(number))
    await h.feed(raw)
    assert len(h.answers()) == 1 and h.kicks == [1]


async def test_buttons_in_another_chat_are_not_staff_actions(h: Harness) -> None:
    number = await h.file()
    # a tap in the officer's private chat (no card there): the residents' router has it
    await h.feed(h.updates.callback(OFFICER, f"st:ok:{number}"))
    assert await h.status(number) is RequestStatus.RECEIVED


# ---- ask, reject, reopen: typed answers -----------------------------------------------------


def _prompt(h: Harness) -> dict[str, Any]:
    prompt = h.api.last_message(STAFF_CHAT)
    assert prompt is not None
    return prompt


async def ask_typed(h: Harness, user: TgUser, card: dict[str, Any]) -> None:
    """«Ask for information», then «Another question (type it)» on the ready questions' menu."""
    await h.press(user, "ask", card)
    await h.press(user, "nq:other", _prompt(h))


async def test_ask_via_force_reply(h: Harness) -> None:
    number = await h.file()
    card = await h.card(number)
    await h.press(OFFICER, "ask", card)
    shown = _prompt(h)
    await h.press(OFFICER, "nq:other", shown)
    assert await h.status(number) is RequestStatus.RECEIVED  # nothing until the question

    menu, call = h.sent()
    # the menu of ready questions gave way to the prompt
    assert menu.params["reply_markup"]["inline_keyboard"]
    assert h.api.calls_for(STAFF_CHAT, "deleteMessage")
    params = call.params
    assert params["reply_markup"]["force_reply"] is True
    assert params["reply_markup"]["selective"] is True
    assert params["message_thread_id"] == TOPIC
    # under the menu it replaced, which replied to the card (as the reject reasons do)
    assert params["reply_parameters"]["message_id"] == shown["message_id"]
    assert menu.params["reply_parameters"]["message_id"] == card["message_id"]
    assert params["parse_mode"] == "HTML"
    assert number in params["text"] and f"tg://user?id={OFFICER.id}" in params["text"]

    prompt = _prompt(h)
    question = "فضلًا أرسل صورة <الجواز> & الإقامة"
    # a colleague's reply to someone else's prompt does not become the question
    await h.feed(
        h.updates.group_text(COLLEAGUE, STAFF_CHAT, "أنا أتولاه", reply_to=prompt, thread_id=TOPIC)
    )
    assert await h.status(number) is RequestStatus.RECEIVED
    await h.feed(
        h.updates.group_text(OFFICER, STAFF_CHAT, question, reply_to=prompt, thread_id=TOPIC)
    )

    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.NEEDS_INFO
    assert record.pending_question == question
    assert record.paused_since is not None
    assert h.kicks == [1]
    # the prompt itself becomes the confirmation: nothing new in the topic
    [confirmation] = h.api.calls_for(STAFF_CHAT, "editMessageText")
    assert confirmation.params["message_id"] == prompt["message_id"]
    assert number in confirmation.params["text"]
    assert len(h.sent()) == 3  # the menu, the prompt, and the word to the colleague
    # the prompt is used up: a second reply asks nothing more
    await h.feed(
        h.updates.group_text(OFFICER, STAFF_CHAT, "سؤال آخر", reply_to=prompt, thread_id=TOPIC)
    )
    record = await h.desk.find(number)
    assert record is not None and record.pending_question == question
    assert h.kicks == [1]


async def test_reply_that_is_not_text_keeps_the_prompt(h: Harness) -> None:
    number = await h.file()
    await ask_typed(h, OFFICER, await h.card(number))
    prompt = _prompt(h)
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, "   ", reply_to=prompt, thread_id=TOPIC))
    assert await h.status(number) is RequestStatus.RECEIVED
    assert "نصًا" in h.sent()[-1].params["text"]
    await h.feed(
        h.updates.group_text(
            OFFICER, STAFF_CHAT, "ما رقم الجواز الجديد؟", reply_to=prompt, thread_id=TOPIC
        )
    )
    assert await h.status(number) is RequestStatus.NEEDS_INFO


async def test_replies_to_other_messages_are_left_alone(h: Harness) -> None:
    number = await h.file()
    card = await h.card(number)
    # officers discussing the card among themselves
    await h.feed(
        h.updates.group_text(OFFICER, STAFF_CHAT, "من يتولى هذا؟", reply_to=card, thread_id=TOPIC)
    )
    assert await h.status(number) is RequestStatus.RECEIVED
    assert len(h.sent()) == 0


async def test_reject_requires_a_reason_from_the_list(h: Harness) -> None:
    number = await h.file()
    card = await h.card(number)
    await h.press(OFFICER, "no", card)
    assert await h.status(number) is RequestStatus.RECEIVED  # not without a reason

    picker_call = h.sent()[-1]
    keyboard = picker_call.params["reply_markup"]["inline_keyboard"]
    reasons = reject_reasons()
    assert len(reasons) >= 5
    data = [button["callback_data"] for row in keyboard for button in row]
    assert data[: len(reasons)] == [action_data("nr", number, 1, i) for i in range(len(reasons))]
    assert action_data("nr", number, 1, "other") in data
    assert all(len(d.encode()) <= 64 for d in data)
    assert all(parse_callback(d) is not None for d in data)
    assert picker_call.params["message_thread_id"] == TOPIC

    picker = _prompt(h)
    await h.press(OFFICER, "nr:0", picker)
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.REJECTED
    assert record.decision_reason == reasons[0].text("ar")
    # the picker says what happened and its buttons are gone
    edited = h.api.messages(STAFF_CHAT)[-1]
    assert edited["message_id"] == picker["message_id"]
    assert reasons[0].text("ar") in edited["text"] and "reply_markup" not in edited
    assert h.kicks == [1]


async def test_reject_reason_is_in_the_persons_language(h: Harness) -> None:
    number = await h.file(locale="en")
    await h.press(OFFICER, "no", await h.card(number))
    await h.press(OFFICER, "nr:4", _prompt(h))
    record = await h.desk.find(number)
    assert record is not None and record.decision_reason == reject_reasons()[4].text("en")


async def test_reject_with_another_reason_typed(h: Harness) -> None:
    number = await h.file()
    await h.press(OFFICER, "no", await h.card(number))
    await h.press(OFFICER, "nr:other", _prompt(h))
    assert await h.status(number) is RequestStatus.RECEIVED
    assert h.sent()[-1].params["reply_markup"]["force_reply"] is True
    reason = "صاحب الإقامة خارج المملكة منذ أكثر من ستة أشهر"
    await h.feed(
        h.updates.group_text(OFFICER, STAFF_CHAT, reason, reply_to=_prompt(h), thread_id=TOPIC)
    )
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.REJECTED
    assert record.decision_reason == reason


async def test_reject_cancelled_changes_nothing(h: Harness) -> None:
    number = await h.file()
    await h.press(OFFICER, "no", await h.card(number))
    picker = _prompt(h)
    await h.press(OFFICER, "nr:cancel", picker)
    assert await h.status(number) is RequestStatus.RECEIVED
    # the menu is gone from the topic
    assert picker["message_id"] not in [m["message_id"] for m in h.api.messages(STAFF_CHAT)]
    assert h.kicks == []


async def test_reopen_asks_for_a_reason(h: Harness) -> None:
    number = await h.file()
    card = await h.card(number)
    await h.press(OFFICER, "re", card)  # not decided yet: refused
    assert h.answers()[-1].params["show_alert"] is True
    await h.press(OFFICER, "take", card)
    await h.press(OFFICER, "ok", card)
    decided = await h.card(number)
    h.clock.now += dt.timedelta(seconds=GRACE_S + 1)
    await _notice_sent(h.sessions, number)  # the outbox told the person
    # another officer's decision: taken over first, on purpose
    await h.feed(
        h.updates.group_text(COLLEAGUE, STAFF_CHAT, f"/takeover {number}", thread_id=TOPIC)
    )
    await h.press(COLLEAGUE, "re", decided)
    assert await h.status(number) is RequestStatus.ACCEPTED
    await h.feed(
        h.updates.group_text(COLLEAGUE, STAFF_CHAT, "قُبل خطأً", reply_to=_prompt(h), thread_id=TOPIC)
    )
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.UNDER_REVIEW
    assert record.events[-1].reason == "قُبل خطأً"
    assert record.events[-1].actor == f"officer:{COLLEAGUE.id}:فهد"
    assert record.assigned_name == "فهد"


# ---- commands -----------------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text += data


async def test_find_with_arabic_digits_escapes_the_description(h: Harness) -> None:
    description = 'جوازي <b>منتهي</b> وهذا <a href="x">رابط</a> & المزيد'
    number = await h.file(description=description)
    spaced = f"{number[:4]} {number[4:]}".translate(ARABIC_INDIC)
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, f"/find {spaced}", thread_id=TOPIC))

    [call] = h.sent()
    text = call.params["text"]
    assert call.params["parse_mode"] == "HTML"
    assert call.params["message_thread_id"] == TOPIC
    assert number in text and "تجديد هوية مقيم" in text
    assert "&lt;b&gt;منتهي&lt;/b&gt;" in text
    assert '&lt;a href="x"&gt;رابط&lt;/a&gt;' in text
    assert "&amp; المزيد" in text
    parser = _Tags()
    parser.feed(text)
    assert {tag for tag, _ in parser.tags} <= {"b", "code", "blockquote", "a"}
    assert all(dict(attrs).get("href") != "x" for _, attrs in parser.tags)
    # what the officer reads is the person's text, unchanged
    assert description in parser.text


async def test_find_unknown_and_mistyped_numbers(h: Harness) -> None:
    number = await h.file()
    other = new_request_number()
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, f"/find {other}"))
    await h.feed(
        h.updates.group_text(
            OFFICER, STAFF_CHAT, f"/find {number[:-1]}{(int(number[-1]) + 1) % 10}"
        )
    )
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, "/find"))
    texts = [c.params["text"] for c in h.sent()]
    assert other in texts[0]
    assert "خطأ" in texts[1]
    assert "/find" in texts[2]


async def test_commands_from_a_stranger_show_nothing(h: Harness) -> None:
    # nothing of the request or the counts; only that the commands are the officers'
    # (tester 12, §20: no answer at all before 5658f4b)
    number = await h.file()
    await h.feed(h.updates.group_text(STRANGER, STAFF_CHAT, f"/find {number}"))
    await h.feed(h.updates.group_text(STRANGER, STAFF_CHAT, "/stats"))
    refused = "أوامر الموظفين متاحة للموظفين المخوّلين في المديرية فقط."
    assert [c.params["text"] for c in h.sent()] == [refused, refused]
    assert not h.api.calls_for(STAFF_CHAT, "sendPhoto")


async def test_overdue_and_stats(h: Harness) -> None:
    late = await h.file("late", description="<script>")
    await h.desk.take(late, _officer_of(OFFICER))
    h.clock.now = SUNDAY + dt.timedelta(days=14)  # two weeks on: the first is overdue
    fresh = await h.file("fresh", service_id="exit_reentry_visa")
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, "/overdue"))
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, "/stats"))
    overdue, stats = (c.params["text"] for c in h.sent())
    assert late in overdue and fresh not in overdue
    assert "أيام عمل" in overdue or "يوم عمل" in overdue
    assert "نورة العتيبي" in overdue
    assert "قيد الدراسة: 1" in stats and "جديد: 1" in stats
    assert "متأخرة:</b> 1" in stats


async def test_stats_sends_a_chart_after_the_text(h: Harness) -> None:
    decided = await h.file("decided", service_id="passport_renew")
    await h.file("open", service_id="exit_reentry_visa")
    await h.desk.take(decided, _officer_of(OFFICER))
    await h.desk.accept(decided, _officer_of(OFFICER))
    h.clock.now = SUNDAY + dt.timedelta(days=1)
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, "/stats"))
    calls = [c for c in h.api.calls if c.chat_id == STAFF_CHAT and c.method.startswith("send")]
    assert [c.method for c in calls] == ["sendMessage", "sendPhoto"]
    photo = calls[1].params["photo"]
    if isinstance(photo, str):  # multipart: the field names the attached part
        photo = calls[1].params[photo.removeprefix("attach://")]
    image = Image.open(io.BytesIO(photo["data"]))
    assert image.format == "PNG" and image.size == (1080, 1620)  # no rating yet: 3 panels
    data = await h.desk.chart_data(riyadh_date(h.clock()))
    assert data.days[-2:] == [dt.date(2026, 11, 22), dt.date(2026, 11, 23)]
    assert sum(data.received) == 2 and data.received[-2] == 2
    assert sum(data.decided) == 1 and data.decided[-2] == 1
    assert data.on_time == {"passports": (1, 1)}
    [(oldest, days)] = data.oldest
    assert oldest != decided and days == 1
    assert data.satisfaction == {}  # nobody has rated yet: the chart has no satisfaction panel


async def test_stats_text_stands_when_the_chart_fails(
    h: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_: object) -> bytes:
        raise RuntimeError("no font")

    monkeypatch.setattr("bot.staff.commands.draw_stats_chart", broken)
    with caplog.at_level(logging.WARNING, logger="bot.staff.commands"):
        await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, "/stats"))
    [stats] = h.sent()
    assert "قيد الدراسة" in stats.params["text"]
    assert h.api.calls_for(STAFF_CHAT, "sendPhoto") == []
    [line] = [r for r in caplog.records if "chart" in r.getMessage()]
    assert "RuntimeError: no font" in line.getMessage()


def _officer_of(user: TgUser) -> Any:
    from officers.officer import Officer

    return Officer(user.id, f"{user.first_name} {user.last_name or ''}".strip())


# ---- failures -----------------------------------------------------------------------------


async def _break_audit(h: Harness, broken: bool) -> None:
    """Takes the audit table away (or puts it back): every decision fails at its write."""
    names = ("status_events", "status_events_away")
    old, new = names if broken else names[::-1]
    async with h.sessions() as session, session.begin():
        await session.execute(text(f"ALTER TABLE {old} RENAME TO {new}"))


async def test_a_failed_decision_says_so_and_changes_nothing(h: Harness) -> None:
    number = await h.file()
    card = await h.card(number)
    await _break_audit(h, broken=True)
    try:
        with pytest.raises(Exception):  # noqa: B017  (aiogram hands the error on, to be logged)
            await h.press(OFFICER, "take", card)
    finally:
        await _break_audit(h, broken=False)
    [answer] = h.answers()
    assert answer.params["show_alert"] is True and "حدث خطأ" in answer.params["text"]
    assert await h.status(number) is RequestStatus.RECEIVED
    assert h.kicks == []
    await h.press(OFFICER, "take", card)  # a new tap, once the database is back
    assert await h.status(number) is RequestStatus.UNDER_REVIEW


async def test_a_failed_question_can_be_sent_again(h: Harness) -> None:
    number = await h.file()
    await ask_typed(h, OFFICER, await h.card(number))
    prompt = _prompt(h)
    question = "ما تاريخ انتهاء الجواز؟"
    await _break_audit(h, broken=True)
    try:
        with pytest.raises(Exception):  # noqa: B017
            await h.feed(
                h.updates.group_text(
                    OFFICER, STAFF_CHAT, question, reply_to=prompt, thread_id=TOPIC
                )
            )
    finally:
        await _break_audit(h, broken=False)
    assert "حدث خطأ" in h.sent()[-1].params["text"]
    assert await h.status(number) is RequestStatus.RECEIVED
    # the prompt is still there: the same reply, sent again, goes through
    await h.feed(
        h.updates.group_text(OFFICER, STAFF_CHAT, question, reply_to=prompt, thread_id=TOPIC)
    )
    record = await h.desk.find(number)
    assert record is not None and record.pending_question == question


async def test_an_anonymous_admin_is_told_how_to_be_recognised(h: Harness) -> None:
    number = await h.file()
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, f"/find {number}", anonymous=True))
    (said,) = h.sent()
    assert "البقاء مجهولًا" in said.params["text"]
    assert number not in said.params["text"]  # nothing of the request is shown
