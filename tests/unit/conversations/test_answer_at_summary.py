"""«اجابه ٢» or «جواب على سؤال الموظف اثنين» typed at a step that waits for a yes or a no
(the summary's «يمكنك إرسال الطلب، أو اختيار ما يلزم تعديله») while an officer's question waits is
offered as the answer to it; the draft is not sent, not changed and not deleted, and the
words are not lost. Checked for session 18's faults list (item 2), which saw only
«لم يُرسَل طلبك…» there: that probe asked the officer's question after the draft had read
«no requests» (conversations.known_requests keeps that for an hour), which cannot happen
with a real request, filed from the chat, that resets it. These pin the behaviour.
(«إجابة ٢» at «هل يُحذف؟»: tests/integration/test_answer_at_delete_question.py.)"""

from __future__ import annotations

import pytest

from .fakes import Chat, MemoryGateway
from .test_manners import _to_summary
from .test_manners import chat as chat
from .test_manners import clock as clock

NUMBER = "5038329651"
QUESTION = "كم عدد المرافقين؟"
OFFERED = "هل رسالتك هي الإجابة"


@pytest.fixture
def gateway() -> MemoryGateway:
    return MemoryGateway()


@pytest.mark.parametrize("typed", ["اجابه ٢", "جواب على سؤال الموظف اثنين", "إجابة: معي اثنين"])
async def test_answer_words_at_the_summary_are_offered_as_the_answer(
    chat: Chat, gateway: MemoryGateway, typed: str
) -> None:
    gateway.ask(NUMBER, QUESTION)  # before: the chat knows of the request, as it would
    await _to_summary(chat)
    await chat.text(typed)
    assert OFFERED in chat.said and QUESTION in chat.said, chat.said
    assert gateway.submissions == []  # the draft is not sent
    await chat.text("نعم")
    await chat.text("إرسال")
    assert [a.text for a in gateway.answers] == [typed]
    # and the summary is where it was, still waiting for its yes
    assert "يُرجى مراجعة طلبك" in chat.said, chat.said
    await chat.tap("confirm")
    assert len(gateway.submissions) == 1


async def test_no_under_the_offer_at_the_summary_goes_back_to_the_summary(
    chat: Chat, gateway: MemoryGateway
) -> None:
    gateway.ask(NUMBER, QUESTION)
    await _to_summary(chat)
    await chat.text("اجابه ٢")
    await chat.text("لا")
    assert "يُرجى مراجعة طلبك" in chat.said, chat.said
    assert gateway.answers == [] and gateway.submissions == []


async def test_plain_yes_at_the_summary_still_sends_the_request(
    chat: Chat, gateway: MemoryGateway
) -> None:
    gateway.ask(NUMBER, QUESTION)
    await _to_summary(chat)
    await chat.text("نعم")
    assert len(gateway.submissions) == 1 and gateway.answers == []
