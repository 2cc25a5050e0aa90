"""A wish to withdraw a sent request in everyday words is read as the listed phrases are
(tester 14, §9/§5: «خلاص ما عاد احتاجه جددتها من ابشر، الغوه» met the services menu and
«ابي اسحب المعاملة» the bare first menu, with a request open)."""

from __future__ import annotations

import pytest

from conversations.sent_changes import change_wish


@pytest.mark.parametrize(
    "text",
    [
        "خلاص ما عاد احتاجه جددتها من ابشر، الغوه",
        "ابي اسحب المعاملة",
        "ابغى اسحب معاملتي",
        "ما عاد احتاجها الغوها",
        "الغوا الطلب",
    ],
)
def test_everyday_withdrawal_words_are_a_wish_to_withdraw(text: str) -> None:
    assert change_wish(text, filling=False) == "withdraw"


@pytest.mark.parametrize(
    "text",
    ["ابي اسحب فلوس من البنك", "ابي اجدد اقامتي", "ما عاد احتاج شي شكرا"],
)
def test_other_words_are_not(text: str) -> None:
    assert change_wish(text, filling=False) is None


def test_a_document_forgotten_with_the_sent_request_is_a_wish_to_add_it() -> None:
    """Tester 14, §3 (WhatsApp): «نسيت ارسل صورة الجواز مع الطلب اللي ارسلته» met the
    services menu, its words kept as a new draft's description."""
    said = "نسيت ارسل صورة الجواز مع الطلب اللي ارسلته"
    assert change_wish(said, filling=False) == "forgot"
    assert change_wish(said, filling=True) == "forgot"
    assert change_wish("نسيت ارسل صورة الجواز", filling=True) is None  # the draft's own
