"""A location shared in the chat answers iqama renewal's «أين صاحب الإقامة الآن؟»
(conversations.flows.early_place; domain.places). Found by the fresh-clone tester: a
location sent first, or at that question, got «الموقع غير مطلوب هنا» and the question was
asked anyway. Where nothing asks for a place it is still «not needed here», nothing lost."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.events import Unsupported
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue
from domain.places import in_kingdom

from .fakes import Chat, MemoryGateway, MemoryStore, TerminalChat, WhatsAppChat
from .test_intake import DESCRIPTION, PHONE, RESIDENT

WHERE = "أين صاحب الإقامة الآن؟"
WHERE_SELF = "أين أنت الآن؟"  # asked so of one's own request (helper 21, §8)
RIYADH, CAIRO = (24.71, 46.68), (30.04, 31.24)
NOT_NEEDED = "شكرًا لك، لكن الموقع غير مطلوب هنا"


def _chat() -> tuple[Chat, MemoryGateway]:
    gateway = MemoryGateway()
    return Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle), gateway


async def _share(chat: Chat, place: tuple[float, float] | None) -> None:
    await chat.send(Unsupported(chat.origin(), "location", place))


async def _file(chat: Chat) -> None:
    await chat.text(RESIDENT)
    await chat.contact(PHONE)
    await chat.text(DESCRIPTION)
    await chat.media()
    await chat.tap("done")


async def test_a_location_sent_first_answers_where_later() -> None:
    chat, gateway = _chat()
    await _share(chat, RIYADH)
    assert "يبيّن موقعك أنك داخل المملكة" in chat.said and NOT_NEEDED not in chat.said
    assert chat.choice_ids[:2] == ["ind", "est"]  # the first question, asked
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    assert f"«{WHERE_SELF}»: «داخل المملكة»" in chat.said and "q:inside" not in chat.choice_ids
    await _file(chat)
    await chat.tap("confirm")
    assert gateway.submissions[0].eligibility["location"] == "inside"


async def test_a_location_at_the_question_is_its_answer() -> None:
    chat, gateway = _chat()
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    assert WHERE_SELF in chat.said and "q:outside" in chat.choice_ids
    await _share(chat, CAIRO)
    assert f"«{WHERE_SELF}»: «خارج المملكة»" in chat.said
    assert "رقم هوي" in chat.said  # on to the identity number
    await chat.text("رجوع")  # the question again, to change it
    assert WHERE_SELF in chat.said and "q:inside" in chat.choice_ids
    await chat.tap("q:inside")
    await _file(chat)
    await chat.tap("confirm")
    assert gateway.submissions[0].eligibility["location"] == "inside"


OWN_PLACE = "فهمتُ أنك أنت خارج المملكة، أما هذا السؤال فعن صاحب الإقامة."


@pytest.mark.parametrize("make", [Chat, WhatsAppChat, TerminalChat])
async def test_a_location_at_the_question_of_a_wifes_iqama_is_not_hers(
    make: type[Chat],
) -> None:
    """The sender's place, not the holder's: a husband in Cairo filing for his wife, who
    shares his location at «أين صاحب الإقامة الآن؟», is asked again, told whom it is
    about (before, her iqama was filed «خارج المملكة» from his location)."""
    gateway = MemoryGateway()
    engine = Engine(MemoryStore(), INTAKE, load_catalogue(), gateway)
    chat = make(engine.handle)
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامة زوجتي")
    await chat.tap("s:iqama_renew")
    await _share(chat, CAIRO)
    assert chat.said.startswith(OWN_PLACE) and chat.said.endswith(WHERE), chat.said
    assert "q:inside" in chat.choice_ids and "الموقع الذي شاركته" not in chat.said
    state = await engine.store.load(chat.channel, chat.user)
    assert "location" not in state.answers["eligibility"]
    await chat.tap("q:inside")
    assert "رقم هوي" in chat.said
    await chat.text(RESIDENT)
    if isinstance(chat, WhatsAppChat | TerminalChat):
        await chat.text("0501234567")
    else:
        await chat.contact(PHONE)
    await chat.text(DESCRIPTION)
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    assert gateway.submissions[0].eligibility == {"for_whom": "family", "location": "inside"}


async def test_a_location_shared_first_for_a_family_request_in_english() -> None:
    chat, gateway = _chat()
    await _share(chat, CAIRO)
    assert chat.said.startswith(
        "شكرًا لك، يبيّن موقعك أنك خارج المملكة، وإن كان الطلب لك أنت فسأعتمد ذلك"
    ), chat.said
    await chat.text("English")
    await chat.tap("ind")
    await chat.text("renew my wife's iqama")
    await chat.tap("s:iqama_renew")
    assert (
        "I understood that you yourself are outside the Kingdom; this question is about the"
        " iqama holder.\nWhere is the iqama holder now?"
    ) in chat.said, chat.said
    await chat.tap("q:outside")
    await _file(chat)
    await chat.tap("confirm")
    assert gateway.submissions[0].eligibility == {"for_whom": "family", "location": "outside"}


async def test_where_nothing_asks_a_place_it_is_not_needed_and_nothing_is_lost() -> None:
    chat, _gateway = _chat()
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي تاشيرة خروج وعودة لي")
    await chat.tap("s:exit_reentry_visa")
    await chat.text(RESIDENT)
    await _share(chat, RIYADH)
    assert NOT_NEEDED in chat.said and "موقعك" not in chat.said
    await chat.contact(PHONE)  # the phone step is still the step: nothing lost
    assert "يُرجى وصف طلبك" in chat.said
    # a location without its point (a venue a channel did not read) is not needed either
    await _share(chat, None)
    assert NOT_NEEDED in chat.said
    await chat.text(DESCRIPTION)  # still the description step
    assert "للمستندات" in chat.said


@pytest.mark.parametrize(
    ("place", "inside"),
    [
        ((24.71, 46.68), True),  # Riyadh
        ((21.54, 39.17), True),  # Jeddah
        ((26.28, 50.21), True),  # Khobar
        ((17.49, 44.13), True),  # Najran
        ((28.38, 36.57), True),  # Tabuk
        ((26.22, 50.58), False),  # Manama
        ((29.37, 47.98), False),  # Kuwait
        ((31.95, 35.93), False),  # Amman
        ((16.94, 43.76), False),  # Saada
        ((25.29, 51.53), False),  # Doha
        ((30.04, 31.24), False),  # Cairo
    ],
)
def test_inside_the_kingdom_or_not(place: tuple[float, float], inside: bool) -> None:
    assert in_kingdom(*place) is inside
