"""«ما اعرف رقم الحدود حقه وين الاقيه؟» at the border-number step was offered the
iqama-validity answer on its «اعرف» (tester 13, §12): words saying the person does not
know suggest no topic (conversations/data/knowledge.json, ``not_knowing_words``)."""

from __future__ import annotations

from conversations import knowledge
from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore


async def test_not_knowing_the_border_number_is_not_offered_the_iqama_answer() -> None:
    chat = Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)
    await chat.text("ابي امدد زيارة ابوي وهو يمني")
    await chat.tap("s:visit_visa_extension")
    assert "رقم حدود" in chat.said
    await chat.text("ما اعرف رقم الحدود حقه وين الاقيه؟")
    assert "kb:iqama_validity" not in chat.choice_ids
    assert "الاستعلام عن صلاحية الإقامة" not in chat.said


def test_wanting_to_know_still_comes_near() -> None:
    # «اعرف» without «ما» still counts
    near = knowledge.near_topics("ابي اعرف")
    assert "iqama_validity" in [topic.id for topic in near]
