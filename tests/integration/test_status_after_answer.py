"""A request number typed right after a status answer, on two workers sharing Redis and
the database: the turn that showed the answer is in the dialogue state, so the worker that
takes the next message knows it. Found by the fresh-clone tester (fault 1): «1234567890»
after «/status» got the main menu alone, with no word about the number."""

from __future__ import annotations

from bot.app import Services
from conversations.events import Command
from tests.integration.test_status_attempts import two_workers
from tests.integration.test_status_privacy import A_ID, A_PHONE, A_WORDS, B_ID, _file, plain
from tests.unit.conversations.fakes import Chat

__all__ = ["two_workers"]

MISTYPED = "يبدو أن في رقم الطلب خطأ: الرقم الأخير لا يتوافق مع بقية الأرقام"
MENU = "بصفة فرد"


async def test_a_number_after_a_status_answer_is_read_as_a_request_number(
    two_workers: list[Services],
) -> None:
    alice = [Chat(w.engine.handle, channel="telegram", user="100") for w in two_workers]
    mine = await _file(alice[0], A_ID, A_PHONE, A_WORDS)
    bob = Chat(two_workers[1].engine.handle, channel="telegram", user="200")
    theirs = await _file(bob, B_ID, "+966501112224", "جوازي منتهي وأبي أجدده من الخارج")
    for typed in ("4512345670", "٤٥١٢ ٣٤٥ ٦٧٠"):
        await alice[1].send(Command(alice[1].origin(), "status", ""))
        assert f"الطلب رقم {mine}" in plain(alice[1].said)
        await alice[0].text(typed)  # the other worker takes the next message
        said = plain(alice[0].said)
        assert MISTYPED in said and MENU not in said, said
    # the look-up goes on, on either worker: someone else's request needs its proof
    await alice[1].text(theirs)
    said = plain(alice[1].said)
    assert "لم يُقدَّم هذا الطلب من هذه المحادثة" in said
    assert "مشكلة تقنية" not in said and "قيد الدراسة" not in said  # nothing shown
    await alice[0].text(B_ID)
    assert f"الطلب رقم {theirs}" in plain(alice[0].said)
    # and right after that answer, their own number in Arabic-Indic digits is answered
    await alice[1].text("".join("٠١٢٣٤٥٦٧٨٩"[int(d)] for d in mine))
    assert f"الطلب رقم {mine}" in plain(alice[1].said)
