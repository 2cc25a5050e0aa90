"""The question a person has not answered yet is asked again, not the step under it nor
the last complaint: after a language switch, in the new language (tester 14, §8: «English»
at «هل يُحذف؟» showed the step underneath, the question dropped), and for an empty
message, alone (§9: an empty line at the phone step got «ما كتبته ليس رقم جوال.», at the
summary «لم يُرسَل طلبك…»). Every question that waits outside the step: «هل يُحذف؟»
(«إلغاء», «ابدأ من جديد»), «Delete your data?», «is your message the answer?» to an
officer's question, «add this file to your request?»."""

from __future__ import annotations

import datetime as dt

import pytest

from conversations.engine import Engine
from conversations.events import Command
from conversations.flows.intake import INTAKE
from conversations.ports import StatusView
from domain.catalogue import load_catalogue
from domain.sla import due_date

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_intake import PHONE, RESIDENT, _to_attachments, _to_identity
from .test_my_data import FakePersonalData

NUMBER = "5038329651"


@pytest.mark.parametrize("empty", ["", "   ", "\u200f", "\u200f \u200e\n"])
async def test_an_empty_message_at_the_phone_step_gets_the_question_alone(
    chat: Chat, empty: str
) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)
    question = chat.said  # the phone step's question
    await chat.text("hello world")
    assert "ما كتبته ليس رقم جوال" in chat.said
    await chat.text(empty)
    assert chat.said == question and chat.last[-1].ask_contact, chat.said
    await chat.contact(PHONE)  # the step goes on as before
    assert "وصف" in chat.said


async def test_an_empty_message_at_the_summary_shows_the_summary_and_sends_nothing(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_attachments(chat)
    await chat.media()
    await chat.tap("done")
    await chat.text("👍")
    assert "لم يُرسَل طلبك" in chat.said
    await chat.text("")
    assert "يُرجى مراجعة طلبك" in chat.said and "لم يُرسَل" not in chat.said
    assert "confirm" in chat.choice_ids and gateway.submissions == []


@pytest.mark.parametrize(("word", "asked"), [("إلغاء", "هل يُحذف؟"), ("ابدأ من جديد", "ويُبدأ")])
async def test_an_empty_message_at_delete_it_asks_it_again(
    chat: Chat, word: str, asked: str
) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.text(word)
    assert "هل يُحذف" in chat.said
    await chat.text("")
    assert "هل يُحذف" in chat.said and chat.choice_ids == ["discard", "keep"]
    await chat.text("نعم")  # still answers it
    assert "حُذف الطلب" in chat.said


@pytest.mark.parametrize("word", ["إلغاء", "ابدأ من جديد"])
async def test_english_at_delete_it_asks_it_again_in_english(chat: Chat, word: str) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.text(word)
    await chat.text("English")
    assert chat.last[0].text == "I'll continue in English."
    assert "Delete it" in chat.said and chat.choice_ids == ["discard", "keep"], chat.said
    assert "mobile number" not in chat.said  # not the step under the question
    await chat.text("No, continue")
    assert chat.last[-1].ask_contact and "mobile number" in chat.said
    await chat.text(word)
    await chat.text("عربي")
    assert "هل يُحذف" in chat.said and chat.choice_ids == ["discard", "keep"]
    await chat.text("نعم")
    assert "حُذف الطلب" in chat.said


async def test_english_at_a_draft_of_choices_delete_it_asks_it_again() -> None:
    chat = Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي جواز جديد")
    await chat.tap("s:passport_issue")
    await chat.text("إلغاء")
    await chat.send(Command(chat.origin(), "lang", "en"))
    assert "Delete it?" in chat.said and chat.choice_ids == ["discard", "keep"], chat.said


async def test_english_at_delete_your_data_asks_it_again_in_english() -> None:
    data = FakePersonalData()
    engine = Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway(), personal_data=data)
    chat = Chat(engine.handle)
    await _to_identity(chat)
    await chat.text("احذف بياناتي")
    assert "mydata:yes" in chat.choice_ids
    await chat.text("English")
    assert "Delete your data?" in chat.said and "mydata:yes" in chat.choice_ids, chat.said
    await chat.text("")
    assert "Delete your data?" in chat.said
    await chat.text("Yes, delete")
    assert ("erase", "test", "u1") in data.calls


async def test_english_at_is_it_your_answer_asks_it_again_and_keeps_the_message(
    chat: Chat, gateway: MemoryGateway
) -> None:
    gateway.ask(NUMBER, "ما تاريخ انتهاء الإقامة؟")
    await _to_identity(chat)
    await chat.text("تنتهي يوم ١٥ ديسمبر")
    assert "هل رسالتك هي الإجابة" in chat.said
    await chat.text("English")
    # which message it is about, and the question, in English
    assert "Is your message the answer" in chat.said and "تنتهي يوم ١٥ ديسمبر" in chat.said
    await chat.text("")
    assert "Is your message the answer" in chat.said
    await chat.tap(f"ans:{NUMBER}")  # the message held all along is the answer
    await chat.text("send")
    assert [a.text for a in gateway.answers] == ["تنتهي يوم ١٥ ديسمبر"]


async def test_english_at_add_the_file_to_your_request_asks_it_again(
    chat: Chat, gateway: MemoryGateway
) -> None:
    filed = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
    view = StatusView(NUMBER, "iqama_renew", "received", filed, due_date(filed), None, None)
    gateway.views[NUMBER] = (view, ("test", "u1"), RESIDENT)
    await chat.command("start")
    await chat.media(ref="passport-photo")
    assert f"طلبك {NUMBER}" in chat.said or NUMBER in chat.said, chat.said
    offered = chat.choice_ids
    await chat.text("English")
    assert "Your photo has arrived" in chat.said and NUMBER in chat.said, chat.said
    assert chat.choice_ids == offered
    await chat.tap(offered[0])  # «Add to my request»: the note opens with the photo in it
    assert "Added to your note" in chat.said and "send" in chat.choice_ids, chat.said
