"""The officers' ready questions on the card: «Ask for information» offers the usual
questions of the request's service, through aiogram with real Telegram payloads, the Bot
API stand-in, a real Redis and SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from bot.staff.callbacks import action_data, parse_callback
from bot.staff.questions import ready_questions
from domain.catalogue import load_catalogue
from domain.status import RequestStatus
from tests.integration.test_staff_router import (
    COLLEAGUE,
    OFFICER,
    STAFF_CHAT,
    TOPIC,
    Harness,
    ask_typed,
    h,
)

__all__ = ["h"]  # the fixture


def _menu(h: Harness) -> dict[str, Any]:
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    return menu


def _labels(message: dict[str, Any]) -> list[str]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [b["text"] for row in rows for b in row]


async def test_the_menu_offers_the_services_usual_questions(h: Harness) -> None:
    number = await h.file(service_id="iqama_renew")
    card = await h.card(number)
    await h.press(OFFICER, "ask", card)
    assert await h.status(number) is RequestStatus.RECEIVED  # nothing asked yet

    menu = _menu(h)
    call = h.sent()[-1]
    assert call.params["message_thread_id"] == TOPIC
    assert call.params["reply_parameters"]["message_id"] == card["message_id"]
    labels = _labels(menu)
    assert "يُرجى إرسال إيصال سداد رسوم التجديد." in labels
    assert "يُرجى إرسال صورة أوضح للإقامة من الوجهين." in labels
    # a passport-issue question is not offered for an iqama renewal
    assert "يُرجى إرسال صورة شخصية حديثة بخلفية بيضاء وواضحة الملامح." not in labels
    assert labels[-2:] == ["سؤال آخر (يُكتب)", "إلغاء"]
    data = [b["callback_data"] for row in menu["reply_markup"]["inline_keyboard"] for b in row]
    assert all(len(d.encode()) <= 64 and parse_callback(d) is not None for d in data)


async def test_a_picked_question_is_asked_in_the_persons_language(h: Harness) -> None:
    number = await h.file(service_id="iqama_renew", locale="en")
    await h.press(OFFICER, "ask", await h.card(number))
    menu = _menu(h)
    second = h.data("nq:iqama_clear", menu)
    await h.press(OFFICER, "nq:renewal_receipt", menu)

    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.NEEDS_INFO
    assert record.pending_question == "Please send the renewal fee payment receipt."
    assert record.assigned_to == f"officer:{OFFICER.id}"
    assert h.kicks == [1]
    # the menu says what was asked and its buttons are gone
    edited = h.api.messages(STAFF_CHAT)[-1]
    assert edited["message_id"] == menu["message_id"] and "reply_markup" not in edited
    assert "Please send the renewal fee payment receipt." in edited["text"]
    # the card's button is offered no more for this version: a second pick is refused
    await h.press(COLLEAGUE, second, menu)
    record = await h.desk.find(number)
    assert record is not None
    assert record.pending_question == "Please send the renewal fee payment receipt."


async def test_own_question_typed_from_the_menu(h: Harness) -> None:
    number = await h.file(service_id="dependents")
    await ask_typed(h, OFFICER, await h.card(number))
    assert h.sent()[-1].params["reply_markup"]["force_reply"] is True
    prompt = _menu(h)
    await h.feed(
        h.updates.group_text(
            OFFICER, STAFF_CHAT, "ما اسم التابع كما في جوازه؟", reply_to=prompt, thread_id=TOPIC
        )
    )
    record = await h.desk.find(number)
    assert record is not None and record.pending_question == "ما اسم التابع كما في جوازه؟"


async def test_cancel_and_forged_questions_change_nothing(h: Harness) -> None:
    number = await h.file(service_id="dependents")
    card = await h.card(number)
    await h.press(OFFICER, "ask", card)
    menu = _menu(h)
    # an id that is not one of the service's questions, and one that breaks the format
    await h.press(OFFICER, "nq:renewal_receipt", menu)
    await h.press(OFFICER, f"st:nq:{number}:1:DROP-TABLE", menu)
    assert await h.status(number) is RequestStatus.RECEIVED
    await h.press(OFFICER, "nq:cancel", menu)
    assert await h.status(number) is RequestStatus.RECEIVED
    assert menu["message_id"] not in [m["message_id"] for m in h.api.messages(STAFF_CHAT)]
    assert h.kicks == []


def test_every_service_has_its_own_questions_in_both_languages() -> None:
    for service in load_catalogue().services:
        questions = ready_questions(service.id)
        own = len(questions) - len(ready_questions("no-such-service"))
        assert own >= 2, service.id
        assert len({q.id for q in questions}) == len(questions), service.id
        for question in questions:
            assert question.texts["ar"] and question.texts["en"], question.id
            # the longest button still fits Telegram's 64 bytes
            assert len(action_data("nq", "4512345671", 99999, question.id).encode()) <= 64
