"""A number typed at the documents step (found by the fresh-clone tester: «3» there, where
the only numbered choice is «تم», opened the help, since the navigation under the question
was counted as choices 2 to 4 although no channel numbers it)."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_describe import FIRST, _to_description


@pytest.fixture
def gateway() -> MemoryGateway:
    return MemoryGateway()


@pytest.fixture
def chat(gateway: MemoryGateway) -> Chat:
    return Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle)


@pytest.mark.parametrize("number", ["3", "٣", "2", "4"])
async def test_a_number_past_the_steps_choices_says_what_the_step_expects(
    chat: Chat, gateway: MemoryGateway, number: str
) -> None:
    await _to_description(chat)
    await chat.text(FIRST)
    await chat.media(ref="iqama")
    await chat.text(number)
    said = chat.said
    assert "من خلال هذه المحادثة" not in said  # not the help
    assert "الرقم وحده لا يُضاف إلى وصفك" in said
    assert "إرسال المستندات" in said and "«تم»" in said  # what the step expects
    assert chat.choice_ids[0] == "done"  # still at the documents step
    await chat.text("1")  # the step's own choice keeps its number
    assert "يُرجى مراجعة طلبك" in chat.said
    await chat.tap("confirm")
    (filed,) = gateway.submissions
    assert filed.description == FIRST and [a.ref for a in filed.attachments] == ["iqama"]


async def test_help_is_still_its_word(chat: Chat) -> None:
    await _to_description(chat)
    await chat.text(FIRST)
    await chat.text("مساعدة")
    assert "من خلال هذه المحادثة" in chat.said
