"""A story typed where the service is chosen is kept for the description step and offered
there with «الإبقاء على وصفي», as words typed at a number step are (tester 12, fault 14:
the story picked the service, then had to be typed again). On Telegram, WhatsApp and the
terminal chat, through the channel-neutral engine."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.describe import KEEP

from .fakes import Chat, MemoryGateway, TerminalChat, WhatsAppChat
from .test_intake import PHONE, RESIDENT
from .test_status import plain

#: the tester's words at «ما الخدمة المطلوبة؟»
STORY = "الاقامة خلصت من شهر وابي اجددها بس النظام في ابشر يطلع لي خطأ 😢 وش اسوي؟؟ والله تعبت"
ASK_DESCRIPTION = "يُرجى وصف طلبك"
EARLIER = "هذا ما كتبته سابقًا قبل خطوة الوصف"


async def _to_description(
    chat: Chat, need: str, *, first: bool, start: bool = True, typed: bool = True
) -> None:
    """``need`` typed as the first message (``first``) or at the group menu (after /start
    unless not ``start``; already typed unless ``typed``), the iqama renewal chosen, its
    questions answered, the number and the phone given."""
    if start:
        await chat.command("start")
    if start and not first:
        await chat.tap("ind")
    if typed:
        await chat.text(need)
    assert "s:iqama_renew" in chat.choice_ids, chat.said
    await chat.tap("s:iqama_renew")
    while any(c.startswith("q:") for c in chat.choice_ids):
        await chat.tap(chat.choice_ids[0])
    await chat.text(RESIDENT)
    if type(chat) is Chat:
        await chat.contact(PHONE)
    else:
        await chat.text("0501234567")


@pytest.mark.parametrize("channel", [Chat, WhatsAppChat, TerminalChat])
@pytest.mark.parametrize("first", [False, True])
async def test_a_story_at_the_service_step_is_offered_at_the_description_step(
    engine: Engine, gateway: MemoryGateway, channel: type[Chat], first: bool
) -> None:
    chat = channel(engine.handle)
    await _to_description(chat, STORY, first=first)
    said = plain(chat.said)
    assert EARLIER in said and "النظام في ابشر يطلع لي خطأ" in said, said
    assert KEEP in chat.choice_ids
    await chat.tap(KEEP)
    for send in (chat.media(), chat.tap("done"), chat.tap("confirm")):
        await send
    assert "النظام في ابشر يطلع لي خطأ" in gateway.submissions[0].description


async def test_a_need_named_in_a_few_words_is_not_offered_as_the_description(
    engine: Engine,
) -> None:
    chat = Chat(engine.handle)
    await _to_description(chat, "ابي اجدد اقامتي", first=False)
    said = plain(chat.said)
    assert ASK_DESCRIPTION in said and EARLIER not in said, said
    assert KEEP not in chat.choice_ids


async def test_the_same_story_sent_twice_is_kept_once(
    engine: Engine, gateway: MemoryGateway
) -> None:
    chat = Chat(engine.handle)
    await chat.command("start")
    await chat.tap("ind")
    await chat.text(STORY)
    await chat.tap("none")  # back at the group menu, the same words again
    await _to_description(chat, STORY, first=False, start=False)
    await chat.tap(KEEP)
    for send in (chat.media(), chat.tap("done"), chat.tap("confirm")):
        await send
    assert gateway.submissions[0].description.count("والله تعبت") == 1


KEPT = "احتفظتُ بما كتبته: سأعرضه وصفًا لطلبك عند خطوة الوصف، ويمكنك تغييره قبل إرسال الطلب."


@pytest.mark.parametrize("channel", [Chat, WhatsAppChat, TerminalChat])
async def test_the_story_kept_is_said_at_the_service_step_and_changed_at_the_summary(
    engine: Engine, gateway: MemoryGateway, channel: type[Chat]
) -> None:
    """Found in session 12: the story was kept silently where the service is chosen."""
    chat = channel(engine.handle)
    await chat.command("start")
    await chat.tap("ind")
    await chat.text(STORY)
    assert KEPT in plain(chat.said), chat.said
    assert "s:iqama_renew" in chat.choice_ids
    await _to_description(chat, "", first=False, start=False, typed=False)
    await chat.tap(KEEP)
    await chat.media()
    await chat.tap("done")
    assert "النظام في ابشر يطلع لي خطأ" in plain(chat.said)  # the summary shows it
    await chat.tap("e:desc")
    await chat.text("تظهر رسالة خطأ في أبشر عند دفع رسوم تجديد الإقامة منذ أسبوع كامل")
    if "done" in chat.choice_ids:
        await chat.tap("done")
    await chat.tap("confirm")
    (filed,) = gateway.submissions
    assert "منذ أسبوع كامل" in filed.description and "والله تعبت" not in filed.description


async def test_a_need_in_a_few_words_says_nothing_was_kept(engine: Engine) -> None:
    chat = Chat(engine.handle)
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    assert "احتفظتُ بما كتبته" not in plain(chat.said)
