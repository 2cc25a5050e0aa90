"""Answers meant for another of the service's questions than the one on screen (tester
10b, items 6, 7 and 9; conversations.flows.eligibility): at «أين صاحب الإقامة الآن؟»,
reached by «رجوع», «لي انا» or «شخص اخر» is «لمن هذا الطلب؟»'s answer; after the «شخص آخر»
refusal, «لاخوي» says whom the request is for; a place typed or a location shared before
«لمن هذا الطلب؟» is answered is kept for the location question and credited to it."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.events import Unsupported
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_intake import DESCRIPTION, PHONE, RESIDENT

FOR_WHOM = "لمن هذا الطلب؟"
WHERE = "أين صاحب الإقامة الآن؟"
WHERE_SELF = "أين أنت الآن؟"  # asked so of one's own request (helper 21, §8)
NOT_UNDERSTOOD = "لم أفهم إجابتك"
REFUSED = "لا يُقبل الطلب إلا من صاحب الشأن نفسه"
IDENTITY = "كتابة رقم هوي"  # the writer's own («هويتك») or the holder's («هوية صاحب الطلب»)
CAIRO = (30.04, 31.24)


def _chat() -> tuple[Chat, MemoryGateway]:
    gateway = MemoryGateway()
    return Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle), gateway


async def _file(chat: Chat) -> None:
    await chat.contact(PHONE)
    await chat.text(DESCRIPTION)
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")


async def _back_at_where(chat: Chat) -> None:
    """The tester's way (item 6): both questions answered from the first words, then
    «رجوع» from the identity number to «أين صاحب الإقامة الآن؟»."""
    await chat.text("ابي اجدد اقامة زوجتي وهي برا المملكه")
    await chat.tap("s:iqama_renew")
    assert IDENTITY in chat.said
    await chat.text("رجوع")
    assert chat.said == WHERE and "q:outside" in chat.choice_ids


@pytest.mark.parametrize(
    ("typed", "label", "option"), [("لي انا", "لي أنا", "self"), ("لي أنا", "لي أنا", "self")]
)
async def test_whose_answer_at_the_location_question_is_taken_for_whose(
    typed: str, label: str, option: str
) -> None:
    chat, gateway = _chat()
    await _back_at_where(chat)
    await chat.text(typed)
    assert NOT_UNDERSTOOD not in chat.said
    assert f"إجابتك عن السؤال السابق «{FOR_WHOM}»، فسجّلتُها: «{label}»" in chat.said
    assert chat.said.endswith(WHERE_SELF) and "q:inside" in chat.choice_ids  # still asked
    await chat.tap("q:outside")
    await chat.text(RESIDENT)
    await _file(chat)
    assert gateway.submissions[0].eligibility == {"for_whom": option, "location": "outside"}


async def test_someone_else_at_the_location_question_gets_whose_refusal() -> None:
    chat, gateway = _chat()
    await _back_at_where(chat)
    await chat.text("شخص اخر")
    assert f"السؤال السابق «{FOR_WHOM}»: «شخص آخر»" in chat.said and REFUSED in chat.said
    await chat.text("رجوع")  # to the question it answered, to change it
    assert chat.said == FOR_WHOM and "q:someone_else" in chat.choice_ids
    await chat.tap("q:self")
    assert f"«{WHERE_SELF}»: «خارج المملكة»" in chat.said and IDENTITY in chat.said
    assert not gateway.submissions


async def test_a_refusal_is_not_given_from_a_guess_at_one_word() -> None:
    chat, _gateway = _chat()
    await _back_at_where(chat)
    await chat.text("ثاني")  # near «شخص آخر»'s words, but not its label
    assert (
        REFUSED not in chat.said
        and f"ويمكنك تغيير إجابتك عن «{FOR_WHOM}» باختيار «رجوع»" in chat.said
    )
    assert "q:inside" in chat.choice_ids


async def test_back_from_the_location_question_goes_to_whose() -> None:
    chat, _gateway = _chat()
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامة")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:self")
    assert chat.said == WHERE_SELF
    await chat.text("رجوع")
    assert chat.said == FOR_WHOM and "q:self" in chat.choice_ids
    await chat.text("رجوع")  # and from there to the services
    assert "هل هذه هي الخدمة المطلوبة؟" in chat.said


async def test_words_no_question_takes_name_the_question_and_the_way_back() -> None:
    chat, _gateway = _chat()
    await _back_at_where(chat)
    await chat.text("مدري والله")
    assert NOT_UNDERSTOOD in chat.said
    assert f"السؤال الآن: «{WHERE}»" in chat.said
    assert f"ويمكنك تغيير إجابتك عن «{FOR_WHOM}» باختيار «رجوع»" in chat.said


@pytest.mark.parametrize("typed", ["لاخوي", "لأخي", "لوالدتي", "لزوجتي", "زوجتي", "لأمي"])
async def test_who_it_is_for_after_the_refusal_answers_whose(typed: str) -> None:
    chat, gateway = _chat()
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي تاشيرة خروج وعودة")
    await chat.tap("s:exit_reentry_visa")
    await chat.tap("q:someone_else")
    assert REFUSED in chat.said
    await chat.text(typed)
    assert "لم أتمكن من تحديد الخدمة" not in chat.said
    assert f"سجّلتُ إجابة «{FOR_WHOM}»: «تابع لي أو مكفول لدي»" in chat.said
    assert IDENTITY in chat.said
    await chat.text("رجوع")  # the question it answered, not the refusal
    assert chat.said == FOR_WHOM
    await chat.tap("q:family")
    await chat.text(RESIDENT)
    await _file(chat)
    assert gateway.submissions[0].eligibility == {"for_whom": "family"}


async def test_after_the_refusal_someone_else_is_refused_again_and_a_need_still_searched() -> None:
    chat, _gateway = _chat()
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي تاشيرة خروج وعودة")
    await chat.tap("s:exit_reentry_visa")
    await chat.tap("q:someone_else")
    await chat.text("صديقي")
    assert REFUSED in chat.said and "other" in chat.choice_ids
    await chat.text("ابي اجدد جواز سفر لاخوي")  # a new need in words: searched for
    assert "s:passport_renew" in chat.choice_ids


async def test_a_location_shared_before_whose_is_credited_to_the_location() -> None:
    chat, gateway = _chat()
    await chat.command("start")
    await chat.send(Unsupported(chat.origin(), "location", CAIRO))
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامة")
    await chat.tap("s:iqama_renew")
    assert chat.said == FOR_WHOM
    await chat.text("لي أنا")
    assert f"بحسب الموقع الذي شاركته، سجّلتُ إجابة «{WHERE_SELF}»: «خارج المملكة»" in chat.said
    assert "رسالتك" not in chat.said
    await chat.text(RESIDENT)
    await _file(chat)
    assert gateway.submissions[0].eligibility == {"for_whom": "self", "location": "outside"}


async def test_a_location_shared_at_whose_is_kept_for_the_location_question() -> None:
    chat, _gateway = _chat()
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامة")
    await chat.tap("s:iqama_renew")
    await chat.send(Unsupported(chat.origin(), "location", CAIRO))
    # where the sender is: for the sender's own request only (as «انا في مصر», 28f1f72)
    assert chat.said == (
        "شكرًا لك، يبيّن موقعك أنك خارج المملكة، وإن كان الطلب لك أنت فسأعتمد ذلك جوابًا عن"
        f" مكان صاحب الإقامة.\n{FOR_WHOM}"
    ), chat.said
    await chat.tap("q:family")
    assert "فهمتُ أنك أنت خارج المملكة، أما هذا السؤال فعن صاحب الإقامة." in chat.said
    assert chat.said.endswith(WHERE) and "الموقع الذي شاركته" not in chat.said, chat.said
    await chat.tap("q:inside")
    assert IDENTITY in chat.said


async def test_a_location_shared_at_whose_answers_where_for_the_senders_own_request() -> None:
    chat, gateway = _chat()
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامة")
    await chat.tap("s:iqama_renew")
    await chat.send(Unsupported(chat.origin(), "location", CAIRO))
    await chat.tap("q:self")
    assert f"بحسب الموقع الذي شاركته، سجّلتُ إجابة «{WHERE_SELF}»: «خارج المملكة»" in chat.said
    assert IDENTITY in chat.said
    await chat.text(RESIDENT)
    await _file(chat)
    assert gateway.submissions[0].eligibility == {"for_whom": "self", "location": "outside"}


async def test_a_place_typed_at_whose_is_kept_for_the_location_question() -> None:
    chat, gateway = _chat()
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامة")
    await chat.tap("s:iqama_renew")
    await chat.text("انا في الرياض")
    assert NOT_UNDERSTOOD not in chat.said
    # the writer's place, promised for the writer's own request only (review 11, item 8)
    assert "فهمتُ أنك داخل المملكة، وإن كان الطلب لك أنت فسأعتمد ذلك" in chat.said
    assert chat.said.endswith(FOR_WHOM) and "q:self" in chat.choice_ids
    await chat.tap("q:self")
    assert f"«{WHERE_SELF}»: «داخل المملكة»" in chat.said and IDENTITY in chat.said
    await chat.text(RESIDENT)
    await _file(chat)
    assert gateway.submissions[0].eligibility == {"for_whom": "self", "location": "inside"}
