"""Issue 10 item 12 in the real dialogue: greetings, thanks and goodbyes are answered in
kind, never read as an answer or a need, and the welcome is not repeated every time.
Split from test_manners.py (past 400 lines)."""

from __future__ import annotations

import datetime as dt

import pytest

from .fakes import Chat
from .test_intake import PHONE, RESIDENT, _to_identity
from .test_manners import Clock, _to_summary, _to_summary_en
from .test_manners import chat as chat
from .test_manners import clock as clock
from .test_manners import gateway as gateway


async def test_salam_is_answered(chat: Chat) -> None:
    await chat.text("السلام عليكم")
    assert chat.said.startswith("وعليكم السلام")
    assert chat.choice_ids[:2] == ["ind", "est"]


@pytest.mark.parametrize(
    ("typed", "back"),
    [("هلا", "هلا بك."), ("هلا والله", "هلا بك."), ("مرحبا", "مرحبًا بك."),
     ("صباح الخير", "صباح النور."), ("مساء الخير", "مساء النور.")],
)  # fmt: skip
async def test_a_greeting_first_is_answered_in_kind_above_the_welcome(
    chat: Chat, typed: str, back: str
) -> None:
    """Fresh-clone tester 15 (§11): «هلا» as the first message got the welcome and no
    greeting back, while «السلام عليكم» got «وعليكم السلام»."""
    await chat.text(typed)
    assert chat.said.startswith(f"{back}\nأهلًا بك في «تواصل»"), chat.said
    assert chat.choice_ids[:2] == ["ind", "est"]


async def test_a_plain_hello_first_is_answered_by_the_welcome(chat: Chat) -> None:
    await chat.text("اهلا")
    assert chat.said.startswith("أهلًا بك في «تواصل»"), chat.said


async def test_thanks_after_filing_is_a_short_answer(chat: Chat) -> None:
    await _to_summary(chat)
    await chat.tap("confirm")
    await chat.text("شكرًا")
    assert chat.said.startswith("العفو")
    assert "تواصل" not in chat.said  # not the whole welcome
    assert chat.choice_ids == ["new", "status", "help"]


