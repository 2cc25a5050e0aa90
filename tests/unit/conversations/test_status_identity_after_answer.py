"""Found by the reviewer (review 10): a mistyped identity number typed right after a
status answer (a person who now wants to file a new request) was taken as a request
number, and the right identity number typed next was looked up as a request number too,
spending status attempts and naming a Redis counter after it. Identity and establishment
numbers are never request numbers (domain.request_number.FIRST_DIGITS)."""

from __future__ import annotations

from .fakes import Chat, MemoryLimiter
from .test_status import MINE, THEIRS, chat, gateway, limiter, plain

__all__ = ["chat", "gateway", "limiter"]


async def test_a_corrected_identity_number_after_a_status_answer_starts_a_request(
    chat: Chat,
) -> None:
    await chat.command("status")
    assert f"الطلب رقم {MINE}" in plain(chat.said)
    await chat.text("1000000007")  # the identity 1000000008 with a slip in its last digit
    await chat.text("1000000008")  # corrected: at the first menu this starts a request
    said = plain(chat.said)
    assert "احتفظتُ برقم الهوية" in said, said


async def test_at_the_menu_the_same_two_messages_start_a_request(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("1000000007")
    await chat.text("1000000008")
    said = plain(chat.said)
    assert "احتفظتُ برقم الهوية" in said, said


async def test_an_identity_number_at_the_request_number_prompt_is_named_not_looked_up(
    chat: Chat, limiter: MemoryLimiter
) -> None:
    # a right identity number, or an establishment's, is no request number: named, the
    # request number asked for again, no attempt spent and no counter keyed by it
    await chat.command("status")
    await chat.tap("another")
    await chat.text("1000000008")
    said = plain(chat.said)
    assert "هذا يبدو رقم هوية وطنية" in said, said
    assert "لم يُقدَّم هذا الطلب من هذه المحادثة" not in said
    await chat.text("7001234561")
    assert "هذا يبدو رقم منشأة (الرقم الموحد)" in plain(chat.said)
    assert not limiter.failures
    await chat.text(MINE)  # the look-up goes on
    assert f"الطلب رقم {MINE}" in plain(chat.said)


async def test_an_establishment_number_at_the_identity_step_is_not_a_look_up(
    chat: Chat, limiter: MemoryLimiter
) -> None:
    await chat.command("status")
    await chat.tap("another")
    await chat.text(THEIRS)
    assert "لم يُقدَّم هذا الطلب من هذه المحادثة" in plain(chat.said)
    await chat.text("7001234561")  # its check digit passes, as a request number's would
    assert set(limiter.failures) == {"acct:test:u1", f"num:{THEIRS}"}
    assert "لم يُقدَّم هذا الطلب من هذه المحادثة" not in plain(chat.said)
