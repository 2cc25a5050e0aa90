"""The staff desk as two officers use it from the group, through the real router (aiogram,
the Bot API stand-in, Redis, SQLite and PostgreSQL): one owner per request, old buttons
refused, who did what by name, answers announced, searches by identity and mobile number,
the grace period of a decision. Uses the harness of test_staff_router."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from sqlalchemy import select

from bot.db.models import OutboxMessage
from bot.db.requests_repo import record_staff_card
from domain.status import RequestStatus
from tests.integration.test_staff_router import (
    COLLEAGUE,
    GRACE_S,
    OFFICER,
    STAFF_CHAT,
    TOPIC,
    Harness,
    _buttons,
    ask_typed,
    h,
)
from tests.integration.test_their_say import _notice_sent

__all__ = ["h"]  # the fixture

FSI_PDI = str.maketrans("", "", "\u2068\u2069")


def _alerts(h: Harness) -> list[str]:
    return [c.params.get("text", "") for c in h.api.calls if c.method == "answerCallbackQuery"]


async def _outbox(h: Harness, kind: str) -> list[OutboxMessage]:
    async with h.sessions() as session:
        rows = await session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
        )
        return list(rows)


async def _place_card(h: Harness, number: str) -> dict[str, Any]:
    """Posts the card and records where it is, as the outbox delivery does."""
    card = await h.card(number)
    record = await h.desk.find(number)
    assert record is not None
    async with h.sessions() as session, session.begin():
        from bot.db.models import Request

        request_id = await session.scalar(select(Request.id).where(Request.number == number))
        assert request_id is not None
        await record_staff_card(
            session, request_id, chat_id=STAFF_CHAT, thread_id=TOPIC,
            message_id=card["message_id"],
        )  # fmt: skip
    return card


def _command(h: Harness, text: str, user: Any = OFFICER) -> dict[str, Any]:
    return h.updates.group_text(user, STAFF_CHAT, text, thread_id=TOPIC)


# ---- one owner ---------------------------------------------------------------------------


async def test_two_officers_pressing_take_at_once_make_one_owner(h: Harness) -> None:
    number = await h.file()
    card = await h.card(number)
    await asyncio.gather(h.press(OFFICER, "take", card), h.press(COLLEAGUE, "take", card))
    record = await h.desk.find(number)
    assert record is not None and record.assigned_to is not None
    owner = "نورة العتيبي" if record.assigned_to == f"officer:{OFFICER.id}" else "فهد"
    alerts = _alerts(h)
    # one is told they took it (and what the card now says), the other who has it
    assert sum("تولّيت الطلب" in a for a in alerts) == 1
    refused = [a for a in alerts if "/takeover" in a]
    assert len(refused) == 1 and owner in refused[0]
    assert [e.to_status for e in record.events] == [
        RequestStatus.RECEIVED,
        RequestStatus.UNDER_REVIEW,
    ]


async def test_the_first_answer_to_a_take_says_what_the_card_will_show(h: Harness) -> None:
    number = await h.file()
    await h.press(OFFICER, "take", await h.card(number))
    [answer] = _alerts(h)
    assert "البطاقة الآن: 🔎 قيد الدراسة — نورة العتيبي" in answer


async def test_a_digest_loses_the_take_button_once_taken(h: Harness) -> None:
    first, second = await h.file("a"), await h.file("b")
    records = [await h.desk.find(first), await h.desk.find(second)]
    digest = h.renderer.digest([r for r in records if r], today=dt.date(2026, 11, 22))
    await h.bot.send_message(
        STAFF_CHAT,
        digest.html,
        parse_mode="HTML",
        message_thread_id=TOPIC,
        reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[
                [InlineKeyboardButton(text=b.label, callback_data=b.data) for b in row]
                for row in digest.buttons
            ]
        ),
    )
    message = h.api.last_message(STAFF_CHAT)
    assert message is not None
    take_first = next(d for d in _buttons(message) if f":{first}:" in d)
    await h.press(OFFICER, take_first, message)
    pruned = h.api.messages(STAFF_CHAT)[-1]
    assert pruned["message_id"] == message["message_id"]
    assert [d for d in _buttons(pruned) if f":{first}:" in d] == []
    assert [d for d in _buttons(pruned) if f":{second}:" in d]
    # the colleague's screen still shows the old digest: refused, with who has it
    await h.press(COLLEAGUE, take_first, message)
    record = await h.desk.find(first)
    assert record is not None and record.assigned_to == f"officer:{OFFICER.id}"
    assert "نورة العتيبي" in _alerts(h)[-1] and "/takeover" in _alerts(h)[-1]


async def test_taking_over_is_explicit_and_tells_the_first_officer(h: Harness) -> None:
    number = await h.file()
    await _place_card(h, number)
    await h.press(OFFICER, "take", await h.card(number))
    await h.feed(_command(h, f"/takeover {number}", COLLEAGUE))
    record = await h.desk.find(number)
    assert record is not None and record.assigned_name == "فهد"
    assert "نورة العتيبي" in h.sent()[-1].params["text"]
    [word] = await _outbox(h, "staff_text")
    # under the card, mentioning the officer who had it
    assert word.payload["reply_to"] is not None and word.payload["thread"] == TOPIC
    assert f'href="tg://user?id={OFFICER.id}"' in word.payload["html"]
    shown = h.renderer.card(record, today=dt.date(2026, 11, 22)).html.translate(FSI_PDI)
    assert "فهد: تولّي الطلب بدلًا من نورة العتيبي" in shown


# ---- old buttons ---------------------------------------------------------------------------


async def test_a_reasons_menu_shown_before_the_request_changed_is_refused(h: Harness) -> None:
    number = await h.file()
    card = await h.card(number)
    await h.press(OFFICER, "take", card)
    await h.press(OFFICER, "no", card)
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    # meanwhile the colleague accepts, and later reopens it
    await h.desk.accept(number, _officer(COLLEAGUE), over=True)
    await h.desk.reopen(number, _officer(COLLEAGUE), "معلومة جديدة")
    await h.press(OFFICER, "nr:0", menu)
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.UNDER_REVIEW
    assert "هذا الزر قديم" in _alerts(h)[-1] and "قيد الدراسة" in _alerts(h)[-1]
    # the menu is gone, and the person was told nothing more
    assert menu["message_id"] not in [m["message_id"] for m in h.api.messages(STAFF_CHAT)]
    assert [r.payload["status"] for r in await _outbox(h, "notify")] == [
        "under_review",
        "accepted",
        "under_review",
    ]


async def test_an_old_card_cannot_accept_a_request_someone_asked_about(h: Harness) -> None:
    number = await h.file()
    card = await h.card(number)
    await h.press(OFFICER, "take", card)
    # asked from another card (or the terminal) since this one was shown
    await h.desk.ask(number, _officer(OFFICER), "ما رقم الجواز؟")
    await h.press(OFFICER, "ok", card)
    await h.press(OFFICER, "ok", card)
    assert await h.status(number) is RequestStatus.NEEDS_INFO
    assert "هذا الزر قديم" in _alerts(h)[-1]


async def test_accepting_an_unreviewed_request_asks_once_for_confirmation(h: Harness) -> None:
    number = await h.file()
    card = await h.card(number)
    await h.press(OFFICER, "ok", card)
    assert await h.status(number) is RequestStatus.RECEIVED
    assert "يُضغط ✅ مرة أخرى" in _alerts(h)[-1]
    await h.press(OFFICER, "ok", card)
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.ACCEPTED
    # whoever decided is responsible, though nobody took it
    assert record.assigned_name == "نورة العتيبي"


async def test_a_decision_can_be_undone_before_the_person_is_told(h: Harness) -> None:
    number = await h.file()
    card = await h.card(number)
    await h.press(OFFICER, "take", card)
    await h.press(OFFICER, "ok", card)
    assert f"{GRACE_S} ثانية" in _alerts(h)[-1]
    [notice] = [n for n in await _outbox(h, "notify") if n.payload["status"] == "accepted"]
    assert notice.next_attempt_at > h.clock.now
    decided = await h.card(number)
    await h.press(OFFICER, "re", decided)
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.UNDER_REVIEW
    assert not [n for n in await _outbox(h, "notify") if n.payload["status"] == "accepted"]
    assert "لم يُبلَّغ" in _alerts(h)[-1]


# ---- nothing waits unseen ------------------------------------------------------------------


async def test_the_persons_answer_is_announced_to_the_officer_who_asked(h: Harness) -> None:
    number = await h.file()
    card = await _place_card(h, number)
    await ask_typed(h, OFFICER, card)
    prompt = h.api.last_message(STAFF_CHAT)
    await h.feed(
        h.updates.group_text(
            OFFICER, STAFF_CHAT, "ما تاريخ انتهاء الإقامة؟", reply_to=prompt, thread_id=TOPIC
        )
    )
    await h.feed(_command(h, "/waiting", COLLEAGUE))
    assert number in h.sent()[-1].params["text"]
    await h.desk.answer(number, channel="telegram", user_key="5551001", text="تنتهي ١٥ ديسمبر")
    [word] = await _outbox(h, "staff_text")
    assert word.payload["reply_to"] == card["message_id"] and word.payload["thread"] == TOPIC
    html = word.payload["html"]
    assert f'href="tg://user?id={OFFICER.id}"' in html
    assert "تنتهي ١٥ ديسمبر" in html and "ما تاريخ انتهاء الإقامة؟" in html
    await h.feed(_command(h, "/waiting", COLLEAGUE))
    assert "لا يوجد طلب بانتظار رد صاحبه" in h.sent()[-1].params["text"]


async def test_an_arabic_question_to_an_english_speaker_is_flagged(h: Harness) -> None:
    number = await h.file(locale="en")
    await ask_typed(h, OFFICER, await h.card(number))
    prompt = h.api.last_message(STAFF_CHAT)
    await h.feed(
        h.updates.group_text(
            OFFICER, STAFF_CHAT, "ما رقم الجواز؟", reply_to=prompt, thread_id=TOPIC
        )
    )
    # shown back with the warning before anything is sent (c0b72ba), not flagged after
    proposal = h.api.last_message(STAFF_CHAT)
    assert proposal is not None
    assert "لغة صاحب الطلب الإنجليزية" in proposal["text"], proposal
    assert await h.status(number) is not RequestStatus.NEEDS_INFO


async def test_mine_unassigned_and_overdue_say_what_needs_whom(h: Harness) -> None:
    mine = await h.file("mine")
    nobody = await h.file("nobody")
    asked = await h.file("asked")
    await h.press(OFFICER, "take", await h.card(mine))
    await h.desk.ask(asked, _officer(COLLEAGUE), "أرفق صورة الجواز")
    h.clock.now += dt.timedelta(days=14)  # all three are past their date
    for command in ("/mine", "/unassigned", "/overdue"):
        await h.feed(_command(h, command))
    mine_text, nobody_text, overdue_text = (c.params["text"] for c in h.sent()[-3:])
    assert mine in mine_text and nobody not in mine_text and asked not in mine_text
    assert nobody in nobody_text and mine not in nobody_text
    late, waiting = overdue_text.split("بانتظار رد", 1)
    assert mine in late and nobody in late and asked not in late
    assert asked in waiting  # listed apart: its clock is paused


async def test_unassigned_with_none_and_a_mistyped_takeover_say_so_plainly(h: Harness) -> None:
    number = await h.file("taken")
    await h.press(OFFICER, "take", await h.card(number))
    await h.feed(_command(h, "/unassigned"))
    assert h.sent()[-1].params["text"] == "لا توجد طلبات مفتوحة دون موظف مسؤول."
    # the check digit off by one: the number seems mistyped, and the format is shown
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    await h.feed(_command(h, f"/takeover {wrong}", COLLEAGUE))
    said = h.sent()[-1].params["text"]
    assert f"يبدو أن رقم الطلب «{wrong}» كُتب خطأً" in said
    assert "عشرة أرقام" in said and "/takeover 4512345671" in said
    record = await h.desk.find(number)
    assert record is not None and record.assigned_to == f"officer:{OFFICER.id}"  # unchanged


async def test_reopening_restarts_the_clock_from_the_group(h: Harness) -> None:
    number = await h.file()
    card = await h.card(number)
    await h.press(OFFICER, "take", card)
    await h.press(OFFICER, "ok", card)
    h.clock.now += dt.timedelta(days=14)  # Sunday 6 December
    await _notice_sent(h.sessions, number)  # told long ago: the outbox sent it
    await h.press(OFFICER, "re", await h.card(number))
    prompt = h.api.last_message(STAFF_CHAT)
    await h.feed(
        h.updates.group_text(
            OFFICER, STAFF_CHAT, "وصل مستند جديد", reply_to=prompt, thread_id=TOPIC
        )
    )
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.UNDER_REVIEW
    assert record.due_date == dt.date(2026, 12, 15)
    await h.feed(_command(h, "/overdue"))
    assert number not in h.sent()[-1].params["text"]


# ---- finding -------------------------------------------------------------------------------


async def test_find_by_identity_lists_the_persons_requests_newest_first(h: Harness) -> None:
    older = await h.file("older")
    h.clock.now += dt.timedelta(hours=1)
    newer = await h.file("newer", service_id="exit_reentry_visa")
    other = await h.file("other", identity_number="2000000014")
    await h.feed(_command(h, "/find ٢٠٠٠٠٠٠٠٠٦"))
    text = h.sent()[-1].params["text"]
    assert text.index(newer) < text.index(older) and other not in text
    # one request found: the card of it, naming the other open one
    await h.feed(_command(h, "/find 2000000014"))
    assert "تجديد هوية مقيم" in h.sent()[-1].params["text"]
    await h.feed(_command(h, f"/find {older}"))
    assert newer in h.sent()[-1].params["text"]  # another open request of this identity


async def test_find_by_mobile_number_in_any_form(h: Harness) -> None:
    number = await h.file(phone="+966512345678")
    await h.file("someone", phone="+966500000009", identity_number="2000000014")
    await h.feed(_command(h, "/find ٠٥١٢٣٤٥٦٧٨"))
    assert number in h.sent()[-1].params["text"]
    await h.feed(_command(h, "/find +966 51 234 5678"))
    assert number in h.sent()[-1].params["text"]


async def test_find_explains_numbers_of_the_wrong_kind(h: Harness) -> None:
    await h.feed(_command(h, "/find 7001234567"))
    await h.feed(_command(h, "/find 2000000007"))
    await h.feed(_command(h, "/find 12345"))
    establishment, typo, neither = (c.params["text"] for c in h.sent()[-3:])
    assert "رقم منشأة" in establishment
    assert "رقم الهوية" in typo and "خطأ" in typo
    assert "ليس رقم طلب ولا رقم هوية" in neither


def _officer(user: Any) -> Any:
    from officers.officer import Officer

    return Officer(user.id, f"{user.first_name} {user.last_name or ''}".strip())
