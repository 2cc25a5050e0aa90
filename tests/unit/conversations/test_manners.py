"""Issue 10 items 7, 8 and 9 in the real dialogue: deleting a filled draft asks first and
can be undone; a first message that states the need uses it; a service only an employer
files switches to an establishment's request. Greetings and thanks (item 12) are in
test_manners_greetings.py."""

from __future__ import annotations

import datetime as dt

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore
from .test_intake import PHONE, RESIDENT, _to_identity
from .test_status import MINE, _view


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def gateway() -> MemoryGateway:
    return MemoryGateway()


@pytest.fixture
def chat(gateway: MemoryGateway, clock: Clock) -> Chat:
    engine = Engine(
        MemoryStore(), INTAKE, load_catalogue(), gateway, clock=clock, limiter=MemoryLimiter()
    )
    return Chat(engine.handle)


async def _to_summary(chat: Chat) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.contact(PHONE)
    await chat.text("انتهت إقامتي ولا أستطيع تجديدها من أبشر بسبب خطأ في النظام")
    await chat.media(ref="p1")
    await chat.tap("done")
    assert "يُرجى مراجعة طلبك" in chat.said


# ---- deleting a draft ----------------------------------------------------------------


async def test_cancel_at_the_summary_asks_then_undo_brings_it_all_back(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_summary(chat)
    await chat.text("الغاء")
    assert "هل يُحذف" in chat.said
    assert chat.choice_ids == ["discard", "keep"]
    await chat.text("ايه")
    assert "حُذف الطلب" in chat.said and "undo" in chat.choice_ids
    await chat.text("تراجع")
    assert "استرجعنا طلبك" in chat.said
    assert RESIDENT in chat.said and PHONE in chat.said  # the summary, whole
    await chat.text("تاكيد")
    filed = gateway.submissions[0]
    assert filed.identity_number == RESIDENT and [a.ref for a in filed.attachments] == ["p1"]


@pytest.mark.parametrize("typed", ["لا لا رجعه", "رجعه لي", "لا تحذفه", "لا تحذفوه", "رجعوه"])
async def test_undo_in_other_words_brings_it_back(chat: Chat, typed: str) -> None:
    """Fresh-clone tester 15 (§9, terminal): «لا لا رجعه» right after «حُذف الطلب…» met
    the first menu with no word about the draft; only «تراجع» brought it back."""
    await _to_summary(chat)
    await chat.text("الغاء")
    await chat.text("ايه")
    assert "حُذف الطلب" in chat.said
    await chat.text(typed)
    assert "استرجعنا طلبك" in chat.said, chat.said
    assert RESIDENT in chat.said


async def test_no_at_the_question_keeps_the_draft(chat: Chat) -> None:
    await _to_summary(chat)
    await chat.text("إلغاء")
    await chat.text("لا")
    assert "يُرجى مراجعة طلبك" in chat.said


async def test_start_mid_draft_asks_before_deleting(chat: Chat, gateway: MemoryGateway) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)  # the identity number is in: there is something to lose
    await chat.command("start")
    assert "هل يُحذف" in chat.said
    await chat.tap("keep")
    assert chat.last[-1].ask_contact  # still at the phone step
    await chat.command("start")
    await chat.tap("discard")
    # a new draft: the first menu with «Undo» after its own options (tester 14, §11)
    assert chat.choice_ids[:2] == ["ind", "est"] and "undo" in chat.choice_ids
    await chat.tap("undo")
    assert chat.last[-1].ask_contact  # the old one is back at its step


