"""The choice reader and the status classifier, measured on their test sets (data files),
and the inputs of issue 10 items 4 and 6 in the real dialogue, in Arabic and English."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from conversations.engine import Engine
from conversations.events import Option, Origin
from conversations.flow import Ctx
from conversations.flows import intake
from conversations.flows.intake import INTAKE
from conversations.flows.more_info import offer_text
from conversations.state import DialogueState
from conversations.status_question import is_status_question
from conversations.understanding import understand_choice
from conversations.word_keys import joined_and, words
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore
from .test_intake import PHONE, RESIDENT, _to_identity

DATA = Path(__file__).parent / "data"
CATALOGUE = load_catalogue()
NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


def _ctx(locale: str, **answers: Any) -> Ctx:
    state = DialogueState(locale=locale, answers=dict(answers))
    return Ctx(state, Origin("test", "u1", "e1"), CATALOGUE, MemoryGateway(), NOW)


def _question(service_id: str, question_id: str, locale: str) -> tuple[Option, ...]:
    service = CATALOGUE.get(service_id)
    # «هل العامل مسجّل على منشأتك؟» is an establishment's question
    applicant = next(
        a
        for a in ("individual", "establishment")
        if question_id in [q.id for q in service.questions_for(a)]
    )
    index = [q.id for q in service.questions_for(applicant)].index(question_id)
    ctx = _ctx(locale, service=service_id, question=index, applicant=applicant)
    return intake.ask_question(ctx).choices


def _options(name: str, locale: str) -> list[tuple[str, str]]:
    """The buttons a person sees at that step, from the real flows and catalogue."""
    full = {
        "service": "iqama_renew", "applicant": "individual", "identity": RESIDENT,
        "identity_kind": "resident", "phone": PHONE, "description": "وصف يكفي للطلب هنا",
        "attachments": [],
    }  # fmt: skip
    built: dict[str, Any] = {
        "suggest_one": lambda: intake.ask_suggest(_ctx(locale, suggestions=["iqama_renew"])),
        "suggest_two": lambda: intake.ask_suggest(
            _ctx(locale, suggestions=["iqama_renew", "passport_renew"])
        ),
        "summary": lambda: intake.ask_summary(_ctx(locale, **full)),
        "attachments": lambda: intake.ask_attachments(_ctx(locale, service="other")),
        "applicant": lambda: intake.ask_applicant(_ctx(locale)),
        "offer": lambda: offer_text(_ctx(locale), [("5038329651", "سؤال")]),
    }
    questions = {
        "location": "iqama_renew", "nationality": "visit_visa_extension",
        "belongs": "dependents", "worker_belongs": "absence_report", "for_whom": "passport_issue",
    }  # fmt: skip
    if name in questions:
        choices = _question(questions[name], name, locale)
    else:
        choices = built[name]().choices
    return [(o.id, o.label) for o in choices]


def _outcome(text: str, options: list[tuple[str, str]]) -> str | None:
    understood = understand_choice(text, options)
    if understood is None:
        return None
    return understood.chosen or "?"


def _misses(cases: list[list[Any]]) -> list[tuple[str, str, str | None, str | None]]:
    wrong = []
    for name, locale, text, expected in cases:
        got = _outcome(text, _options(name, locale))
        if got != expected:
            wrong.append((name, text, expected, got))
    return wrong


@pytest.mark.parametrize(("part", "least"), [("cases", 0.95), ("held_out", 0.75)])
def test_choice_understanding_on_its_test_set(part: str, least: float) -> None:
    cases = json.loads((DATA / "choice_phrasings.json").read_text(encoding="utf-8"))[part]
    wrong = _misses(cases)
    assert 1 - len(wrong) / len(cases) >= least, wrong
    # a wrong button is worse than asking: no case may pick a different option
    assert not [w for w in wrong if w[3] not in (None, "?")], wrong


def _status_sets() -> dict[str, tuple[list[str], list[str]]]:
    data = json.loads((DATA / "status_phrasings.json").read_text(encoding="utf-8"))
    tuned = [p for region in data["status"].values() for p in region]
    held = data["held_out"]
    return {
        "tuned": (tuned, data["not_status"]),
        "held_out": (held["status"], held["not_status"]),
    }


def _accuracy(asks: list[str], others: list[str]) -> float:
    right = sum(is_status_question(p) for p in asks) + sum(
        not is_status_question(p) for p in others
    )
    return right / (len(asks) + len(others))


def test_status_classifier_on_its_test_sets() -> None:
    sets = _status_sets()
    asks, others = sets["tuned"]
    assert len(asks) >= 40
    assert _accuracy(asks, others) >= 0.95
    # phrasings never used to set the weights: the honest figure the README quotes
    assert _accuracy(*sets["held_out"]) >= 0.8
    # a need is never taken for a status question, in either set
    assert not [p for p in [*others, *sets["held_out"][1]] if is_status_question(p)]


# ---- the inputs in the real dialogue -----------------------------------------


@pytest.fixture
def gateway() -> MemoryGateway:
    return MemoryGateway()


@pytest.fixture
def chat(gateway: MemoryGateway) -> Chat:
    engine = Engine(MemoryStore(), INTAKE, CATALOGUE, gateway, limiter=MemoryLimiter())
    return Chat(engine.handle)


@pytest.mark.parametrize("typed", ["ايه", "نعم", "ايوه", "اكيد"])
async def test_yes_to_the_one_suggested_service(chat: Chat, typed: str) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي امدد زيارة امي")
    assert chat.choice_ids[0] == "s:visit_visa_extension" and "هل هذه هي الخدمة" in chat.said
    await chat.text(typed)
    assert "ما جنسية الزائر" in chat.said


@pytest.mark.parametrize("typed", ["ولا وحده", "ولا واحد منهم", "مو منهم", "none of them"])
async def test_none_of_the_services_offered_in_words(chat: Chat, typed: str) -> None:
    # helper 235: «ولا وحده» got «لم أتمكن من تحديد الخدمة المقصودة» and the list again
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي خروج وعودة او تجديد اقامة")
    assert "none" in chat.choice_ids, chat.choice_ids
    await chat.text(typed)
    assert "لم أتمكن" not in chat.said and "g:residency" in chat.choice_ids, chat.said


@pytest.mark.parametrize(
    ("typed", "then"), [("مصريه", "للجنسيتين السورية واليمنية فقط"), ("سوريه", "رقم هوية")]
)
async def test_nationality_in_the_feminine(chat: Chat, typed: str, then: str) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي امدد زيارة امي")
    await chat.text("ايه")
    await chat.text(typed)
    assert then in chat.said


@pytest.mark.parametrize("typed", ["داخل", "انا هنا بالرياض"])
async def test_where_the_iqama_holder_is_in_a_word(chat: Chat, typed: str) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    await chat.text(typed)
    assert "رقم هويتك" in chat.said


async def test_an_equally_likely_word_is_asked_about(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    await chat.text("المملكة")
    assert "أيّها المقصود: «داخل المملكة» أو «خارج المملكة»" in chat.said
    assert chat.choice_ids[:2] == ["q:inside", "q:outside"]
    await chat.text("1")
    assert "رقم هويتك" in chat.said


async def _to_summary(chat: Chat) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.contact(PHONE)
    await chat.text("انتهت إقامتي ولا أستطيع تجديدها من أبشر بسبب خطأ في النظام")
    await chat.media(ref="p1")
    await chat.media(ref="p2")


@pytest.mark.parametrize("typed", ["خلاص", "تمام"])
async def test_done_after_the_documents_in_a_word(chat: Chat, typed: str) -> None:
    await _to_summary(chat)
    await chat.text(typed)
    assert "يُرجى مراجعة طلبك" in chat.said


@pytest.mark.parametrize("typed", ["تاكيد", "ايوه ارسله", "confirm"])
async def test_confirm_at_the_summary_in_a_word(
    chat: Chat, gateway: MemoryGateway, typed: str
) -> None:
    await _to_summary(chat)
    await chat.text("خلاص")
    await chat.text(typed)
    assert len(gateway.submissions) == 1


async def test_english_words_for_choices(chat: Chat, gateway: MemoryGateway) -> None:
    await chat.text("English")
    await chat.text("individual")
    await chat.text("I want to renew my iqama")
    await chat.tap("s:iqama_renew")
    await chat.text("inside")
    assert "identity number" in chat.said
    await chat.text(RESIDENT)
    await chat.contact(PHONE)
    await chat.text("My iqama expired and Absher shows an error when I pay the fee")
    await chat.media(ref="p1")
    await chat.media(ref="p2")
    await chat.text("finished")
    assert "Please check your request" in chat.said
    await chat.text("yes send it")
    assert len(gateway.submissions) == 1


@pytest.mark.parametrize(
    "typed", ["طيب متى يخلص طلبي؟", "وش صار على معاملتي", "any update on my application?"]
)
async def test_status_in_ones_own_words(chat: Chat, typed: str) -> None:
    await chat.command("start")
    await chat.text(typed)
    assert "رقم الطلب" in chat.said or "request number" in chat.said
    assert "فرد" not in chat.said


async def test_the_number_shown_for_my_request_status_works(chat: Chat) -> None:
    await chat.command("start")
    assert chat.choice_ids.index("status") == 2
    await chat.text("٣")
    assert "كتابة رقم الطلب" in chat.said


async def test_an_answer_not_understood_names_the_answers(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    await chat.text("الله يسهل")
    assert "لم أفهم إجابتك" in chat.said
    assert "«داخل المملكة» أو «خارج المملكة»" in chat.said
    assert "فضلًا اختر إحدى الإجابات" not in chat.said


@pytest.mark.parametrize("typed", ["ما ادري والله", "ماادري", "ما اعرف", "I don't know"])
async def test_not_knowing_where_the_holder_is_gets_what_to_do(chat: Chat, typed: str) -> None:
    # session 20's new-user probe: «ماادري» got «لم أفهم إجابتك», no help for someone who
    # really does not know
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    await chat.text(typed)
    said = chat.said
    assert "اختيار الأرجح" in said and "وصف الطلب" in said, said
    assert "لم أفهم" not in said and said.endswith("أين أنت الآن؟"), said
    assert chat.choice_ids[:2] == ["q:inside", "q:outside"], chat.choice_ids


@pytest.mark.parametrize("typed", ["لي", "لي انا"])
async def test_for_me_in_a_word_is_not_asked_about(chat: Chat, typed: str) -> None:
    """Tester 12 (§10): «لي» at «لمن هذا الطلب؟» was answered «أيّها المقصود: «لي أنا» أو
    «تابع لي أو مكفول لدي»؟»; the «لي» in the second label is no word of that answer."""
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("تجديد اقامة")
    await chat.tap("s:iqama_renew")
    assert "لمن هذا الطلب؟" in chat.said
    await chat.text(typed)
    assert "أيّها المقصود" not in chat.said
    assert "أين أنت الآن؟" in chat.said


@pytest.mark.parametrize("typed", ["قلت لك في جدة", "قلتلك داخل", "سبق وقلت لك اني في جده"])
async def test_i_told_you_before_a_place(chat: Chat, typed: str) -> None:
    """Tester 12 (§11): «قلت لك في جدة» at «أين صاحب الإقامة الآن؟» got «لم أفهم إجابتك»
    while «في جده» alone was understood."""
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    assert "أين أنت الآن؟" in chat.said
    await chat.text(typed)
    assert "لم أفهم" not in chat.said
    assert "رقم هويتك" in chat.said


@pytest.mark.parametrize("typed", ["قلت لك سوريه", "ذكرت لك انها سورية"])
async def test_i_told_you_before_a_nationality(chat: Chat, typed: str) -> None:
    """Tester 12 (§11, §12): «قلت لك سوريه» at «ما جنسية الزائر؟» got «لم أفهم إجابتك»."""
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي امدد زيارة امي")
    await chat.text("ايه")
    assert "ما جنسية الزائر" in chat.said
    await chat.text(typed)
    assert "لم أفهم" not in chat.said
    assert "رقم هوية" in chat.said


@pytest.mark.parametrize(
    "first", ["ابي امدد زيارة امي هي سورية وموجودة عندي بالرياض", "ابي امدد زيارة ابوي اليمني"]
)
async def test_the_nationality_said_first_is_not_asked_again(chat: Chat, first: str) -> None:
    """Tester 12 (§12, WhatsApp): the nationality in the first message was asked again
    after «ايوه»."""
    await chat.command("start")
    await chat.tap("ind")
    await chat.text(first)
    assert chat.choice_ids[0] == "s:visit_visa_extension"
    await chat.text("ايوه")
    # noted and said so, not asked: on to the number
    assert "q:syrian" not in chat.choice_ids and "لم أفهم" not in chat.said
    assert "بحسب ما ورد" in chat.said and "«ما جنسية الزائر؟»" in chat.said
    assert "رقم حدود" in chat.said


async def test_a_country_named_as_a_place_is_not_the_nationality(chat: Chat) -> None:
    """Review 12 (§2): where the visitor came from is not her nationality."""
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي امدد زيارة امي اللي جات من اليمن")
    await chat.text("ايوه")
    assert "ما جنسية الزائر" in chat.said and "بحسب ما ورد" not in chat.said, chat.said


async def test_the_nationality_said_counts_not_the_country_come_from(chat: Chat) -> None:
    """Review 12 (§2) and tester 14 (§6): «المصرية اللي جات من سوريا» is Egyptian, told
    at once that the extension is for Syrians and Yemenis (the question was asked before
    tester 14: a nationality not served was not read)."""
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي امدد زيارة امي المصرية اللي جات من سوريا")
    await chat.text("ايوه")
    said = chat.said
    assert "جنسية الزائر مصرية" in said and "السورية واليمنية فقط" in said, said
    assert "«سوري»" not in said


async def test_a_nationality_said_not_to_be_is_asked(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي امدد زيارة امي وهي مو سورية")
    await chat.text("ايوه")
    assert "ما جنسية الزائر" in chat.said and "q:syrian" in chat.choice_ids


def test_a_lone_and_is_written_onto_the_next_word() -> None:
    assert joined_and(["جوازي", "و", "جواز", "ولدي"]) == ["جوازي", "وجواز", "ولدي"]
    assert joined_and(["نعم", "و"]) == ["نعم", "و"]
    assert words("جوازي و جواز ولدي") == words("جوازي وجواز ولدي")
