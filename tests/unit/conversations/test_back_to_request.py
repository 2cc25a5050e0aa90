"""«ابي ارجع لطلبي اللي كنت فيه», «لا، أكمل الطلب» at the first menu mean the request being
filled in, never a service. Found by tester 12 (§5): they were offered «تأشيرة خروج وعودة»
and «مشكلة تقنية». A deleted draft comes back; with none, the person is told so; «ما اقدر
اكمل الطلب» stays a technical issue."""

from __future__ import annotations

import pytest

from .fakes import Chat
from .test_intake import RESIDENT, _to_identity

NONE_TO_GO_BACK = "لا يوجد هنا طلب قيد التعبئة"
SERVICE_OFFER = "هل هذه هي الخدمة المطلوبة"


@pytest.mark.parametrize("typed", ["ابي ارجع لطلبي اللي كنت فيه", "لا، أكمل الطلب"])
async def test_with_no_draft_it_says_so_and_offers_no_service(chat: Chat, typed: str) -> None:
    await chat.command("start")
    await chat.text(typed)
    text = "\n".join(r.text for r in chat.last)
    assert NONE_TO_GO_BACK in text, text
    assert SERVICE_OFFER not in text
    assert chat.choice_ids[:2] == ["ind", "est"]


async def test_a_draft_just_deleted_comes_back(chat: Chat) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)
    asked = chat.last[-1].text
    await chat.text("إلغاء")
    await chat.tap("discard")
    await chat.text("ابي ارجع لطلبي")
    text = "\n".join(r.text for r in chat.last)
    assert SERVICE_OFFER not in text and NONE_TO_GO_BACK not in text
    assert chat.last[-1].text == asked, text


async def test_cannot_complete_the_request_is_still_a_technical_issue(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("ما اقدر اكمل الطلب")
    text = "\n".join(r.text for r in chat.last)
    assert NONE_TO_GO_BACK not in text
    labels = [c.label for r in chat.last for c in r.choices]
    assert "مشكلة تقنية" in labels, labels


async def test_at_the_services_offered_it_is_no_service(chat: Chat) -> None:
    # helper 235: «العودة إلى طلبي» at the services offered matched «تأشيرة خروج وعودة»
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("مشكلة في ابشر")
    assert SERVICE_OFFER in chat.said, chat.said
    await chat.text("العودة إلى طلبي")
    assert NONE_TO_GO_BACK in chat.said and SERVICE_OFFER not in chat.said, chat.said
    assert chat.choice_ids[:2] == ["ind", "est"]


async def test_with_words_kept_at_the_services_that_draft_is_the_request(chat: Chat) -> None:
    # words kept early would be lost by the first menu: the service question again
    await chat.command("start")
    await chat.text("عندي مشكلة في ابشر ما يفتح معي من يومين وابي حل")
    assert "احتفظتُ بما كتبته" in chat.said and SERVICE_OFFER in chat.said, chat.said
    await chat.text("العودة إلى طلبي")
    assert NONE_TO_GO_BACK not in chat.said and "exit_reentry" not in str(chat.choice_ids)
    assert "هذا هو الطلب الجاري تعبئته" in chat.said and SERVICE_OFFER in chat.said, chat.said
    assert "s:technical_issue" in chat.choice_ids, chat.choice_ids
