"""Issue 10 items 1-3, issue 9 items 5 and 8: while an officer waits for an answer, what the
person sends is that answer, whether or not they pressed «Answer»; «تم» or «send» sends it;
a bare number is text; a caption and several messages are one answer. The real engine and
flows; the request side is the in-memory gateway."""

from __future__ import annotations

import logging

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from conversations.ports import StatusView
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_intake import RESIDENT, _to_identity

NUMBER = "5038329651"
OTHER = "5038329669"
QUESTION = "ما تاريخ انتهاء الإقامة؟"


@pytest.fixture
def gateway() -> MemoryGateway:
    gateway = MemoryGateway()
    gateway.ask(NUMBER, QUESTION)
    return gateway


@pytest.mark.parametrize("first", [None, "start"])
async def test_a_typed_message_is_the_answer_without_pressing_answer(
    chat: Chat, gateway: MemoryGateway, first: str | None
) -> None:
    if first:
        await chat.command(first)  # at «individual or establishment?»: nothing filled yet
    await chat.text("تنتهي يوم ١٥ ديسمبر")
    assert "ما تاريخ انتهاء الإقامة" in chat.said and NUMBER in chat.said
    # plainly not sent yet, and how to send it
    assert "لم تُرسل بعد" in chat.said and "«إرسال»" in chat.said
    assert "فرد" not in chat.said  # not the first question again
    assert gateway.answers == []
    await chat.text("تم")
    assert [a.text for a in gateway.answers] == ["تنتهي يوم ١٥ ديسمبر"]
    assert "أُضيف ردّك" in chat.said
    assert "نعود إلى الطلب" not in chat.said  # nothing was being filled


