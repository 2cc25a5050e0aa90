"""A number typed right after a status answer is another request number, mistyped or not.

Found by the fresh-clone tester (fault 1): «/status», then «1234567890» (its check digit
wrong) got the main menu alone, with no word about the number; after «رقم طلب آخر» the
same number was called mistyped. A number starting as an identity number (1, 2, 3) or an
establishment's (7) is no request number: it is read as at the first menu, its slip named
there (found by the reviewer: «1000000007» led into a stranger's look-up)."""

from __future__ import annotations

import pytest

from .fakes import Chat, MemoryLimiter
from .test_status import MINE, THEIRS, chat, gateway, limiter, plain

__all__ = ["chat", "gateway", "limiter"]

MISTYPED = "يبدو أن في رقم الطلب خطأ: الرقم الأخير لا يتوافق مع بقية الأرقام"


@pytest.mark.parametrize("typed", ["4512345670", "٤٥١٢٣٤٥٦٧٠", "٥٠٣٨ ٣٢٩ ٦٥٢"])
async def test_a_mistyped_number_after_a_status_answer_is_named(chat: Chat, typed: str) -> None:
    await chat.command("status")
    assert f"الطلب رقم {MINE}" in plain(chat.said)
    await chat.text(typed)
    said = plain(chat.said)
    assert MISTYPED in said, said
    assert "بصفة فرد" not in said  # not the main menu in its place
    # the look-up goes on: the right number typed next is answered
    await chat.text(MINE)
    assert f"الطلب رقم {MINE}" in plain(chat.said) and "قيد الدراسة" in plain(chat.said)


async def test_the_same_after_the_status_of_a_request_proven_by_its_identity_number(
    chat: Chat,
) -> None:
    await chat.command("status")
    await chat.tap("another")
    await chat.text(THEIRS)
    await chat.text("1000000008")
    assert "مرفوض" in plain(chat.said)
    await chat.text("4512345670")
    assert MISTYPED in plain(chat.said)


async def test_someone_elses_right_number_after_an_answer_still_needs_its_proof(
    chat: Chat,
) -> None:
    await chat.command("status")
    await chat.text("٦٤١٨٤٠٧٠٤٢")  # THEIRS in Arabic-Indic digits
    said = plain(chat.said)
    assert "لم يُقدَّم هذا الطلب من هذه المحادثة" in said
    assert "مرفوض" not in said and "المستندات غير مكتملة" not in said


async def test_an_identity_number_after_an_answer_still_starts_a_request(chat: Chat) -> None:
    # a right identity number is the start of a new request, as at the first menu
    await chat.command("status")
    await chat.text("1000000008")
    assert MISTYPED not in plain(chat.said)
    assert "احتفظتُ برقم الهوية" in plain(chat.said)


@pytest.mark.parametrize("typed", ["1234567890", "١٢٣٤٥٦٧٨٩٠"])
async def test_a_mistyped_identity_number_after_an_answer_is_named_as_at_the_menu(
    chat: Chat, limiter: MemoryLimiter, typed: str
) -> None:
    await chat.command("status")
    await chat.text(typed)
    said = plain(chat.said)
    assert "الرقم الأخير لا يتوافق مع بقية الأرقام" in said, said
    assert MISTYPED not in said
    assert not limiter.failures  # no status attempt, no counter named by it


async def test_only_right_after_the_answer(chat: Chat) -> None:
    # a mobile number is never a request number, nor is a number after the menu came back
    await chat.command("status")
    await chat.text("0551234567")
    assert MISTYPED not in plain(chat.said)
    await chat.command("start")
    await chat.text("١٢٣٤٥٦٧٨٩٠")  # at the menu: read as a mistyped identity number
    assert MISTYPED not in plain(chat.said)
    assert "الرقم الأخير لا يتوافق مع بقية الأرقام" in plain(chat.said)
