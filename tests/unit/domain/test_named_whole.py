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


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("ابي تأشيرة خروج وعودة", ["exit_reentry_visa"]),
        ("ابي اجدد جوازي", ["passport_renew"]),
        ("بلاغ هروب", ["absence_report"]),
        ("تأشيرة خروج", []),  # in part only
        ("زوجتي", []),  # a one-word synonym is as often an answer about whom
        ("داخل المملكة", []),
        ("2000000014", []),
    ],
)
def test_named_in_full_takes_whole_names_of_two_words_or_more(text: str, named: list[str]) -> None:
    assert [s.id for s in load_catalogue().named_in_full(text)] == named


@pytest.mark.parametrize(
    "text",
    [
        "نقل معلومات الجواز",
        "ابي انقل معلومات جوازي الجديد",
        "نقل بيانات الجواز",  # helper 235: «نقل الخدمات» came first
        "ابي انقل بيانات جوازي الجديد",
    ],
)
def test_moving_passport_information_is_offered_to_an_officer_first(text: str) -> None:
    # no seed names «نقل معلومات الجواز»: it was offered only «نقل الخدمات», a
    # sponsorship transfer, on «نقل»; «أخرى» (routed by an officer) now comes first
    assert load_catalogue().match(text)[0].id == "other"


@pytest.mark.parametrize("text", ["ابي انقل خدماتي", "نقل كفالة", "نقل خدمات"])
def test_a_transfer_is_still_a_transfer(text: str) -> None:
    assert [s.id for s in load_catalogue().match(text)] == ["transfer_of_services"]


@pytest.mark.parametrize("text", ["ابي استفسر عن الرسوم", "fee", "الرسوم"])
def test_a_word_of_price_alone_names_no_service(text: str) -> None:
    # «رسوم المرافقين» and «dependent fee» made «رسوم» and «fee» half a dependants' name
    assert load_catalogue().match(text) == []


def test_changing_passport_details_is_still_an_amendment() -> None:
    assert load_catalogue().match("تعديل بيانات الجواز")[0].id == "passport_amend"
