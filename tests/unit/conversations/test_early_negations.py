"""An answer read from the first words (keywords.json ``early_answers``) is not taken
when the words say the opposite: found in session 12, there was no negation check, so
«ما انا برا المملكة» answered «outside the kingdom» and «ابي جواز مو لولدي» «for my
family». The negations are data (keywords.json ``early_answers._negations``,
``_unwanted``)."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from conversations.keywords_early import early_answers
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore

FOR_WHOM = "لمن هذا الطلب؟"


@pytest.mark.parametrize(
    ("words", "read"),
    [
        ("ابي جواز مو لولدي", {}),
        ("ما ابي جواز لولدي", {}),
        ("not for my son", {}),
        ("ما انا برا المملكة", {}),
        ("انا مو برا", {}),
        # an «I don't want» for one answer, the other wanted
        ("ما ابي اجدد لولدي، ابي اجدد لي", {"for_whom": "self"}),
        # «no, I want it for my son»: a word between, no negation of the phrase
        ("لا، ابيه لولدي", {"for_whom": "family"}),
        ("ابي جواز لولدي", {"for_whom": "family"}),
        ("انا برا", {"location": "outside"}),
    ],
)
def test_a_negated_answer_is_not_read(words: str, read: dict[str, str]) -> None:
    assert early_answers(words) == read


async def test_not_for_my_son_is_asked_for_whom() -> None:
    chat = Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)
    await chat.text("ابي جواز مو لولدي")
    await chat.tap("s:passport_issue")
    assert "سجّلتُ إجابة «لمن هذا الطلب؟»" not in chat.said
    assert FOR_WHOM in chat.said and "q:family" in chat.choice_ids, chat.said
