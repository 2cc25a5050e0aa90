"""An option keeps its number on every screen of one question (found by the fresh-clone
tester: the numbers of the first menu moved when an answer put «تقديم طلب الآن» in
front, and «which do you mean?» renumbered the options it named)."""

from __future__ import annotations

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_understanding import _to_summary


def _chat() -> Chat:
    return Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)


async def test_the_first_menu_keeps_its_numbers_under_an_answer() -> None:
    chat = _chat()
    await chat.command("start")
    menu = chat.choice_ids
    await chat.text("ايش شروط تجديد الاقامة")
    after = chat.choice_ids
    own = [c for c in menu if c not in ("help", "cancel")]
    assert after[: len(own)] == own  # «1» is still «فرد», «2» «منشأة»...
    await chat.text("2")
    assert "رقم المنشأة" in chat.said or "g:" in " ".join(chat.choice_ids)


async def test_which_do_you_mean_keeps_the_numbers_of_the_question() -> None:
    chat = _chat()
    await _to_summary(chat)
    await chat.tap("done")
    summary = chat.choice_ids
    await chat.text("غير الرقم")
    assert "«تعديل رقم الهوية» أو «تعديل رقم الجوال»" in chat.said
    assert chat.choice_ids == summary
    await chat.text(str(summary.index("e:phone") + 1))  # the number the summary showed
    assert chat.last[-1].ask_contact  # at the mobile number step
