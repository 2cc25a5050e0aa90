"""A greeting before a question is said back whatever part of the dialogue answers the
rest (tester 13, §18: «السلام عليكم ابي اعرف وش صار على طلب اخوي…» got no «وعليكم
السلام»; the status and knowledge answers left it out)."""

from __future__ import annotations

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore


def _chat() -> Chat:
    return Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)


async def test_salam_before_a_status_question_is_answered() -> None:
    chat = _chat()
    await chat.text("السلام عليكم ابي اعرف وش صار على طلب اخوي رقمه 2000000006")
    assert chat.said.startswith("وعليكم السلام")


async def test_salam_before_a_status_question_in_a_draft_is_answered() -> None:
    chat = _chat()
    await chat.text("مرحبا")
    await chat.tap("ind")
    await chat.text("السلام عليكم وش صار على طلبي")
    assert chat.said.startswith("وعليكم السلام")
    assert chat.said.count("وعليكم السلام") == 1


async def test_hello_before_a_need_is_said_once() -> None:
    chat = _chat()
    await chat.text("مرحبا")
    await chat.text("الغاء")
    await chat.text("هلا ابي اجدد اقامتي")
    # «هلا» answered in kind (tester 15 §11), once
    assert chat.said.startswith("هلا بك.")
    assert chat.said.count("هلا بك") == 1