async def test_after_filing_a_photo_with_a_caption_is_the_answer(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await chat.command("start")
    await chat.media(ref="iqama-photo", caption="صورة الإقامة وفيها تاريخ الانتهاء")
    assert "ما تاريخ انتهاء الإقامة" in chat.said
    await chat.text("والتاريخ ١٥ ديسمبر")
    await chat.text("ارسل")
    answer = gateway.answers[0]
    assert [(a.ref, a.caption) for a in answer.attachments] == [
        ("iqama-photo", "صورة الإقامة وفيها تاريخ الانتهاء")
    ]
    # the caption and the next message are one answer, in the order sent
    assert answer.text == "صورة الإقامة وفيها تاريخ الانتهاء\nوالتاريخ ١٥ ديسمبر"


@pytest.mark.parametrize("word", ["تم", "ارسل", "إرسال", "أرسل", "send", "Done", "خلاص"])
async def test_send_words_send_the_answer(chat: Chat, gateway: MemoryGateway, word: str) -> None:
    await chat.tap(f"ans:{NUMBER}")
    await chat.text("تنتهي يوم ١٥ ديسمبر")
    await chat.text(word)
    assert [a.text for a in gateway.answers] == ["تنتهي يوم ١٥ ديسمبر"]


@pytest.mark.parametrize("typed", ["٣", "3", "1", "٢"])
async def test_a_bare_number_is_the_answer_not_a_menu_index(
    chat: Chat, gateway: MemoryGateway, typed: str
) -> None:
    gateway.ask(NUMBER, "كم عدد أفراد الأسرة المقيمين معك؟")
    await chat.tap(f"ans:{NUMBER}")
    await chat.text(typed)
    assert "لم تُرسل بعد" in chat.said  # kept as text: neither cancel, send nor help
    await chat.text("إرسال")
    assert [a.text for a in gateway.answers] == [typed]


async def test_the_answer_step_shows_its_buttons_unnumbered(chat: Chat) -> None:
    await chat.tap(f"ans:{NUMBER}")
    assert chat.last[-1].numbered is False  # a typed number is the answer there
    await chat.text("1")
    assert chat.last[-1].numbered is False


async def test_mid_draft_an_unusable_message_is_offered_as_the_answer(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_identity(chat)
    await chat.text("تنتهي يوم ١٥ ديسمبر")
    assert "رقم" in chat.last[0].text  # the step's own hint first
    assert "هل رسالتك هي الإجابة" in chat.said
    await chat.text("1")  # «Yes, it is my answer»
    assert "ما تاريخ انتهاء الإقامة" in chat.said
    await chat.text("send")
    assert [a.text for a in gateway.answers] == ["تنتهي يوم ١٥ ديسمبر"]
    # back to the draft, at the identity step
    assert "نعود إلى الطلب" in chat.said
    await chat.text(RESIDENT)
    assert chat.last[-1].ask_contact


async def test_no_to_the_offer_stays_on_the_step(chat: Chat, gateway: MemoryGateway) -> None:
    await _to_identity(chat)
    await chat.text("تنتهي يوم ١٥ ديسمبر")
    await chat.tap("notans")
    assert "رقم هويتك" in chat.said
    await chat.text(RESIDENT)
    assert chat.last[-1].ask_contact
    assert gateway.answers == []


async def test_a_new_need_while_waiting_is_asked_about_not_swallowed(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await chat.command("start")
    await chat.text("ابي اجدد اقامتي")
    assert "هل رسالتك هي الإجابة" in chat.said
    await chat.tap("notans")
    assert chat.choice_ids[0] == "s:iqama_renew"
    assert gateway.answers == []


async def test_several_waiting_requests_are_asked_which(chat: Chat, gateway: MemoryGateway) -> None:
    gateway.ask(OTHER, "أرفق صورة الجواز")
    await chat.command("start")
    await chat.media(ref="passport")
    assert {f"ans:{NUMBER}", f"ans:{OTHER}", "notans"} <= set(chat.choice_ids)
    await chat.tap(f"ans:{OTHER}")
    assert "أرفق صورة الجواز" in chat.said
    await chat.tap("send")
    assert [(a.number, [f.ref for f in a.attachments]) for a in gateway.answers] == [
        (OTHER, ["passport"])
    ]


async def test_a_greeting_is_not_an_answer(chat: Chat, gateway: MemoryGateway) -> None:
    await chat.text("السلام عليكم")
    assert gateway.answers == []
    assert "تواصل" in chat.said  # the welcome, not «added to your answer»
    assert "لم تُرسل بعد" not in chat.said


async def test_nothing_waiting_means_the_usual_dialogue(chat: Chat, gateway: MemoryGateway) -> None:
    gateway.questions.clear()
    gateway.views.clear()
    await chat.command("start")
    await chat.text("تنتهي يوم ١٥ ديسمبر")
    assert "هل رسالتك هي الإجابة" not in chat.said
    assert "لم تُرسل بعد" not in chat.said


async def test_in_english_the_message_is_the_answer_and_done_sends_it(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await chat.text("English")
    await chat.text("It expires on 15 December")
    assert "I've taken your message as your answer" in chat.said
    assert "not sent yet" in chat.said
    await chat.text("done")
    assert [a.text for a in gateway.answers] == ["It expires on 15 December"]
    assert "has been added to request" in chat.said


async def test_an_album_asked_about_joins_the_answer_whole(
    chat: Chat, gateway: MemoryGateway
) -> None:
    gateway.ask(OTHER, "أرفق صورة الجواز")
    await chat.command("start")
    await chat.media(ref="page-1", album="alb")
    assert "ans:" + NUMBER in chat.choice_ids  # two requests wait: asked which
    assert await chat.media(ref="page-2", album="alb") == []  # one question per album
    await chat.tap(f"ans:{OTHER}")
    await chat.text("ارسل")
    assert [f.ref for f in gateway.answers[0].attachments] == ["page-1", "page-2"]


async def test_a_salam_back_and_thanks_are_not_sent_to_the_officer(
    chat: Chat, gateway: MemoryGateway
) -> None:
    """The fresh-clone tester's «وعليكم السلام» after an officer's question was taken as
    the answer, and the officer read it."""
    gateway.ask(NUMBER, "ارسل صورة إيصال السداد")
    await chat.command("start")
    await chat.text("وعليكم السلام")
    assert "اعتبرتُ رسالتك" not in chat.said and "لم تُرسل بعد" not in chat.said
    # answered in kind, the question kept
    assert "أهلًا" in chat.said
    await chat.tap(f"ans:{NUMBER}")
    for courtesy in ("وعليكم السلام", "شكرًا"):
        await chat.text(courtesy)
        assert "أُضيف هذا إلى إجابتك" not in chat.said and "لم تُرسل بعد" not in chat.said
    await chat.text("الإيصال في الصورة")
    await chat.text("إرسال")
    assert [a.text for a in gateway.answers] == ["الإيصال في الصورة"]


async def test_a_menu_label_at_the_first_menu_is_the_menus_not_the_answer(
    chat: Chat, gateway: MemoryGateway
) -> None:
    """Tester 14 (open): «فرد» at the first menu, while an officer's question waited, was
    taken as the answer to the officer and its «إرسال الرد» offered."""
    await chat.command("start")
    await chat.text("فرد")
    assert "لم تُرسل بعد" not in chat.said and "إرسال الرد" not in chat.said
    assert "لمن هذا الطلب" in chat.said or "الخدمة" in chat.said, chat.said
    assert gateway.answers == []


@pytest.mark.parametrize("typed", ["1", "١", "2", "3"])
async def test_a_menu_number_at_the_first_menu_is_asked_about(
    chat: Chat, gateway: MemoryGateway, typed: str
) -> None:
    """A bare number at the first menu may pick an option («1» «فرد», tester 14) or answer
    the officer («كم عدد أفراد الأسرة؟»: review 15 §2, 50a30e7 gave «2» and «3» to the menu
    and «إرسال» then sent nothing). The person is asked; «لا» picks the menu's option."""
    await chat.command("start")
    await chat.text(typed)
    assert "هل رسالتك هي الإجابة" in chat.said, chat.said
    assert gateway.answers == []
    await chat.tap("notans")
    assert "لم تُرسل بعد" not in chat.said and "إرسال الرد" not in chat.said
    assert gateway.answers == []


@pytest.mark.parametrize("typed", ["2", "3"])
async def test_a_number_at_the_first_menu_said_to_be_the_answer_is_sent(
    chat: Chat, gateway: MemoryGateway, typed: str
) -> None:
    await chat.command("start")
    await chat.text(typed)
    await chat.tap(f"ans:{NUMBER}")
    await chat.text("إرسال")
    assert [a.text for a in gateway.answers] == [typed]


@pytest.mark.parametrize("typed", ["نعم داخل المملكة", "تنتهي ١٥ / ١٢", "2000000006", "5"])
async def test_at_the_first_menu_what_is_no_menu_pick_is_the_answer(
    chat: Chat, gateway: MemoryGateway, typed: str
) -> None:
    """The other side of the menu's numbers: words, a date, an identity number or a digit
    past the menu's choices are still taken as the answer to the waiting question."""
    await chat.command("start")
    await chat.text(typed)
    assert "ما تاريخ انتهاء الإقامة" in chat.said and "لم تُرسل بعد" in chat.said
    await chat.text("إرسال")
    assert [a.text for a in gateway.answers] == [typed]


@pytest.mark.parametrize("pressed", [True, False], ids=["answer-pressed", "typed-at-menu"])
async def test_cancel_while_answering_says_the_answer_was_not_sent_and_the_question_waits(
    chat: Chat, gateway: MemoryGateway, pressed: bool
) -> None:
    """«إلغاء» in the middle of an answer said «تم الإلغاء، ولم يُرسَل الطلب الذي كنت
    تعبّئه…» of a request nobody was filling, with no word of the question still open."""
    await chat.command("start")
    if pressed:
        await chat.tap(f"ans:{NUMBER}")
    await chat.text("تنتهي يوم ١٥ ديسمبر")
    await chat.text("إلغاء")
    assert "لم يُرسَل ردّك" in chat.said and "ينتظر إجابتك" in chat.said, chat.said
    assert "بدأت تعبئته" not in chat.said
    assert gateway.answers == []


HELD_WORDS = "جوازها منتهي هو بعد 😅 بتجدده بالسفارة المصريه بالقاهرة وبرسله لكم"


@pytest.mark.parametrize("send", ["ارسل", "تم"])
async def test_held_words_join_the_file_sent_as_the_answer(
    chat: Chat, gateway: MemoryGateway, send: str
) -> None:
    """Fresh-clone tester 15 (§1): the words held under «هل رسالتك هي الإجابة؟» were lost
    when the person sent the photo and «ارسل» without tapping «نعم، هذه إجابتي»."""
    gateway.ask(NUMBER, "فضلًا أرسل صورة جواز ساري المفعول.")
    await chat.command("start")
    await chat.text(HELD_WORDS)
    assert "هل رسالتك هي الإجابة" in chat.said
    await chat.media(ref="passport")
    assert "لم تُرسل بعد" in chat.said
    await chat.text(send)
    assert [(a.text, [f.ref for f in a.attachments]) for a in gateway.answers] == [
        (HELD_WORDS, ["passport"])
    ]


async def test_held_words_and_a_file_are_asked_about_together_when_several_wait(
    chat: Chat, gateway: MemoryGateway
) -> None:
    gateway.ask(OTHER, "أرفق صورة الجواز")
    await chat.command("start")
    await chat.text(HELD_WORDS)
    await chat.media(ref="passport")
    assert "هل رسالتك هي الإجابة" in chat.last[-1].text or "ans:" + OTHER in chat.choice_ids
    await chat.tap(f"ans:{OTHER}")
    await chat.text("ارسل")
    assert [(a.number, a.text, [f.ref for f in a.attachments]) for a in gateway.answers] == [
        (OTHER, HELD_WORDS, ["passport"])
    ]


async def test_the_still_waiting_line_left_out_when_the_requests_cannot_be_read_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # session 18's staff-side list: this was a silent «except Exception»
    class Failing(MemoryGateway):
        down = False

        async def my_requests(self, channel: str, user_key: str) -> list[StatusView]:
            if self.down:
                raise ConnectionError("database away")
            return await super().my_requests(channel, user_key)

    failing = Failing()
    failing.ask(NUMBER, QUESTION)
    chat = Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), failing).handle)
    await chat.command("start")
    await chat.text("ابي اجدد اقامتي")
    assert "هل رسالتك هي الإجابة" in chat.said
    failing.down = True
    with caplog.at_level(logging.WARNING, logger="conversations.officer_answers"):
        await chat.tap("notans")
    assert chat.choice_ids[0] == "s:iqama_renew", chat.said  # the screen, as it was
    assert "waiting questions not read: ConnectionError" in caplog.text
