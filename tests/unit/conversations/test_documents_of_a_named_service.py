"""A question about the documents of a service named in it, chosen or not (helper 22,
§3): «وش الاوراق المطلوبه لتجديد الجواز» at the first question got the iqama's
conditions (its topic matched on «تجديد»), and «what documents do I need to renew my
passport» only a list of services. It is that service's documents from the catalogue,
marked when only citizens may file it, then the question the person was on."""

from __future__ import annotations

import pytest

from .fakes import Chat
from .test_intake import RESIDENT, _to_identity
from .test_status import plain

IQAMA_CONDITIONS = "أن يكون صاحب الإقامة داخل المملكة"


@pytest.mark.parametrize(
    "asked",
    ["وش الاوراق المطلوبه لتجديد الجواز", "وش المطلوب لتجديد جواز السفر؟",
     "what documents do I need to renew my passport"],
)  # fmt: skip
async def test_the_passports_documents_at_the_first_question(chat: Chat, asked: str) -> None:
    await chat.command("start")
    await chat.text(asked)
    said = plain(chat.said)
    assert IQAMA_CONDITIONS not in said, said
    assert "صورة الجواز الحالي" in said or "Copy of the current passport" in said, said
    assert "للمواطنين فقط" in said or "citizens only" in said
    assert chat.choice_ids[:2] == ["ind", "est"] and "file:passport_renew" in chat.choice_ids


async def test_another_services_documents_mid_request_keep_the_step(chat: Chat) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)  # an iqama renewal at the phone step
    await chat.text("وش الاوراق المطلوبه لتجديد الجواز؟")
    said = plain(chat.said)
    assert "«تجديد جواز السفر (للمواطنين فقط)»" in said and "صورة الجواز الحالي" in said
    assert "file:passport_renew" not in chat.choice_ids  # no second request offered here
    assert chat.last[-1].ask_contact  # the phone step, asked again


async def test_the_iqamas_own_questions_keep_their_answers(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("وش الاوراق المطلوبه لتجديد الاقامة")
    # the documents the request asks for (helper 22's recheck: the seed's conditions came,
    # unlike the passport's answer), the conditions (seed 004) one button away
    assert "«تجديد هوية مقيم»" in plain(chat.said) and "kb:iqama_conditions" in chat.choice_ids
    await chat.tap("kb:iqama_conditions")
    assert IQAMA_CONDITIONS in plain(chat.said)
    await chat.command("start")
    await chat.text("كم رسوم الاقامة؟")
    assert "رسوم إصدار الإقامة" in plain(chat.said) and "التابعين" not in chat.said
