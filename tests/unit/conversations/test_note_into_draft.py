"""``/note words`` with no open request, in the middle of a request being filled in: the
words join that request's description, never dropped. Found by tester 11 (fault 10): on
WhatsApp, «/note الجواز ينتهي بعد شهرين» at a draft's summary with nothing filed yet got
«ليس لديك طلب مفتوح لتضيف إليه ملاحظة.», then the summary, and the words were lost.
Review 11: so too for the note asked in words, and for /note at the look-up's prompt opened
from the draft (§1b); a person whose sent requests are all decided was told they had sent
none (§2)."""

from __future__ import annotations

import pytest

from conversations.events import Command

from .fakes import Chat, TerminalChat, WhatsAppChat
from .test_status import MINE, _view
from .test_status_prompt_exits import (
    DESCRIPTION,
    PHONE,
    PROMPT,
    RESIDENT,
    _setup,
    _to_summary,
    plain,
)

WORDS = "الجواز ينتهي بعد شهرين"
ADDED = "أضفتُ كلماتك إلى وصف الطلب الذي بدأت تعبئته"
OTHER = "4512345671"


async def _note(chat: Chat, args: str) -> str:
    await chat.send(Command(chat.origin(), "note", args))
    return plain(chat.said)


@pytest.mark.parametrize("kind", [Chat, WhatsAppChat, TerminalChat])
async def test_note_words_at_the_summary_join_the_drafts_description(kind: type[Chat]) -> None:
    chat, gateway = _setup(kind)
    await _to_summary(chat)
    said = await _note(chat, WORDS)
    assert ADDED in said and "لم يُرسَل بعد" in said, said
    assert WORDS in said and "يُرجى مراجعة طلبك" in said  # the summary shows them
    assert chat.choice_ids[0] == "confirm"
    await chat.tap("confirm")
    [filed] = gateway.submissions
    assert filed.description == f"{DESCRIPTION}\n{WORDS}"


async def test_note_words_before_the_description_are_kept_for_it() -> None:
    chat, gateway = _setup()
    await chat.command("start")
    for typed in ("ابي اجدد اقامتي", "1", "1", RESIDENT):
        await chat.text(typed)  # at the phone step
    said = await _note(chat, WORDS)
    assert "ليس لديك طلب مُرسَل" in said and "احتفظتُ بما كتبته" in said, said
    assert chat.last[-1].ask_contact  # the phone step asked again
    await chat.contact(PHONE)
    assert WORDS in plain(chat.said)  # offered at the description step
    assert not gateway.submissions


async def test_note_words_with_a_wrong_number_and_no_request_join_the_description() -> None:
    chat, gateway = _setup()
    await _to_summary(chat)
    said = await _note(chat, f"925448130 {WORDS}")
    assert "10 أرقام" in said and ADDED in said, said
    await chat.tap("confirm")
    assert gateway.submissions[0].description.endswith(WORDS)


@pytest.mark.parametrize("kind", [Chat, WhatsAppChat, TerminalChat])
async def test_a_note_asked_in_words_at_the_summary_joins_the_description(
    kind: type[Chat],
) -> None:
    chat, gateway = _setup(kind)
    await _to_summary(chat)
    await chat.text(f"ابي اضيف ملاحظة: {WORDS}")
    said = plain(chat.said)
    assert ADDED in said and "ليس لديك طلب مُرسَل" in said, said
    assert "طلب مفتوح" not in said and "يُرجى مراجعة طلبك" in said
    await chat.tap("confirm")
    [filed] = gateway.submissions
    assert filed.description == f"{DESCRIPTION}\n{WORDS}"


async def test_a_note_asked_in_words_without_a_colon_keeps_only_the_note() -> None:
    chat, gateway = _setup()
    await _to_summary(chat)
    await chat.text(f"اضيف ملاحظة {WORDS}")
    assert ADDED in plain(chat.said), plain(chat.said)
    await chat.tap("confirm")
    assert gateway.submissions[0].description == f"{DESCRIPTION}\n{WORDS}"


@pytest.mark.parametrize("kind", [Chat, WhatsAppChat])
async def test_note_words_at_the_status_prompt_join_the_waiting_drafts_description(
    kind: type[Chat],
) -> None:
    chat, gateway = _setup(kind)
    await _to_summary(chat)
    await chat.command("status")
    assert PROMPT in plain(chat.said)
    said = await _note(chat, WORDS)
    assert ADDED in said and "طلب مفتوح" not in said and PROMPT in said, said
    assert "resume" in chat.choice_ids  # «العودة إلى طلبي», offered with the prompt
    await chat.text("رجوع")
    said = plain(chat.said)
    assert WORDS in said and "يُرجى مراجعة طلبك" in said, said
    await chat.tap("confirm")
    [filed] = gateway.submissions
    assert filed.description == f"{DESCRIPTION}\n{WORDS}"


async def test_a_note_in_words_at_the_status_prompt_joins_the_waiting_draft() -> None:
    chat, gateway = _setup()
    await _to_summary(chat)
    await chat.command("status")
    await chat.text(f"ابي اضيف ملاحظة: {WORDS}")
    said = plain(chat.said)
    assert ADDED in said and "طلب مفتوح" not in said, said
    await chat.tap("resume")
    await chat.tap("confirm")
    assert gateway.submissions[0].description == f"{DESCRIPTION}\n{WORDS}"


