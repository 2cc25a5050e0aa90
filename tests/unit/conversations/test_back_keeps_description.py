"""Going back never throws away what the person typed: found by a fresh-clone tester, whose
description was gone after «رجوع», «رجوع» and sharing the number again (the photo stayed).
Driven through the channel-neutral engine, with the tester's exact steps."""

from __future__ import annotations

from conversations.flows.describe import KEEP

from .fakes import Chat, MemoryGateway
from .test_intake import PHONE, RESIDENT, _to_identity

DESCRIPTION = "أمي سورية الجنسية وتأشيرة الزيارة تنتهي بعد أسبوع وأريد تمديدها"


async def _back_to_description(chat: Chat) -> None:
    """The tester's steps: description, a photo, «رجوع» twice, the number shared again."""
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.contact(PHONE)
    await chat.text(DESCRIPTION)
    await chat.media()
    await chat.text("رجوع")
    assert DESCRIPTION in chat.said, chat.said
    await chat.text("رجوع")
    await chat.contact(PHONE)


async def test_the_description_is_shown_and_kept_on_coming_back(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _back_to_description(chat)
    # asked again, the person sees what they wrote and can keep it with one tap
    assert DESCRIPTION in chat.said
    assert KEEP in chat.choice_ids
    await chat.tap(KEEP)
    await chat.tap("done")
    assert DESCRIPTION in chat.said
    await chat.tap("confirm")
    assert gateway.submissions[0].description == DESCRIPTION
    assert len(gateway.submissions[0].attachments) == 1


async def test_a_short_text_on_coming_back_loses_nothing(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _back_to_description(chat)
    # the tester's Telegram case: a short new text is asked to be longer, and the earlier
    # description is still there to keep
    await chat.text("شكرا")
    assert KEEP in chat.choice_ids
    await chat.tap(KEEP)
    await chat.tap("done")
    await chat.tap("confirm")
    assert gateway.submissions[0].description == DESCRIPTION


async def test_a_new_text_on_coming_back_replaces_the_description(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _back_to_description(chat)
    await chat.text("أرغب في تمديد تأشيرة زيارة والدتي شهرًا آخر")
    await chat.tap("done")
    await chat.tap("confirm")
    assert gateway.submissions[0].description == "أرغب في تمديد تأشيرة زيارة والدتي شهرًا آخر"
