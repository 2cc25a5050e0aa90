"""An establishment whose first words say «my iqama» («منشأة», then «ابي اجدد اقامتي»):
it files for its worker, so the question is the holder's, and no «لمن هذا الطلب؟ لي أنا»
is shown. Helper 23's probe: «أين أنت الآن؟» was asked and the summary read «مقدّم الطلب:
منشأة» with «لمن هذا الطلب؟ لي أنا»."""

from __future__ import annotations

import pytest

from .fakes import Chat


async def test_an_establishment_is_asked_where_the_holder_is(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("est")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    assert "أين صاحب الإقامة الآن؟" in chat.last[-1].text, chat.said
    assert "أين أنت الآن؟" not in chat.said
    await chat.tap("q:inside")
    await chat.text("7001234567")
    await chat.text("2000000006")
    await chat.contact("+966501234567")
    await chat.text("اقامة العامل انتهت ونبي نجددها قبل السفر")
    await chat.media()
    await chat.tap("done")
    assert "مقدّم الطلب: منشأة" in chat.said and "لي أنا" not in chat.said, chat.said


async def test_an_establishments_service_question_gives_a_workers_example(chat: Chat) -> None:
    # helper 25: «منشأة» was given «مثلًا: أبي أجدد إقامتي», an individual's need
    await chat.command("start")
    await chat.tap("est")
    assert "مثلًا: أبي أجدد إقامة العامل" in chat.said and "أجدد إقامتي" not in chat.said


@pytest.mark.parametrize("typed", ["عامل منزلي", "شغالة", "سايق خاص"])
async def test_a_household_worker_at_the_workers_number_is_an_individuals(
    chat: Chat, typed: str
) -> None:
    # helper 25: «عامل منزلي» at «يُرجى كتابة رقم العامل» got «يجب أن يتكون الرقم من أرقام فقط»
    await chat.command("start")
    await chat.tap("est")
    await chat.text("أبي أجدد إقامة العامل")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:inside")
    await chat.text("7000000000")
    assert "رقم العامل" in chat.said, chat.said
    await chat.text(typed)
    assert "يُقدَّم طلبه بصفة فرد" in chat.said and "رقم العامل" in chat.said, chat.said
    assert "أرقام فقط" not in chat.said


@pytest.mark.parametrize("typed", ["ابي اصدر اقامة لعامل جديد وصل", "اقامة لعامل جديد وصل"])
async def test_a_new_workers_iqama_is_no_status_question(chat: Chat, typed: str) -> None:
    # helper 26: «لعامل» read as a typo of «معامل» (a transaction) and «وصل» as «where is
    # it»: the establishment was asked for a request number
    await chat.command("start")
    await chat.tap("est")
    await chat.text(typed)
    assert "رقم الطلب" not in chat.said and "s:iqama_issue" in chat.choice_ids, chat.said
