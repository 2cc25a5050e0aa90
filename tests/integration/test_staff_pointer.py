"""An officer who tries to decide by typing is pointed to the alert's buttons.

Found by the fresh-clone tester: ``/accept N`` in the staff group got no answer at all (no
such command: officers decide with the buttons under the request's alert). Through the real
staff router (aiogram, the Bot API stand-in, a real Redis, SQLite and PostgreSQL): unknown
commands addressed to the bot, and short replies to an alert that read as a decision, get
the pointer, only for officers; officers' other talk, commands for other bots and replies
to other messages stay unanswered, and nothing of the request changes.
"""

from __future__ import annotations

import pytest

from bot.staff.pointer import command_word, decision_words
from domain.status import RequestStatus
from standins.telegram_updates import TgUser
from tests.integration.test_staff_hints import _say
from tests.integration.test_staff_router import (
    COLLEAGUE,
    OFFICER,
    STAFF_CHAT,
    STRANGER,
    TOPIC,
    Harness,
    h,
)

__all__ = ["h"]  # the fixture

BUTTONS = "بالأزرار الموجودة أسفل تنبيه الطلب"


def _is_pointer(text: str) -> bool:
    return BUTTONS in text and "«قبول»" in text and "\n/help" in text


async def test_an_unknown_command_gets_the_pointer_and_decides_nothing(h: Harness) -> None:
    number = await h.file()
    for typed in (
        f"/accept {number}",
        f"/accept@tawasul_test_bot {number}",
        f"\u200e/reject {number} ناقص",
        "/قبول",
        "/status",
    ):
        said = await _say(h, OFFICER, typed)
        assert said.startswith("هذا الأمر غير موجود."), (typed, said)
        assert _is_pointer(said), said
    assert await h.status(number) is RequestStatus.RECEIVED
    # the known commands still answer as before
    assert "/find" in await _say(h, COLLEAGUE, "/help")


async def test_no_pointer_for_strangers_other_bots_or_plain_talk(h: Harness) -> None:
    number = await h.file()
    before = len(h.sent())
    # a stranger's command is told the commands are the officers' (tester 12, §20: it
    # got no answer at all), not the pointer, and nothing of the request
    await h.feed(h.updates.group_text(STRANGER, STAFF_CHAT, f"/accept {number}", thread_id=TOPIC))
    [refused] = h.sent()[before:]
    assert refused.params["text"] == "أوامر الموظفين متاحة للموظفين المخوّلين في المديرية فقط."
    before += 1
    for user, typed in (
        (OFFICER, f"/accept@another_bot {number}"),
        (OFFICER, "قبول"),  # not a reply to an alert
        (OFFICER, "/ ok"),
        (OFFICER, "1/2 الملفات وصلت"),
    ):
        await h.feed(h.updates.group_text(user, STAFF_CHAT, typed, thread_id=TOPIC))
    assert len(h.sent()) == before


async def _reply(h: Harness, user: TgUser, text: str, to: dict[str, object]) -> None:
    await h.feed(h.updates.group_text(user, STAFF_CHAT, text, reply_to=to, thread_id=TOPIC))


@pytest.mark.parametrize("word", ["مقبول", "قبول", "رفض", "تم الرفض.", "Rejected", "مرفوضة"])
async def test_a_decision_typed_under_an_alert_gets_the_pointer(h: Harness, word: str) -> None:
    number = await h.file()
    card = await h.card(number)
    before = len(h.sent())
    await _reply(h, OFFICER, word, card)
    [said] = h.sent()[before:]
    text = str(said.params["text"])
    assert text.startswith("الرد على التنبيه لا يغيّر حالة الطلب."), text
    assert _is_pointer(text)
    # as a reply to the officer's message, in the alert's topic
    assert said.params["message_thread_id"] == TOPIC
    assert await h.status(number) is RequestStatus.RECEIVED


async def test_an_alert_without_buttons_still_counts_and_talk_is_left_alone(h: Harness) -> None:
    number = await h.file()
    card = await h.card(number)
    await h.press(OFFICER, "ok", card)  # accepted: its card's mark is ✅
    decided = await h.card(number)
    decided.pop("reply_markup", None)
    before = len(h.sent())
    await _reply(h, COLLEAGUE, "مقبول", decided)
    assert len(h.sent()) == before + 1

    for user, typed, to in (
        (OFFICER, "رفض الكفيل التوقيع، سأتصل به غدًا وأبلغكم", card),  # officers talking
        (OFFICER, "من يتولى هذا؟", card),
        (STRANGER, "مقبول", card),  # not an officer
    ):
        await _reply(h, user, typed, to)
    assert len(h.sent()) == before + 1
    # a reply to an officer's message is their talk, whatever it says
    officers_message = h.updates.group_text(COLLEAGUE, STAFF_CHAT, "نقبله؟", thread_id=TOPIC)
    await _reply(h, OFFICER, "مقبول", officers_message["message"])
    assert len(h.sent()) == before + 1


def test_the_words_are_read_from_the_data_file() -> None:
    words = decision_words()
    assert words.match("مقبولة") and words.match("أرفض") and words.match("ACCEPTED")
    assert not words.match("سأراجع الطلب غدًا") and not words.match("")
    assert command_word("\u200e/accept@bot 1") == ("accept", "bot")
    assert command_word("/ ok") is None and command_word("/1") is None


async def test_a_redelivered_update_is_answered_once(h: Harness) -> None:
    """The update is claimed in Redis first, as every staff command's, so of two workers
    (or Telegram's redelivery) one answers."""
    raw = h.updates.group_text(OFFICER, STAFF_CHAT, "/accept 4512345671", thread_id=TOPIC)
    before = len(h.sent())
    await h.feed(raw)
    await h.feed(raw)
    assert len(h.sent()) == before + 1
