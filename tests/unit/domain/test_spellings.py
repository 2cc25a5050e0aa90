"""Free text as people type it on a phone: Gulf and Levantine wording, hamzas left out,
ة/ه and ى/ي swapped, letters stretched with tatweel, diacritics; and the English side of
the catalogue a person reads after switching language."""

from __future__ import annotations

import pytest

from domain.catalogue import Catalogue, load_catalogue, match_services


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def first(text: str) -> str | None:
    found = match_services(text)
    return found[0].id if found else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Gulf: ابغى/ابغا/ودي/شلون/وش
        ("ابغى اجدد الاقامه", "iqama_renew"),
        ("ابغا اجدد الاقامة", "iqama_renew"),
        ("ودي اطلع خروج وعوده", "exit_reentry_visa"),
        ("ودي اسوي خروج نهائي", "final_exit_visa"),
        ("شلون امدد زيارة اهلي", "visit_visa_extension"),
        ("أبغى أغير المهنة", "profession_change"),
        # Levantine: بدي/شو/ساوي
        ("بدي جدد اقامتي", "iqama_renew"),
        ("كيف بدي مدد الزيارة", "visit_visa_extension"),
        ("بدي ساوي نقل خدمات", "transfer_of_services"),
        ("شو لازم اعمل لتجديد الاقامة", "iqama_renew"),
        # hamzas left out
        ("ابي اصدار جواز", "passport_issue"),
        ("ابي انقل كفالة العامل", "transfer_of_services"),
        # ة written ه, ى written ي and the reverse
        ("تاشيره خروج وعوده", "exit_reentry_visa"),
        ("تأشيرة خروج نهائى", "final_exit_visa"),
        ("الاقامه منتهيه", "iqama_renew"),
        ("عندي مشكله بابشر", "technical_issue"),
        # stretched letters and diacritics
        ("تجديد الاقــــــامه", "iqama_renew"),
        ("إِقَامَتِي خِلْصَت", "iqama_renew"),
        ("تـمـديـد الـزيـارة", "visit_visa_extension"),
    ],
)
def test_the_way_people_type_finds_the_service(text: str, expected: str) -> None:
    assert first(text) == expected


def test_an_unsure_match_offers_at_most_three_guesses_best_first() -> None:
    guesses = [s.id for s in match_services("اصدار جواز سفر")]
    assert guesses[0] == "passport_issue"
    assert 2 <= len(guesses) <= 3


def test_every_text_a_person_reads_from_the_catalogue_exists_in_english(
    catalogue: Catalogue,
) -> None:
    for group in catalogue.groups:
        assert group.name.get("en"), group.id
    for service in catalogue.services:
        for question in service.questions:
            assert question.text.get("en"), (service.id, question.id)
            for option in question.options:
                assert option.label.get("en"), (service.id, question.id, option.id)
                if option.refusal is not None:
                    assert option.refusal.get("en"), (service.id, option.id)
