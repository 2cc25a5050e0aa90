"""A long story sent at the first menu, then «إلغاء», «ابدأ من جديد» or Ctrl-C: what the bot
says is kept is what it keeps. Found by tester 14 (§7): the story («السلام عليكم انا مقيم
في الرياض وعندي مشكلة في تجديد الاقامة» ×100) is too long to be kept as a description; the
bot kept only «inside the Kingdom», read from it, and the suggested services. «إلغاء»
asked «لديك طلب لم يكتمل (داخل المملكة). هل يُحذف؟», a request never begun, and Ctrl-C
said «الطلب الذي بدأته محفوظ».

Session 16: the story was then said too long and not kept, so it was lost (fresh users,
sessions 14-15); its start (the 1000 characters a description takes) is now kept for the
description step and said so, so the delete question and the goodbye speak of what was
entered, as after any story kept."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.channels.console import chat, kept_draft
from bot.media_store import MediaStore
from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue
from domain.normalize import clean_input
from domain.text_cut import cut_text
from tests.unit.conversations.fakes import Chat, MemoryGateway, MemoryStore, TerminalChat

STORY = "السلام عليكم انا مقيم في الرياض وعندي مشكلة في تجديد الاقامة " * 100
#: a story told whole, longer than a description may be (1,000 characters)
LONG = " ".join(
    f"في المحاولة رقم {n} لتجديد اقامتي من ابشر ظهرت رسالة خطأ عند سداد الرسوم ولم يتم التجديد."
    for n in range(1, 21)
)


async def _story_told() -> Chat:
    chat = TerminalChat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)
    await chat.command("start")
    await chat.text(STORY)
    assert chat.choice_ids[0].startswith("s:")  # the services it may be about, none chosen
    return chat


@pytest.mark.parametrize(("word", "question"), [("إلغاء", "هل يُحذف؟"), ("ابدأ من جديد", "هل يُحذف")])
async def test_the_delete_question_names_what_was_entered_and_no_service(
    word: str, question: str
) -> None:
    chat = await _story_told()
    await chat.text(word)
    assert question in chat.said and "بكل ما أدخلته" in chat.said, chat.said
    assert "طلب لم يكتمل (" not in chat.said  # no service named: none was chosen
    await chat.text("لا")  # kept: the services offered again
    assert chat.choice_ids[0].startswith("s:")


async def test_the_goodbye_says_what_was_entered_is_kept(tmp_path: Path) -> None:
    store = MemoryStore()
    engine = Engine(store, INTAKE, load_catalogue(), MemoryGateway())
    out = io.StringIO()
    await chat(engine.handle, MediaStore(tmp_path), stdin=io.StringIO(f"/start\n{STORY}\n"),
               stdout=out, kept=lambda: kept_draft(store, "local"))  # fmt: skip
    goodbye = out.getvalue().rstrip().splitlines()[-1]
    assert goodbye == "مع السلامة. ما أدخلته محفوظ، ويمكنك المتابعة بتشغيل المحادثة مرة أخرى.", (
        goodbye
    )
    assert await kept_draft(store, "local") == "input"


async def test_a_story_too_long_keeps_its_start_and_says_so() -> None:
    chat = TerminalChat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)
    await chat.command("start")
    await chat.text(STORY)
    said = clean_input(chat.said)
    assert "ما كتبته أطول من 1000 حرف، وهو أقصى طول للوصف، فاحتفظتُ ببدايته" in said, said
    assert "فلم أحفظه" not in said
    # a story that fits is kept whole, and said so, as before
    chat = TerminalChat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)
    await chat.command("start")
    await chat.text(STORY[:300])
    assert "احتفظتُ بما كتبته" in chat.said and "أطول من" not in chat.said


async def test_the_kept_start_is_the_description_of_the_service_chosen_next() -> None:
    gateway = MemoryGateway()
    chat = TerminalChat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle)
    await chat.command("start")
    await chat.text(LONG)
    assert chat.choice_ids[0].startswith("s:")
    await chat.tap("s:iqama_renew")
    while any(c.startswith("q:") for c in chat.choice_ids):
        await chat.tap(chat.choice_ids[0])
    await chat.text("2000000006")
    await chat.contact("+966501234567")
    assert "keep_description" in chat.choice_ids and LONG[:40] in chat.said  # offered
    await chat.tap("keep_description")
    await chat.media()
    await chat.tap("done")
    assert "يُرجى مراجعة طلبك" in chat.said
    await chat.tap("confirm")
    (filed,) = gateway.submissions
    assert filed.description == cut_text(LONG, 1000)
