"""Words sent while earlier words are held under «هل رسالتك هي الإجابة عن هذا السؤال؟»
(an officer waits for an answer, nothing pressed) are added after them, in order, not put
in their place. Found by fresh users in sessions 14–15 (terminal and Telegram): the
second message replaced the first, and the officer got only the second; with one request
waiting and the first message read as a need, the second went to the officer alone and
the first was dropped. A file after held words already joined them (fresh-clone tester
15 §1); words now do too. A greeting or thanks after them is not added."""

from __future__ import annotations

from .fakes import Chat, MemoryGateway

NUMBER = "5038329651"
OTHER = "5038329669"
FIRST = "تنتهي ١٥ ديسمبر"
SECOND = "والكفيل اسمه محمد"


async def test_two_requests_waiting_both_messages_are_the_answer(
    chat: Chat, gateway: MemoryGateway
) -> None:
    gateway.ask(NUMBER, "ما تاريخ انتهاء الإقامة؟")
    gateway.ask(OTHER, "ما اسم الكفيل؟")
    await chat.command("start")
    await chat.text(FIRST)
    assert "هل رسالتك هي الإجابة" in chat.said
    await chat.text(SECOND)
    assert "هل رسالتك هي الإجابة" in chat.said  # asked again, both kept
    await chat.tap(f"ans:{NUMBER}")
    await chat.text("ارسل")
    assert [a.text for a in gateway.answers] == [f"{FIRST}\n{SECOND}"]


async def test_a_need_held_then_more_words_are_asked_about_together(
    chat: Chat, gateway: MemoryGateway
) -> None:
    gateway.ask(NUMBER, "ما تاريخ انتهاء الإقامة؟")
    await chat.command("start")
    need = "ابي اجدد اقامتي وهي تنتهي ١٥ ديسمبر"
    await chat.text(need)
    assert "هل رسالتك هي الإجابة" in chat.said
    await chat.text("والجواز ينتهي بعد سنة")
    assert gateway.answers == []  # nothing sent without a word from the person
    assert "هل رسالتك هي الإجابة" in chat.said
    await chat.tap(f"ans:{NUMBER}")
    await chat.text("ارسل")
    assert [a.text for a in gateway.answers] == [f"{need}\nوالجواز ينتهي بعد سنة"]


async def test_thanks_after_held_words_is_not_added(chat: Chat, gateway: MemoryGateway) -> None:
    gateway.ask(NUMBER, "ما تاريخ انتهاء الإقامة؟")
    gateway.ask(OTHER, "ما اسم الكفيل؟")
    await chat.command("start")
    await chat.text(FIRST)
    await chat.text("شكرا")
    await chat.text(SECOND)
    await chat.tap(f"ans:{NUMBER}")
    await chat.text("ارسل")
    (answer,) = gateway.answers
    assert "شكرا" not in answer.text and SECOND in answer.text


async def test_thanks_between_held_words_keeps_the_first_and_asks_again(
    chat: Chat, gateway: MemoryGateway
) -> None:
    """Fresh-clone tester 16 (§13's sequel): «شكرا» between two messages under «هل رسالتك
    هي الإجابة…؟» was answered with the step's question, and the first message was lost."""
    gateway.ask(NUMBER, "ما تاريخ انتهاء الإقامة؟")
    gateway.ask(OTHER, "ما اسم الكفيل؟")
    await chat.command("start")
    await chat.text(FIRST)
    await chat.text("شكرا")
    assert "هل رسالتك هي الإجابة" in chat.said, chat.said  # the question still waits
    assert FIRST in chat.said, chat.said  # and says which message it is about
    await chat.text(SECOND)
    await chat.tap(f"ans:{NUMBER}")
    await chat.text("ارسل")
    assert [a.text for a in gateway.answers] == [f"{FIRST}\n{SECOND}"]


async def test_thanks_under_the_question_at_a_draft_step_keeps_the_words(
    chat: Chat, gateway: MemoryGateway
) -> None:
    """The same at a draft's step: the words offered as the answer survive a «شكرا»."""
    gateway.ask(NUMBER, "ما تاريخ انتهاء الإقامة؟")
    await chat.command("start")
    await chat.text("فرد")
    await chat.text(FIRST)
    assert "هل رسالتك هي الإجابة" in chat.said, chat.said
    await chat.text("شكرا لك")
    assert "هل رسالتك هي الإجابة" in chat.said, chat.said
    await chat.text("نعم")
    await chat.text("ارسل")
    assert [a.text for a in gateway.answers] == [FIRST]
