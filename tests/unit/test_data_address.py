"""The Arabic texts people read from the data files address anyone, as the catalogue's do
(tests/unit/test_catalogue_address.py): the services' names, questions, answers, refusals and
«what you can do instead» (domain/data/services.json), the knowledge base's titles, answers
and seed titles (conversations/data/knowledge.json). Found in session 15 (review 14 §10's
follow-up): «اطلب من صاحب الشأن أن يقدّم الطلب بنفسه» in every refusal for someone else,
«احجز موعدًا عبر أبشر، وراجع أقرب فرع…» for other nationalities' visit visas, «سجّل
الدخول… اختر «خدماتي»…» in the iqama-validity answer, «ما تحتاجه لمتابعة طلبك». The
officers' ready questions (bot/staff/data/ready_questions.json) and rejection reasons
(reject_reasons.json) are sent to the person as they are: fresh-clone tester 15 §6 read
«فضلًا أرسل صورة أوضح للإقامة من الوجهين.», «فضلًا وضّح طلبك بتفصيل أكثر.».

Keyword lists (synonyms, stopwords, word forms, the words that recognise a question) are
the person's words, not the bot's, and are not read; nor are comments and seed quotes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.unit.arabic_address import (
    imperatives,
    masculine_pasts,
    reader_adjectives,
    second_person_verbs,
)

ROOT = Path(__file__).resolve().parents[2]

#: the data files and, in each, the paths (dots, list items as []) of the texts people read
PERSON_FACING = {
    "domain/data/services.json": re.compile(
        r"^\.(groups\[\]\.name|services\[\]\.(name|holder|citizens_why|documents\[\]"
        r"|questions\[\]\.(text|options\[\]\.(label|said|holder|refusal|instead))))\.ar$"
    ),
    "conversations/data/knowledge.json": re.compile(
        r"^\.(topics\[\]\.(title|answer)|seeds\.[^.]+\.txt)\.ar$"
    ),
    # said of a visitor: «بحسب ما ورد في رسالتك، جنسية الزائر مصرية.»
    "domain/data/nationalities.json": re.compile(r"^\.nationalities\.[^.]+\.name\.ar$"),
    # the officers' ready questions and rejection reasons reach the person verbatim
    "bot/staff/data/ready_questions.json": re.compile(r"^\.(services\.[^.]+|common)\[\]\.ar$"),
    "bot/staff/data/reject_reasons.json": re.compile(r"^\.reasons\[\]\.ar$"),
}

#: words that match a reading but address no one: phrase → why (removed before reading)
NOT_ADDRESSED = {
    "تابع لي": "a noun, «a dependent of mine», on the person's own button",
    "تابع لك": "a noun: «is the person concerned a dependent of yours?»",
    "تقدّم المنشأة": "third person: the establishment files",
    "تقدّم الجوازات": "third person: the passports directorate offers",
    "المنشآت فتقدّم": "third person: establishments file",
    "فالجوازات توجّه": "third person: the directorate directs (not «head to»)",
}


def _texts(node: object, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for item in node:
            yield from _texts(item, f"{path}[]")
    elif isinstance(node, str):
        yield path, node


def person_facing_texts() -> list[tuple[str, str, str]]:
    """(file, path, Arabic text) of every text people read in the data files."""
    found = []
    for name, wanted in PERSON_FACING.items():
        data = json.loads((ROOT / name).read_text(encoding="utf-8"))
        found += [(name, path, text) for path, text in _texts(data) if wanted.match(path)]
    return found


def masculine_words(text: str) -> list[str]:
    """The words of `text` that address a man, by the catalogue test's four readings."""
    for phrase in NOT_ADDRESSED:
        text = text.replace(phrase, " ")
    return (
        imperatives(text)
        + second_person_verbs(text)
        + masculine_pasts(text)
        + reader_adjectives(text)
    )


def test_the_texts_read_are_found() -> None:
    """A path pattern that stopped matching (a field renamed) would read nothing."""
    found = person_facing_texts()
    kinds = {re.sub(r"\[\]|\.seeds\.[^.]+\.txt", lambda m: "" if m[0] == "[]" else ".seeds", p)
             for _name, p, _text in found}  # fmt: skip
    assert {
        ".groups.name.ar",
        ".services.name.ar",
        ".services.documents.ar",
        ".services.questions.text.ar",
        ".services.questions.options.label.ar",
        ".services.questions.options.refusal.ar",
        ".services.questions.options.instead.ar",
        ".services.citizens_why.ar",
        ".topics.title.ar",
        ".topics.answer.ar",
        ".seeds.ar",
    } <= kinds
    assert len(found) > 150
    for name in PERSON_FACING:
        assert sum(1 for file, _path, _text in found if file == name) >= 5, name


def test_no_data_text_addresses_a_man() -> None:
    wrong = [
        f"{name} {path}: {words} in «{text[:80]}…»"
        for name, path, text in person_facing_texts()
        if (words := masculine_words(text))
    ]
    assert wrong == [], "rewrite these for anyone («يُرجى حجز موعد…», «يمكنك مراجعة…», «يلزم…»)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("اطلب من صاحب الشأن أن يقدّم الطلب بنفسه.", ["اطلب"]),
        ("ولغيرهما احجز موعدًا عبر أبشر وراجع أقرب فرع للجوازات.", ["احجز", "وراجع"]),
        ("بخدمة تواصل تحتاج إلى: رقم الطلب", ["تحتاج"]),
        ("هل صاحب الطلب تابع لك أو مكفول لديك؟", []),
        ("تقدّم المنشأة الطلبات عن عمالها المسجّلين عليها فقط.", []),
        ("فضلًا أرسل صورة أوضح للإقامة من الوجهين.", ["فضلا", "أرسل"]),
        ("وضّح طلبك بتفصيل أكثر.", ["وضح"]),
        ("يُرجى توضيح طلبك بمزيد من التفاصيل.", []),
    ],
)
def test_the_masculine_words_are_found(text: str, expected: list[str]) -> None:
    assert masculine_words(text) == expected