async def test_an_empty_draft_is_cancelled_without_asking(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("الغاء")
    assert "تم الإلغاء" in chat.said


async def test_undo_is_possible_only_for_a_while(chat: Chat, clock: Clock) -> None:
    await _to_summary(chat)
    await chat.text("الغاء")
    await chat.tap("discard")
    clock.now += dt.timedelta(minutes=31)
    await chat.text("تراجع")
    assert "لم يعد بالإمكان استرجاع" in chat.said


async def test_in_english_delete_asks_and_undo_works(chat: Chat) -> None:
    await chat.text("English")
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.text("cancel please")
    assert "Delete it?" in chat.said
    await chat.text("yes")
    assert "Changed your mind?" in chat.said
    await chat.text("undo")
    assert "back as you left it" in chat.said and chat.last[-1].ask_contact


# ---- the need in the first message ---------------------------------------------------


async def test_a_first_message_with_the_need_uses_it(chat: Chat) -> None:
    await chat.text("السلام عليكم ابي امدد زيارة امي")
    assert "وعليكم السلام" in chat.said
    assert chat.choice_ids[0] == "s:visit_visa_extension"


async def test_in_english_a_first_message_with_the_need_uses_it(chat: Chat) -> None:
    await chat.text("English")
    await chat.text("Hello, I need to extend my wife's visit visa")
    assert chat.choice_ids[0] == "s:visit_visa_extension"
    await chat.text("yes")  # three services suggested: a plain yes is asked about
    assert "Which one do you mean:" in chat.said
    await chat.text("1")
    assert "nationality" in chat.said


async def test_after_filing_a_new_need_starts_a_new_request(chat: Chat) -> None:
    await _to_summary(chat)
    await chat.tap("confirm")
    await chat.text("ابي تاشيرة خروج وعوده لي")
    assert chat.choice_ids[0] == "s:exit_reentry_visa"


@pytest.mark.parametrize(
    ("typed", "service"),
    [
        ("ابي اعدل مهنة عامل عندي", "s:profession_change"),
        ("ابي اغير مهنة العامل", "s:profession_change"),
    ],
)
async def test_an_employers_need_files_as_an_establishment(
    chat: Chat, typed: str, service: str
) -> None:
    await chat.command("start")
    await chat.text(typed)
    assert "تقدّمها المنشأة لعامليها" in chat.said
    assert chat.choice_ids[0] == service
    await chat.tap(service)
    while any(c.startswith("q:") for c in chat.choice_ids):
        await chat.tap(chat.choice_ids[0])
    assert "الرقم الموحد للمنشأة" in chat.said


async def test_an_employers_need_after_individual_can_go_back_to_who_files(chat: Chat) -> None:
    # session 20's probe: «فرد» then «ابي اسوي نقل كفالة» was switched silently, the way
    # out «إلغاء» (the draft dropped), and a worker was not told they cannot file it
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اعدل مهنة عامل عندي")
    said = chat.said
    assert "ولا يقدّمها العامل بنفسه" in said and "«رجوع»" in said, said
    assert "«إلغاء»" not in said.split("\n")[0], said
    await chat.tap("back")  # who files, asked again
    assert "هل يُقدَّم الطلب بصفة فرد" in chat.said and "ind" in chat.choice_ids, chat.said
    # «فرد» again and the same words: not switched again (helper 21: a loop), said why
    await chat.tap("ind")
    await chat.text("ابي اعدل مهنة عامل عندي")
    said = chat.said
    assert "لا يمكن تقديمها بصفة فرد" in said and "g:passports" in chat.choice_ids, said


# ---- after filing, in English, in Arabizi ----------------------------------------------


async def test_no_back_to_the_request_when_nothing_was_filled(
    chat: Chat, gateway: MemoryGateway
) -> None:
    gateway.views[MINE] = (_view(MINE, "under_review"), ("test", "u1"), RESIDENT)
    await chat.command("start")
    await chat.text("وش صار على طلبي")  # their only request: its status at once
    assert "قيد الدراسة" in chat.said
    assert "نعود إلى الطلب" not in chat.said


async def test_in_english_after_filing_a_new_need_starts_a_new_request(chat: Chat) -> None:
    await chat.text("English")
    await _to_summary_en(chat)
    await chat.tap("confirm")
    await chat.text("I need an exit and re-entry visa for my wife")
    assert chat.choice_ids[0] == "s:exit_reentry_visa"


async def _to_summary_en(chat: Chat) -> None:
    await chat.tap("ind")
    await chat.text("I want to renew my iqama")
    await chat.tap("s:iqama_renew")
    await chat.text("inside")
    await chat.text(RESIDENT)
    await chat.contact(PHONE)
    await chat.text("My iqama expired and Absher shows an error when I pay the fee")
    await chat.media(ref="p1")
    await chat.text("done")
    assert "Please check your request" in chat.said


async def test_in_english_an_employers_need_files_as_an_establishment(chat: Chat) -> None:
    await chat.text("English")
    await chat.text("I want to change my worker's profession")
    assert "Only an establishment can file this" in chat.said
    assert chat.choice_ids[0] == "s:profession_change"


@pytest.mark.parametrize(
    ("typed", "service"),
    [
        ("abi ajadid el iqama", "s:iqama_renew"),
        ("3ayez ta2sheret khorog we 3awda", "s:exit_reentry_visa"),
        ("bdi jadded el jawaz", "s:passport_renew"),
    ],
)
async def test_arabizi_reaches_the_service(chat: Chat, typed: str, service: str) -> None:
    await chat.command("start")
    await chat.text(typed)
    assert chat.choice_ids[0] == service


async def test_after_restart_the_undo_and_the_first_menu_are_numbered_as_one_list(
    chat: Chat,
) -> None:
    """The tester's «من البداية» → «ايه» showed «1) تراجع» and then «1) فرد»: typing 1
    chose «فرد». One list, so one numbering; «تراجع» comes after the menu's own options,
    which keep their numbers (tester 14, §11: with «1) تراجع» first, a «1» meant for «فرد»
    brought the deleted draft back)."""
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.text("من البداية")
    await chat.text("ايه")
    assert chat.choice_ids == ["ind", "est", "status", "faq", "undo", "help", "cancel"]
    await chat.text("5")
    assert "استرجعنا طلبك" in chat.said
    assert chat.last[-1].ask_contact  # back at the phone step


@pytest.mark.parametrize("typed", ["ابي انقل كفالتي", "ابي انقل خدماتي لكفيل جديد"])
async def test_a_resident_transfers_their_own_services(chat: Chat, typed: str) -> None:
    """Seed 001: «يستطيع المقيم استخدامها لنقل الخدمات الخاصة به». Session 23 found «ابي
    انقل كفالتي» told that a worker cannot file it and switched to an establishment."""
    await chat.command("start")
    await chat.text(typed)
    assert "تقدّمها المنشأة لعامليها" not in chat.said, chat.said
    assert chat.choice_ids[0] == "s:transfer_of_services"
    await chat.tap("s:transfer_of_services")
    assert "رقم إقامة" in chat.last[-1].text and "الرقم الموحد للمنشأة" not in chat.said
