"""A question inside a description («… متى يطلع الجواز؟») is kept with the description AND
acknowledged: answered when the knowledge base answers it, else said to be for the officer,
who reads it with the request. Found by fresh users in sessions 14–15: it was kept
silently, and the person did not know whether anyone would answer it."""

from __future__ import annotations

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_intake import PHONE, RESIDENT, _to_identity

STORY = "انتهت اقامتي وجددتها من ابشر قبل اسبوع وما وصلتني رسالة، متى تطلع الاقامة الجديدة؟"


async def _at_description() -> tuple[Chat, MemoryGateway]:
    gateway = MemoryGateway()
    chat = Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle)
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.contact(PHONE)
    assert "يُرجى وصف طلبك" in chat.said
    return chat, gateway


async def test_the_question_is_kept_and_said_to_be_for_the_officer() -> None:
    chat, gateway = await _at_description()
    await chat.text(STORY)
    assert "متى تطلع الاقامة الجديدة؟" in chat.said, chat.said  # the question named
    assert "الموظف" in chat.said, chat.said  # who will answer it
    assert "للمستندات" in chat.said  # the description was kept: the next step
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    assert gateway.submissions[0].description == STORY


async def test_a_description_without_a_question_says_nothing_more() -> None:
    chat, _gateway = await _at_description()
    await chat.text("انتهت اقامتي وجددتها من ابشر قبل اسبوع وما وصلتني رسالة التجديد")
    assert "سؤال" not in chat.said


async def test_a_question_the_knowledge_answers_is_answered_and_the_description_kept() -> None:
    """«…، كم الغرامة؟» was answered by the rules' answer and the description dropped: the
    step asked for it again."""
    chat, gateway = await _at_description()
    told = "اقامتي منتهية من شهرين وابي اجددها، كم الغرامة؟"
    await chat.text(told)
    assert "٥٠٠ ريال" in chat.said, chat.said  # answered
    assert "للمستندات" in chat.said and "يُرجى وصف طلبك" not in chat.said  # and kept
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    assert gateway.submissions[0].description == told
