"""«ما اعرف رقم…» typed at the number step itself (identity, iqama, border number): where
that number is written, for the kinds this step takes only, and the step stays. Found by
fresh users in sessions 14–15: «مدري وش رقم اقامتي» got «لست متأكدًا من المقصود بالسؤال»
with two unrelated questions offered, «ما اعرف الرقم» (the kind left to the step) was kept
as words for the description, and «ما أعرف رقم الهوية» at a step taking iqama numbers only
was told of national IDs and border numbers too."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue
from domain.normalize import clean_input

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_intake import _to_identity

IQAMA_WHERE = "رقم الإقامة مكتوب على بطاقة هوية مقيم"
CITIZEN_WHERE = "رقم الهوية الوطنية مكتوب"
BORDER_WHERE = "رقم الحدود مطبوع"
ASKED = "يُرجى كتابة رقم هويتك"


@pytest.mark.parametrize(
    "typed", ["مدري وش رقم اقامتي", "ما اعرف الرقم", "ما أعرف رقم الهوية", "ما اعرف رقمي"]
)
async def test_at_an_iqama_step_it_says_where_an_iqama_number_is_and_stays(typed: str) -> None:
    chat = Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)
    await _to_identity(chat)
    await chat.text(typed)
    said = clean_input(chat.said)
    assert IQAMA_WHERE in said, said
    assert CITIZEN_WHERE not in said and BORDER_WHERE not in said, said
    assert ASKED in said  # the step stays
    assert "احتفظتُ بما كتبته" not in said  # not kept as the description
    await chat.text("2000000006")
    assert "رقم جوال" in chat.said
