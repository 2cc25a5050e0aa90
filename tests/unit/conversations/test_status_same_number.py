"""A request number typed again at the identity prompt, and the end of a look-up's pause.

Tester 13, §10 (WhatsApp): someone with no request of their own looked up a relative's
request, typed its number again at «…يُرجى كتابة رقم الهوية…» four times, and the sixth
was refused «أُوقف الاستعلام مؤقتًا بعد عدة محاولات غير صحيحة»: no identity number had
been wrong, only the same request number typed again, each time a new attempt. The chat's
own window (its first attempt an hour earlier) ended a minute later while the request
number's went on, the look-up had ended with the refusal, and the relative's identity
number typed next started a draft («احتفظتُ برقم الهوية … لطلبك» + «ما الخدمة
التي تحتاجها؟»); the request number after it «returned» to that draft."""

from __future__ import annotations

from domain.normalize import clean_input

from .fakes import MemoryGateway, MemoryLimiter
from .test_status import FILED, THEIRS, _chat, _their_number_asked, _view

THEIR_ID = "1000000008"
DRAFT_WORDS = ("احتفظتُ برقم الهوية", "ما الخدمة المطلوبة", "نعود إلى الطلب")
ACCOUNT = "acct:test:u1"


def plain(text: str) -> str:
    return clean_input(text)


def _someone_else_filed() -> MemoryGateway:
    gateway = MemoryGateway()
    gateway.views[THEIRS] = (_view(THEIRS, "under_review"), ("test", "brother"), THEIR_ID)
    return gateway


async def test_the_same_request_number_typed_again_is_not_another_attempt() -> None:
    limiter = MemoryLimiter()
    chat = _chat(_someone_else_filed(), limiter, FILED)
    await _their_number_asked(chat)
    for _ in range(MemoryLimiter.max_failures + 1):
        await chat.text(THEIRS)
        said = plain(chat.said)
        assert "أُوقف الاستعلام" not in said, said
        assert f"هذا رقم الطلب {THEIRS} نفسه" in said, said
        assert "رقم الهوية" in said  # what is asked for next
    assert limiter.failures[ACCOUNT] == 1  # the look-up itself, nothing more
    await chat.text("2000000005")  # an identity number with a slip: named, not counted
    await chat.text(THEIR_ID)
    assert f"الطلب رقم {THEIRS}" in plain(chat.said) and "قيد الدراسة" in plain(chat.said)


async def test_a_request_number_typed_again_during_a_pause_is_told_the_pause() -> None:
    limiter = MemoryLimiter()
    chat = _chat(_someone_else_filed(), limiter, FILED)
    await _their_number_asked(chat)
    for wrong in ("2000000006", "1010101010", "2000000014", "2000000006", "1010101010"):
        await chat.text(wrong)
    assert "أُوقف الاستعلام مؤقتًا" in plain(chat.said)
    await chat.text(THEIRS)
    said = plain(chat.said)
    assert "أُوقف الاستعلام" in said and "نفسه" not in said, said


async def test_the_identity_number_after_the_chats_pause_ends_is_no_draft() -> None:
    limiter = MemoryLimiter()
    chat = _chat(_someone_else_filed(), limiter, FILED)
    await _their_number_asked(chat)
    for wrong in ("2000000006", "1010101010", "2000000014", "2000000006", "1010101010"):
        await chat.text(wrong)
    assert "أُوقف الاستعلام مؤقتًا" in plain(chat.said)
    # the chat's window began earlier and ends first; the request number's goes on
    limiter.failures[ACCOUNT] = 0
    await chat.text(THEIR_ID)
    said = plain(chat.said)
    assert not any(words in said for words in DRAFT_WORDS), said
    assert "أُوقف الاستعلام عنه مؤقتًا" in said  # the request number's own pause
    await chat.text(THEIRS)
    said = plain(chat.said)
    assert not any(words in said for words in DRAFT_WORDS), said
    assert "أُوقف الاستعلام عنه مؤقتًا" in said
