"""A need that is not a Tawasul service, though its words sit close to one (tester 13,
§8): «ابي اطلع تاشيرة زيارة لزوجتي من مصر» (issuing a visit visa) was offered only
«تمديد تأشيرة الزيارة», then refused for an Egyptian, a reason not theirs. The seeds list
only the extension (Syrians and Yemenis) for visit visas, and name no place that issues
one: the person is told so, and is not walked into the extension."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from conversations.i18n import translations
from conversations.unserved_needs import _needs, unserved_line, unserved_need
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore, TerminalChat

NOT_HERE = "إصدار تأشيرة الزيارة ليس من الخدمات التي تُقدَّم عبر «تواصل»"
ONLY_EXTENSION = "تمديدها فقط، وللجنسيتين السورية واليمنية"
WHICH_SERVICE = "ما الخدمة المطلوبة؟"
NATIONALITY = "ما جنسية الزائر؟"


@pytest.mark.parametrize("first", [True, False])
async def test_issuing_a_visit_visa_is_said_not_to_be_a_tawasul_service(
    chat: Chat, first: bool
) -> None:
    await chat.command("start")
    if not first:
        await chat.tap("ind")
    await chat.text("ابي اطلع تاشيرة زيارة لزوجتي من مصر")
    assert NOT_HERE in chat.said and ONLY_EXTENSION in chat.said
    # not offered the extension as the service asked for, and no place invented
    assert "s:visit_visa_extension" not in chat.choice_ids
    assert "هل هذه هي الخدمة" not in chat.said
    assert "منصة التأشيرات" not in chat.said
    # the way on: another service, chosen or written
    assert WHICH_SERVICE in chat.said and any(c.startswith("g:") for c in chat.choice_ids)


async def test_the_terminal_tester_never_meets_the_nationality_question() -> None:
    chat = TerminalChat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)
    await chat.text("ابي اطلع تاشيرة زيارة لزوجتي من مصر")
    await chat.text("ايه")
    assert NATIONALITY not in chat.said


async def test_an_extension_in_the_same_words_is_still_the_extension(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("ابي امدد تاشيرة زيارة امي")
    assert NOT_HERE not in chat.said
    assert "s:visit_visa_extension" in chat.choice_ids


@pytest.mark.parametrize(
    "text",
    [
        "ابي اطلع تاشيرة زيارة لزوجتي من مصر",
        "كيف استخرج فيزا زيارة لامي",
        "ابي تأشيرة زيارة عائلية لاخوي",
        "I want to issue a visit visa for my mother",
    ],
)
def test_ways_of_asking_to_issue_one(text: str) -> None:
    assert unserved_need(text) == "visit_visa_issue"


@pytest.mark.parametrize(
    "text",
    [
        "ابي امدد زيارة امي هي سورية",
        "تمديد تأشيرة الزيارة",
        "زيارة امي خلصت ابي اجددها",
        "أحتاج تأشيرة خروج وعودة لزيارة أهلي",
        "extend my mother's visit visa",
        "ابي موعد لزيارة الفرع",
        "زيارة عائلية",
        # review 14 §2: served needs, not the refusal
        "ابي اجدد تاشيرة الزيارة لامي",
        "ابي اطلع اقامة لزوجتي اللي جت بزيارة",
        "كيف اطلع اقامة لزوجتي اللي جت بزيارة؟",
    ],
)
def test_not_asking_to_issue_one(text: str) -> None:
    assert unserved_need(text) is None


def test_every_need_in_the_data_has_its_words_said() -> None:
    class _Ctx:
        texts = translations("ar")

    for need_id in _needs():
        assert unserved_line(_Ctx(), need_id)  # type: ignore[arg-type]


async def test_asked_as_a_question_it_is_answered_the_same_and_the_step_stays(chat: Chat) -> None:
    # «وين…؟» asks a place: it got «ليس لدي جواب عن هذا السؤال» as if about the extension
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("وين اطلع فيزا زيارة لاخوي")
    assert NOT_HERE in chat.said and "ليس لدي جواب" not in chat.said
    assert WHICH_SERVICE in chat.said
    # in the middle of another request: answered, and that request's question again
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    asked = chat.said.splitlines()[-1]
    await chat.text("طيب كيف استخرج تأشيرة زيارة لامي؟")
    assert NOT_HERE in chat.said and asked in chat.said


@pytest.mark.parametrize(
    ("text", "served"),
    [
        ("ابي اجدد تاشيرة الزيارة لامي", "s:visit_visa_extension"),
        ("ابي اطلع اقامة لزوجتي اللي جت بزيارة", "s:iqama_issue"),
        ("كيف اطلع اقامة لزوجتي اللي جت بزيارة؟", "s:iqama_issue"),
    ],
)
async def test_a_served_need_near_a_visit_is_offered_not_refused(
    chat: Chat, text: str, served: str
) -> None:
    # review 14 §2: all three were told issuing a visit visa is no Tawasul service
    await chat.command("start")
    await chat.tap("ind")
    await chat.text(text)
    assert NOT_HERE not in chat.said
    assert served in chat.choice_ids


@pytest.mark.parametrize("typed", ["ابي اسجل بصمه", "وين ابصم", "ابي ابصم لزوجتي"])
async def test_registering_fingerprints_is_said_not_to_be_a_tawasul_service(
    chat: Chat, typed: str
) -> None:
    """Helper 22's probe: «ابي اسجل بصمه» was offered «مشكلة تقنية» (whose synonym «ما
    قدرت اسجل دخول» shares «اسجل»)."""
    await chat.command("start")
    await chat.text(typed)
    said = chat.said
    assert "تسجيل البصمة ليس من الخدمات التي تُقدَّم عبر «تواصل»" in said, said
    assert "s:technical_issue" not in chat.choice_ids


async def test_a_fingerprint_problem_is_still_a_request(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("ما قدرت اسجل البصمة يطلع خطأ")
    assert "تسجيل البصمة ليس من الخدمات" not in chat.said
    assert "s:technical_issue" in chat.choice_ids


async def test_in_english_too(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("English")
    await chat.text("I want to register my fingerprints")
    assert "registering fingerprints is not one of the services" in chat.said, chat.said
