"""The phone step asked again with a mobile in the request names it and keeps it by «الرقم
نفسه», tapped or typed. Session 25's probe: «رجوع» from the description to fix the
identity number asked for the mobile again with no word of the one given, and «نفس
الرقم» got «ما كتبته ليس رقم جوال»."""

from __future__ import annotations

import pytest

from conversations.flows.phone_kept import says_same_number

from .fakes import Chat

SAVED = "+966551234567"


async def _back_at_phone(chat: Chat) -> None:
    """An iqama renewal with the mobile typed, then «رجوع» from the description."""
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:inside")
    await chat.text("2000000006")
    await chat.text("0551234567")
    assert "يُرجى وصف طلبك" in chat.said, chat.said
    await chat.text("رجوع")


async def test_the_number_saved_is_named_and_offered(chat: Chat) -> None:
    await _back_at_phone(chat)
    assert "رقم الجوال في طلبك هو" in chat.said and SAVED in chat.said, chat.said
    # after the share button: Telegram labels its contact button by the first choice
    assert chat.choice_ids[:2] == ["share_contact", "keep_phone"], chat.choice_ids


@pytest.mark.parametrize(
    "answer", ["!keep_phone", "نفس الرقم", "الرقم نفسه", "نفسه", "same number"]
)
async def test_the_same_number_keeps_it_and_goes_on(chat: Chat, answer: str) -> None:
    await _back_at_phone(chat)
    if answer.startswith("!"):
        await chat.tap(answer[1:])
    else:
        await chat.text(answer)
    assert f"{SAVED}" in chat.said and "هو رقم الجوال المسجّل في طلبك" in chat.said, chat.said
    assert "يُرجى وصف طلبك" in chat.said, chat.said


async def test_the_identity_corrected_after_the_mobile_keeps_the_mobile(chat: Chat) -> None:
    await _back_at_phone(chat)
    await chat.text("رجوع")  # to the identity number
    await chat.text("2000000014")
    assert "رقم الجوال في طلبك هو" in chat.said, chat.said
    await chat.text("نفس الرقم")
    assert "يُرجى وصف طلبك" in chat.said, chat.said


async def test_another_mobile_typed_replaces_it(chat: Chat) -> None:
    await _back_at_phone(chat)
    await chat.text("0561234567")
    assert "+966561234567" in chat.said and "يُرجى وصف طلبك" in chat.said, chat.said


async def test_the_first_time_offers_no_number_to_keep(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:inside")
    await chat.text("2000000006")
    assert "keep_phone" not in chat.choice_ids and "نفس" not in chat.said, chat.said
    await chat.text("نفس الرقم")  # no number yet: not a number, said so
    assert "يُرجى وصف طلبك" not in chat.said, chat.said


@pytest.mark.parametrize(
    ("text", "same"),
    [("نفس الرقم", True), ("هو نفسه", True), ("ما تغير", True), ("الرقم الجديد", False),
     ("نفس الرقم بس غير الهوية", False), ("هو", False), ("", False)],
)  # fmt: skip
def test_words_that_keep_the_number(text: str, same: bool) -> None:
    assert says_same_number(text) is same
