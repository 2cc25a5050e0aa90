"""A service named whole is offered alone (domain.catalogue.Catalogue.named_whole)."""

from __future__ import annotations

import pytest

from domain.catalogue import load_catalogue


@pytest.mark.parametrize(
    ("text", "offered"),
    [
        ("تأشيرة خروج وعودة", ["exit_reentry_visa"]),
        ("ابي اصدار تأشيرة خروج وعودة", ["exit_reentry_visa"]),
        ("خروج نهائي", ["final_exit_visa"]),
        # named in part: both still offered
        ("تأشيرة خروج", ["exit_reentry_visa", "final_exit_visa"]),
        ("جواز سفر", ["passport_issue", "passport_extend", "passport_renew"]),
    ],
)
def test_a_whole_name_outranks_a_shared_word(text: str, offered: list[str]) -> None:
    catalogue = load_catalogue()
    matched = catalogue.match(text)
    assert [s.id for s in catalogue.named_whole(text, matched)] == offered