@pytest.mark.parametrize("status", ["rejected", "accepted"])
async def test_with_only_decided_requests_the_person_is_not_told_they_sent_none(
    status: str,
) -> None:
    chat, gateway = _setup()
    gateway.views[MINE] = (_view(MINE, status), ("test", "u1"), RESIDENT)
    await _to_summary(chat)
    said = await _note(chat, WORDS)
    assert "ليس لديك طلب مُرسَل" not in said, said
    assert "صدر القرار في طلبك المُرسَل" in said and ADDED in said
    assert ("إعادة النظر" in said) == (status == "rejected")
    await chat.tap("confirm")
    assert gateway.submissions[0].description == f"{DESCRIPTION}\n{WORDS}"


@pytest.mark.parametrize("asked", ["ابي اضيف ملاحظة على طلبي", "ابي اضيف ملاحظة على الطلب"])
async def test_a_note_asked_for_without_its_words_adds_nothing(asked: str) -> None:
    """Words that only ask for a note («على الطلب») are not taken for the note."""
    chat, gateway = _setup()
    await _to_summary(chat)
    await chat.text(asked)
    assert ADDED not in plain(chat.said), plain(chat.said)
    await chat.tap("confirm")
    assert gateway.submissions[0].description == DESCRIPTION


async def test_the_words_after_a_note_on_my_request_are_the_note() -> None:
    chat, gateway = _setup()
    await _to_summary(chat)
    await chat.text(f"ابي اضيف ملاحظة على طلبي {WORDS}")
    assert ADDED in plain(chat.said), plain(chat.said)
    await chat.tap("confirm")
    assert gateway.submissions[0].description == f"{DESCRIPTION}\n{WORDS}"


# With an open request, a note asked for in words together with its words opened the note
# step empty, the words lost (session 12, task 1): they are the note now, shown back «not
# sent yet», and sent as typed when the person sends it.
NOT_SENT = "لم تُرسل بعد"


@pytest.mark.parametrize("kind", [Chat, WhatsAppChat, TerminalChat])
@pytest.mark.parametrize(
    "typed",
    [f"ابي اضيف ملاحظة: {WORDS}", f"اضيف ملاحظة على طلبي ان {WORDS}", f"أضف ملاحظة {WORDS}"],
)
async def test_a_note_in_words_with_an_open_request_is_the_note(
    kind: type[Chat], typed: str
) -> None:
    chat, gateway = _setup(kind, mine=True)
    await chat.command("start")
    await chat.text(typed)
    said = plain(chat.said)
    assert MINE in said and WORDS in said and NOT_SENT in said, said
    assert not any(s[0] == "note" for s in gateway.said)  # sent only when they send it
    await chat.text("ارسال")
    assert ("note", MINE, WORDS) in gateway.said, plain(chat.said)


@pytest.mark.parametrize("kind", [Chat, WhatsAppChat, TerminalChat])
async def test_a_note_in_words_mid_draft_with_an_open_request_is_the_note(
    kind: type[Chat],
) -> None:
    chat, gateway = _setup(kind, mine=True)
    await _to_summary(chat)
    await chat.text(f"ابي اضيف ملاحظة: {WORDS}")
    said = plain(chat.said)
    assert WORDS in said and NOT_SENT in said and ADDED not in said, said
    await chat.text("ارسال")
    assert ("note", MINE, WORDS) in gateway.said, plain(chat.said)
    assert "يُرجى مراجعة طلبك" in plain(chat.said)  # the draft comes back, unchanged
    await chat.tap("confirm")
    assert gateway.submissions[0].description == DESCRIPTION


async def test_a_note_in_words_with_two_open_requests_waits_for_the_pick() -> None:
    chat, gateway = _setup(mine=True)
    gateway.views[OTHER] = (_view(OTHER, "received"), ("test", "u1"), RESIDENT)
    await chat.command("start")
    await chat.text(f"ابي اضيف ملاحظة: {WORDS}")
    assert f"note:{OTHER}" in chat.choice_ids, chat.choice_ids  # which request, asked
    await chat.tap(f"note:{OTHER}")
    said = plain(chat.said)
    assert WORDS in said and NOT_SENT in said, said
    await chat.text("ارسال")
    assert ("note", OTHER, WORDS) in gateway.said, plain(chat.said)


async def test_a_note_asked_for_without_words_still_opens_it_empty() -> None:
    chat, gateway = _setup(mine=True)
    await chat.command("start")
    await chat.text("ابي اضيف ملاحظة على طلبي")
    said = plain(chat.said)
    assert MINE in said and NOT_SENT not in said, said
    await chat.text(WORDS)
    await chat.text("ارسال")
    assert ("note", MINE, WORDS) in gateway.said, plain(chat.said)


async def test_a_long_note_in_words_with_an_open_request_is_the_note_whole() -> None:
    """Longer than the ten words a short wish may have: opened by its phrase, kept whole."""
    long_note = f"{WORDS} وراح اجدده الاسبوع الجاي ان شاء الله"
    chat, gateway = _setup(mine=True)
    await chat.command("start")
    await chat.text(f"السلام عليكم ابي اضيف ملاحظة {long_note}")
    assert NOT_SENT in plain(chat.said), plain(chat.said)
    await chat.text("ارسال")
    assert ("note", MINE, long_note) in gateway.said, plain(chat.said)
