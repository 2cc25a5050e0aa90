"""A slip correcting an earlier answer at a later step (helper 22, §4): at the description
step of a request marked «لي أنا», «لا لحظه غلطت الطلب مو لي لبنتي» became the description
and the request went on as the writer's. Now the answer changes and is said so, with where
to change the identity number typed for the request as it was; nothing is taken for the
description, and a slip asking for another service is still offered as a change."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_describe import _to_description
from .test_intake import DESCRIPTION, RESIDENT, _to_identity
from .test_status import plain


async def test_whose_request_corrected_at_the_description_is_changed_not_described() -> None:
    gateway = MemoryGateway()
    chat = Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle)
    await _to_description(chat)  # an iqama renewal «لي أنا», the identity number typed
    await chat.text("لا لحظه غلطت الطلب مو لي لزوجتي")
    said = plain(chat.said)
    assert "غيّرتُ إجابة «لمن هذا الطلب؟» إلى «تابع لي أو مكفول لدي»" in said, said
    # «أين أنت الآن؟» was the writer's: asked of the holder (helper 23), then her number,
    # the writer's mobile kept
    assert said.endswith("أين صاحب الإقامة الآن؟"), said
    await chat.tap("q:inside")
    assert "رقم هوية صاحب الطلب نفسه" in chat.said
    await chat.text("2000000014")
    assert "سأستخدم رقم الجوال" in chat.said and "يُرجى وصف طلبك" in chat.last[-1].text
    await chat.text(DESCRIPTION)
    await chat.media()
    await chat.tap("done")
    summary = plain(chat.said)
    assert "لمن هذا الطلب؟ تابع لي أو مكفول لدي" in summary and "غلطت" not in summary
    await chat.tap("confirm")
    filed = gateway.submissions[0]
    assert filed.eligibility["for_whom"] == "family" and "غلطت" not in filed.description


async def test_at_the_phone_step_too(chat: Chat) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.text("اسف غلطت هو لزوجتي")
    assert "إلى «تابع لي أو مكفول لدي»" in plain(chat.said)
    assert "أين صاحب الإقامة الآن؟" in chat.last[-1].text  # the holder's place, asked


async def test_a_slip_asking_another_service_is_still_offered_as_a_change(chat: Chat) -> None:
    await _to_description(chat)
    await chat.text("لا غلطت ابي تاشيرة خروج وعودة مو تجديد")
    assert "هل أغيّر خدمة طلبك" in plain(chat.said)


@pytest.mark.parametrize(
    "typed",
    ["لا غلطت الطلب لولدي مو لي", "لحظة الطلب لزوجتي", "no wait its for my wife not me"],
)
async def test_more_ways_of_saying_it_at_the_description(chat: Chat, typed: str) -> None:
    """Helper 22's recheck: «لا غلطت الطلب لولدي مو لي» was offered a change to a
    passport's issue («جواز لولدي» is its synonym); the others were kept as the
    description."""
    await _to_description(chat)
    await chat.text(typed)
    said = plain(chat.said)
    assert "إلى «تابع لي أو مكفول لدي»" in said and "هل أغيّر خدمة طلبك" not in said, said


@pytest.mark.parametrize(
    "typed", ["الطلب مو لي", "مش لي", "it's not for me", "هذا الطلب مو حقي حق زوجتي", "مب حقي"]
)
async def test_not_mine_naming_no_one_asks_whose_it_is_again(chat: Chat, typed: str) -> None:
    """Helper 22's recheck: «الطلب مو لي» alone, at the description of a request marked «لي
    أنا», was kept as the description. Whose it is is asked again, «لي أنا» dropped."""
    await _to_description(chat)
    await chat.text(typed)
    said = plain(chat.said)
    assert "الطلب ليس لك، فأزلتُ إجابة «لي أنا»" in said and "لمن هذا الطلب؟" in said, said
    assert "q:family" in chat.choice_ids
    await chat.tap("q:family")
    while any(c.startswith("q:") for c in chat.choice_ids):
        await chat.tap(chat.choice_ids[0])
    # the number typed was the writer's: the holder's is asked now
    assert "رقم هوية صاحب الطلب" in chat.said
    await chat.text("2000000014")
    # the writer's mobile is kept, not asked again: on to the description
    assert "سأستخدم رقم الجوال" in chat.said and "يُرجى وصف طلبك" in chat.last[-1].text


async def test_not_mine_at_a_request_for_a_son_is_a_description_as_ever(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامة ولدي")
    await chat.tap("s:iqama_renew")
    while any(c.startswith("q:") for c in chat.choice_ids):
        await chat.tap(chat.choice_ids[0])
    await chat.text(RESIDENT)
    await chat.contact("+966501234567")
    await chat.text("الطلب مو لي")
    assert "فأزلتُ إجابة" not in chat.said


async def test_the_writers_own_number_is_not_taken_as_the_holders(chat: Chat) -> None:
    # helper 23's recheck: typed again at «…نفسه، لا رقم هويتك», the writer's iqama was
    # taken as the wife's without a word
    await _to_description(chat)  # the writer's own iqama, 2000000006
    await chat.text("مب حقي")
    await chat.tap("q:family")
    await chat.tap("q:inside")
    await chat.text("2000000006")
    assert "هذا هو الرقم الذي كتبته حين كان الطلب لك" in chat.last[-1].text, chat.said
    await chat.text("2000000014")
    assert "يُرجى وصف طلبك" in chat.last[-1].text
