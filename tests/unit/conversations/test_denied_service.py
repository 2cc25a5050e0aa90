"""A service said not to be wanted names no service («مو خروج وعوده، ابي…»): helper 22
(§5), «لا لا مو خروج وعوده، ابي نقل معلومات جواز زوجتي الجديد» at the services offered
got the exit/re-entry visa offered again."""

from __future__ import annotations

import pytest

from conversations.keywords import split_denied

from .fakes import Chat


@pytest.mark.parametrize(
    ("typed", "kept", "denied"),
    [
        ("لا لا مو خروج وعوده، ابي نقل معلومات جواز زوجتي الجديد",
         "لا لا ابي نقل معلومات جواز زوجتي الجديد", "خروج وعوده،"),
        ("ابي اقامة زوجتي مو اقامتي", "ابي اقامة زوجتي", "اقامتي"),
        ("not the passport, I want the iqama", "I want the iqama", "the passport,"),
        ("ابي تجديد الاقامة", "ابي تجديد الاقامة", ""),
    ],
)  # fmt: skip
def test_what_is_denied_is_set_apart(typed: str, kept: str, denied: str) -> None:
    assert split_denied(typed) == (kept, denied)


async def test_the_denied_service_is_not_offered_again(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي تاشيرة خروج وعوده لزوجتي")
    assert "s:exit_reentry_visa" in chat.choice_ids
    await chat.text("لا لا مو خروج وعوده، ابي نقل معلومات جواز زوجتي الجديد")
    assert "s:exit_reentry_visa" not in chat.choice_ids, chat.choice_ids
    assert "s:dependents" in chat.choice_ids
