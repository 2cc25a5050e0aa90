"""A story typed at the first question («هل يُقدَّم الطلب بصفة فرد… أم بصفة منشأة…؟») that
names no service is kept for the description, and who files is read from its words
(conversations/data/applicant_words.json) or asked again; found in review 16 (§3): since
91d6d85 «مؤسستي تبي تشتكي على الموظف…» was filed as a person's without asking, and offered
the individuals' services only."""

from __future__ import annotations

import pytest

from conversations.applicant_words import applicant_said
from conversations.engine import Engine
from domain.catalogue import load_catalogue

from .fakes import Chat, TerminalChat, WhatsAppChat
from .test_status import plain

#: the reviewer's words
ESTABLISHMENT = (
    "مؤسستي تبي تشتكي على الموظف اللي في فرع الرياض لانه كان سيء جدا مع مندوبنا وما احترمه"
)
NEITHER = "ابي اتظلم على الموظف اللي في فرع الرياض لانه كان سيء جدا معي وما احترمني"
INDIVIDUAL = (
    "ابي اتظلم على الموظف اللي في فرع الرياض لانه كان سيء جدا معي وما احترمني وانا جاي لنفسي"
)
KEPT = "احتفظتُ بما كتبته"
ASKED = "بصفة فرد"
SERVICE = "ما الخدمة المطلوبة؟"


def _groups(kind: str) -> set[str]:
    catalogue = load_catalogue()
    return {f"g:{g.id}" for g in catalogue.groups if catalogue.in_group(g.id, kind)}


def test_the_groups_differ_so_the_tests_below_can_tell() -> None:
    assert _groups("establishment") != _groups("individual")


@pytest.mark.parametrize("channel", [Chat, WhatsAppChat, TerminalChat])
async def test_an_establishment_story_goes_on_as_an_establishment_and_says_so(
    engine: Engine, channel: type[Chat]
) -> None:
    chat = channel(engine.handle)
    await chat.command("start")
    await chat.text(ESTABLISHMENT)
    said = plain(chat.said)
    assert "بحسب ما ورد في رسالتك، يُقدَّم هذا الطلب بصفة منشأة" in said, said
    assert KEPT in said and SERVICE in said, said
    assert set(chat.choice_ids) & _groups("establishment") == _groups("establishment")
    assert not _groups("individual") - _groups("establishment") & set(chat.choice_ids)


async def test_a_story_saying_neither_is_kept_and_who_files_asked_again(engine: Engine) -> None:
    chat = Chat(engine.handle)
    await chat.command("start")
    await chat.text(NEITHER)
    said = plain(chat.said)
    assert KEPT in said and ASKED in said and SERVICE not in said, said
    assert "يُرجى اختيار" not in said, said
    assert {"ind", "est"} <= set(chat.choice_ids)
    await chat.tap("est")
    assert set(chat.choice_ids) >= _groups("establishment"), chat.said


async def test_an_individual_story_goes_on_as_an_individual(engine: Engine) -> None:
    chat = Chat(engine.handle)
    await chat.command("start")
    await chat.text(INDIVIDUAL)
    said = plain(chat.said)
    assert KEPT in said and SERVICE in said and "بصفة منشأة" not in said, said
    assert set(chat.choice_ids) >= _groups("individual")


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (ESTABLISHMENT, "establishment"),
        ("شركتنا عندها مشكلة مع العامل عندي في الفرع", "establishment"),
        ("وعمالي ما قدروا يراجعون الفرع", "establishment"),
        (INDIVIDUAL, "individual"),
        (NEITHER, None),
        ("شركتي تبي تجدد جواز ولدي", None),
        ("عندي مشكلة مع شركة الاتصالات", None),
    ],
)
def test_who_files_is_read_from_listed_words_only(text: str, said: str | None) -> None:
    assert applicant_said(text) == said


@pytest.mark.parametrize("typed", ["انا عامل", "انا موظفة", "انا عاملة"])
async def test_a_worker_saying_so_files_as_an_individual_and_is_told(
    engine: Engine, typed: str
) -> None:
    """Session 18's faults list: «انا عامل» at the first question got «يُرجى اختيار واحد من ٤
    خيارات»; a worker files for themself."""
    chat = Chat(engine.handle)
    await chat.command("start")
    await chat.text(typed)
    said = plain(chat.said)
    assert "بحسب ما ورد في رسالتك، يُقدَّم هذا الطلب بصفة فرد" in said, said
    assert SERVICE in said and set(chat.choice_ids) & _groups("individual") == _groups("individual")


async def test_a_complaint_about_an_officer_is_still_kept_and_asked(engine: Engine) -> None:
    chat = Chat(engine.handle)
    await chat.command("start")
    await chat.text("ابي اتظلم على الموظف")
    said = plain(chat.said)
    assert "بصفة فرد" in said and SERVICE not in said, said  # asked, not assumed
