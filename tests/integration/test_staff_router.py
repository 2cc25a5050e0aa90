"""Officers acting from the staff group, end to end through aiogram: raw updates into the
same dispatcher as the residents' router, the Bot API stand-in answering (getChatMember
included), a real Redis (membership cache, prompts, update claims) and a real database on
SQLite and PostgreSQL with requests filed through SqlRequestGateway."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Update
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
from bot.staff.router import parse_callback, staff_router
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
