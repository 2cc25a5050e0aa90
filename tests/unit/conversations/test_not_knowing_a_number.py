"""«ما اعرف رقم اقامة ابوي» typed at a step other than the description (this session's
brief, t4): its «اعرف» and «اقامة» were read as a question about checking an iqama's
validity in Absher, and that unrelated article was the answer. A person who says they do
not know an identity number is told where that number is written (the same answer as at
the description step, description_words.json ``unknown_number``) and the step goes on."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue
from domain.normalize import clean_input

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_describe import FIRST, _file, _to_description
from .test_intake import PHONE, RESIDENT, _to_identity

ABSHER = "الاستعلام عن صلاحية الإقامة"
IQAMA_WHERE = "بطاقة هوية مقيم"


def _chat(gateway: MemoryGateway) -> Chat:
    return Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle)


async def test_at_the_first_menu_it_says_where_the_number_is_written() -> None:
    chat = _chat(MemoryGateway())
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ما اعرف رقم اقامة ابوي")
    said = clean_input(chat.said)
    assert IQAMA_WHERE in said and ABSHER not in said


async def test_mid_request_it_is_answered_and_the_step_goes_on() -> None:
    gateway = MemoryGateway()
    chat = _chat(gateway)
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.text("ما اعرف رقم اقامة ابوي")
    said = clean_input(chat.said)
    assert IQAMA_WHERE in said and ABSHER not in said
    assert "2******006" in said  # the number the request has, masked
    await chat.contact(PHONE)
    assert "يُرجى وصف طلبك" in chat.said  # the phone step took its answer next


async def test_a_question_about_the_iqamas_validity_is_still_answered() -> None:
    chat = _chat(MemoryGateway())
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اعرف صلاحية اقامتي")
    assert ABSHER in clean_input(chat.said)


async def test_at_the_documents_step_it_is_answered_not_added_to_the_description() -> None:
    """«ما اعرف رقم الحدود» at the documents step was added to the description the
    officer reads (this session's brief, t4, item 2)."""
    gateway = MemoryGateway()
    chat = _chat(gateway)
    await _to_description(chat)
    await chat.text(FIRST)
    assert "للمستندات" in chat.said
    await chat.text("ما اعرف رقم الحدود")
    said = clean_input(chat.said)
    assert "ختم الدخول في جواز السفر" in said and "2******006" in said
    assert "أُضيف" not in said and "أضفت" not in said
    await chat.media()
    await _file(chat, gateway)
    assert gateway.submissions[0].description == FIRST


async def test_a_need_said_with_it_is_the_need() -> None:
    """Review 15b §2: «ابي اجدد اقامة ابوي بس ما اعرف رقم اقامته» at the service question was
    told only where an iqama number is written and asked for the service again: the need
    was lost. Only the ask alone (at most eight words) is answered so."""
    chat = _chat(MemoryGateway())
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامة ابوي بس ما اعرف رقم اقامته")
    assert "s:iqama_renew" in chat.choice_ids, chat.said


@pytest.mark.parametrize(
    ("asked", "where"),
    [("وين اجيب رقم الاقامة", IQAMA_WHERE), ("من وين اجيب رقم الحدود", "ختم الدخول")],
)
async def test_where_to_find_it_is_answered_at_a_question(asked: str, where: str) -> None:
    # the lead's probe: at «أين أنت الآن؟» it got two FAQ guesses, or was kept as words
    chat = _chat(MemoryGateway())
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    await chat.text(asked)
    said = clean_input(chat.said)
    assert where in said and "هل هو أحد" not in said and "احتفظتُ" not in said, said
    assert chat.last[-1].text.endswith("أين أنت الآن؟")


async def test_a_number_given_is_not_a_number_unknown_and_its_service_is_named() -> None:
    # the lead's probe: «ما عندي اقامة عندي رقم حدود 3000000001» at an iqama renewal was
    # told where a border number is written, and only «type the right number»
    chat = _chat(MemoryGateway())
    await _to_identity(chat)
    await chat.text("ما عندي اقامة عندي رقم حدود 3000000001")
    said = clean_input(chat.said)
    assert "ختم الدخول" not in said and "تتطلب رقم إقامة" in said, said
    assert "تقبله خدمة «إصدار هوية مقيم»" in said, said
    await chat.text("إصدار هوية مقيم")
    await chat.tap("chg:yes")
    await chat.text("3000000001")
    assert chat.last[-1].ask_contact, chat.said  # the border number taken
