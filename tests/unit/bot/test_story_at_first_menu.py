"""A long story sent at the first menu, then «إلغاء», «ابدأ من جديد» or Ctrl-C: what the bot
says is kept is what it keeps. Found by tester 14 (§7): the story («السلام عليكم انا مقيم
في الرياض وعندي مشكلة في تجديد الاقامة» ×100) is too long to be kept as a description; the
bot kept only «inside the Kingdom», read from it, and the suggested services. «إلغاء»
asked «لديك طلب لم يكتمل (داخل المملكة). هل يُحذف؟», a request never begun, and Ctrl-C
said «الطلب الذي بدأته محفوظ»."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.channels.console import chat, kept_draft
from bot.media_store import MediaStore
from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue
from tests.unit.conversations.fakes import Chat, MemoryGateway, MemoryStore, TerminalChat

STORY = "السلام عليكم انا مقيم في الرياض وعندي مشكلة في تجديد الاقامة " * 100
NOTHING_CHOSEN = "لم تُحدَّد الخدمة بعد، وما احتفظتُ به حتى الآن: داخل المملكة بحسب ما كتبته."


async def _story_told() -> Chat:
    chat = TerminalChat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)
    await chat.command("start")
    await chat.text(STORY)
    assert chat.choice_ids[0].startswith("s:")  # the services it may be about, none chosen
    return chat


@pytest.mark.parametrize(
    ("word", "question"), [("إلغاء", "هل يُحذف؟"), ("ابدأ من جديد", "هل يُحذف ويُبدأ من جديد؟")]
)
async def test_the_delete_question_names_what_is_kept_and_no_request(
    word: str, question: str
) -> None:
    chat = await _story_told()
    await chat.text(word)
    assert chat.said == f"{NOTHING_CHOSEN} {question}", chat.said
    assert "طلب لم يكتمل" not in chat.said
    await chat.text("لا")  # kept: the services offered again
    assert chat.choice_ids[0].startswith("s:")
    await chat.text(word)
    await chat.text("English")
    assert "No service is chosen yet; what I have kept so far:" in chat.said, chat.said
    assert "from what you wrote" in chat.said


async def test_a_service_chosen_is_still_a_request_not_yet_finished() -> None:
    chat = await _story_told()
    await chat.tap("s:iqama_renew")
    await chat.text("إلغاء")
    assert chat.said.startswith("لديك طلب لم يكتمل (تجديد هوية مقيم"), chat.said
    assert "بحسب ما كتبته" not in chat.said


async def test_the_goodbye_does_not_call_it_a_request_begun(tmp_path: Path) -> None:
    store = MemoryStore()
    engine = Engine(store, INTAKE, load_catalogue(), MemoryGateway())
    out = io.StringIO()
    await chat(engine.handle, MediaStore(tmp_path), stdin=io.StringIO(f"/start\n{STORY}\n"),
               stdout=out, kept=lambda: kept_draft(store, "local"))  # fmt: skip
    goodbye = out.getvalue().rstrip().splitlines()[-1]
    assert goodbye == "مع السلامة. يمكنك متابعة اختيار الخدمة المطلوبة بتشغيل المحادثة مرة أخرى.", (
        goodbye
    )
    assert await kept_draft(store, "local") == "service"


async def test_a_story_too_long_to_keep_is_said_not_kept_when_it_comes() -> None:
    chat = TerminalChat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)
    await chat.command("start")
    await chat.text(STORY)
    assert "ما كتبته أطول من ١٠٠٠ حرف، وهو أقصى طول للوصف، فلم أحفظه وصفًا لطلبك" in chat.said
    assert "احتفظتُ بما كتبته" not in chat.said
    # a story that fits is kept, and said so, as before
    chat = TerminalChat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)
    await chat.command("start")
    await chat.text(STORY[:300])
    assert "احتفظتُ بما كتبته" in chat.said and "فلم يُحفظ" not in chat.said