async def test_thanks_after_a_refusal_is_not_a_service_request(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي امدد زيارة امي")
    await chat.text("ايه")
    await chat.text("مصريه")
    assert "للجنسيتين السورية واليمنية فقط" in chat.said
    await chat.text("طيب شكرا")
    assert chat.said.startswith("العفو")
    assert "لم أتمكن من تحديد الخدمة" not in chat.said
    assert "other" in chat.choice_ids


async def test_salam_with_the_need_after_start_is_answered_and_the_need_used(
    chat: Chat,
) -> None:
    # Telegram's Start button and the terminal both send /start first: the need then
    # comes at the first question, and the salam was not returned there
    await chat.command("start")
    await chat.text("السلام عليكم ابي امدد زيارة امي")
    assert chat.said.startswith("وعليكم السلام")
    assert chat.choice_ids[0] == "s:visit_visa_extension"
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.contact(PHONE)
    await chat.text("السلام عليكم، انتهت اقامتي ولا اقدر اجددها من ابشر")
    assert chat.said.startswith("وعليكم السلام") and "للمستندات" in chat.said


async def test_in_english_hello_with_the_need_after_start(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("English")
    await chat.text("Hello, I need to extend my wife's visit visa")
    assert chat.said.startswith("Hello, and welcome.")
    assert chat.choice_ids[0] == "s:visit_visa_extension"


@pytest.mark.parametrize("typed", ["مع السلامة", "في أمان الله", "bye"])
async def test_goodbye_is_answered_in_kind(chat: Chat, typed: str) -> None:
    await _to_identity(chat)
    await chat.text(typed)  # it was read as the identity number («أرقام فقط»)
    assert "أرقام فقط" not in chat.said
    assert chat.said.startswith("مع السلامة") and "رقم هويتك" in chat.said
    await _to_summary(chat)
    await chat.tap("confirm")
    await chat.text(typed)  # after filing: a word back and the same buttons
    assert chat.said.startswith("مع السلامة")
    assert chat.choice_ids == ["new", "status", "help"]


async def test_a_greeting_mid_way_keeps_the_question(chat: Chat) -> None:
    await _to_identity(chat)
    await chat.text("السلام عليكم")
    assert "وعليكم السلام" in chat.said and "رقم هويتك" in chat.said


async def test_the_welcome_is_not_repeated_within_hours(chat: Chat, clock: Clock) -> None:
    await chat.command("start")
    assert "مرحبًا بك في تواصل" in chat.said or "تواصل" in chat.said
    await chat.text("الغاء")
    await chat.text("مرحبا")
    assert "تواصل" not in chat.said and chat.choice_ids[:2] == ["ind", "est"]
    clock.now += dt.timedelta(hours=13)
    await chat.text("الغاء")
    await chat.text("مرحبا")
    assert "تواصل" in chat.said


async def test_in_english_hello_and_thanks(chat: Chat) -> None:
    await chat.text("English")
    await _to_summary_en(chat)
    await chat.tap("confirm")
    await chat.text("thank you")
    assert chat.said.startswith("You're welcome")
    assert "Welcome to Tawasul" not in chat.said
    await chat.text("hello")
    assert chat.choice_ids[:2] == ["ind", "est"]


@pytest.mark.parametrize(
    "typed", ["مرحبا مرة ثانية", "صباح الخير مرة ثانية", "كيف حالك", "marhaba"]
)
async def test_a_greeting_after_filing_is_never_a_service(chat: Chat, typed: str) -> None:
    # «مرحبا مرة ثانية» was offered the service «أخرى»
    await _to_summary(chat)
    await chat.tap("confirm")
    await chat.text(typed)
    assert not any(c.startswith("s:") for c in chat.choice_ids)
    assert chat.choice_ids[:2] == ["ind", "est"]  # the first menu
    # greeted back: «صباح الخير» in kind, «صباح النور» (tester 15 §11)
    assert any(back in chat.said for back in ("أهلًا", "مرحبًا", "صباح النور")), chat.said


@pytest.mark.parametrize("typed", ["يا هلا", "هلا والله", "يا هلا والله", "يا هلا وغلا"])
@pytest.mark.parametrize(
    ("steps", "question"),
    [
        ((), "ما الخدمة المطلوبة؟"),
        (("ابي اجدد اقامتي",), "هل هذه هي الخدمة المطلوبة؟"),
        (("!g:passports", "!s:passport_renew"), "لمن هذا الطلب؟"),
        (("ابي اجدد اقامتي", "!s:iqama_renew", "!q:inside"), "رقم هويتك"),
    ],
)
async def test_a_hello_at_any_step_is_greeted_back_and_never_an_answer(
    chat: Chat, typed: str, steps: tuple[str, ...], question: str
) -> None:
    """Session 15 (fresh users): «يا هلا» at the services got «لم أتمكن من تحديد الخدمة
    المقصودة», as did «يا هلا والله» at «هل هذه هي الخدمة المطلوبة؟»."""
    await chat.command("start")
    await chat.tap("ind")
    for step in steps:
        await (chat.tap(step[1:]) if step.startswith("!") else chat.text(step))
    offered = chat.choice_ids
    await chat.text(typed)
    assert chat.said.startswith("هلا بك.\n"), chat.said
    assert question in chat.said and chat.choice_ids == offered


@pytest.mark.parametrize(("typed", "hello"), [("hello?", "Hello."), ("hi", "Hello.")])
async def test_a_hello_mid_request_is_greeted_back_briefly(
    chat: Chat, typed: str, hello: str
) -> None:
    """Tester 16 §12: «hello?» at «What is the visitor's nationality?» got «Hello, and
    welcome.», a welcome in the middle of a request; now a brief hello and the question."""
    await chat.text("English")
    await chat.text("I need to extend my wife's visit visa")
    await chat.tap("s:visit_visa_extension")
    assert "nationality" in chat.said
    await chat.text(typed)
    assert chat.said.startswith(hello) and "welcome" not in chat.said
    assert "nationality" in chat.said


async def test_an_arabic_hello_mid_request_is_not_a_welcome(chat: Chat) -> None:
    await chat.text("ابي امدد زيارة امي")
    await chat.tap("s:visit_visa_extension")
    await chat.text("اهلا")
    assert chat.said.startswith("أهلًا بك.") and "أهلًا وسهلًا" not in chat.said
