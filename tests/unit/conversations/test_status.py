""" "What is my status?" from any step, answered only to the request's owner."""

from __future__ import annotations

import datetime as dt

import pytest

from conversations.events import Command
from conversations.ports import StatusView

from .fakes import Chat, MemoryGateway, MemoryLimiter
from .status_views import FILED as FILED
from .status_views import MINE as MINE
from .status_views import THEIRS as THEIRS
from .status_views import _chat as _chat
from .status_views import _view as _view
from .status_views import plain as plain
from .test_intake import RESIDENT, _to_identity


@pytest.fixture
def gateway() -> MemoryGateway:
    gateway = MemoryGateway()
    gateway.views[MINE] = (_view(MINE, "under_review"), ("test", "u1"), RESIDENT)
    gateway.views[THEIRS] = (
        _view(THEIRS, "rejected", reason="المستندات غير مكتملة"),
        ("test", "someone-else"),
        "1000000008",
    )
    return gateway


@pytest.fixture
def limiter() -> MemoryLimiter:
    return MemoryLimiter()


@pytest.fixture
def chat(gateway: MemoryGateway, limiter: MemoryLimiter) -> Chat:
    return _chat(gateway, limiter, FILED + dt.timedelta(days=1))


async def test_owner_asks_in_their_own_words_mid_request_and_loses_nothing(chat: Chat) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)  # a new request, now at the phone step
    await chat.text("وش صار على طلبي؟")
    # their only request: its status at once, not a list of one to choose from
    assert not any(c.startswith("r:") for c in chat.choice_ids)
    assert "قيد الدراسة" in plain(chat.said) and "تجديد هوية مقيم" in plain(chat.said)
    assert "موعد الرد" in plain(chat.said) and "هـ" in plain(chat.said)  # Hijri too
    assert "نعود إلى الطلب" in plain(chat.said)
    assert chat.last[-1].ask_contact  # back on the phone step of the new request


async def test_a_number_in_any_digits_is_enough_for_the_owner(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("٥٠٣٨ ٣٢٩ ٦٥١")
    assert "الطلب رقم 5038329651" in plain(chat.said) and "قيد الدراسة" in plain(chat.said)


async def test_mistyped_number_is_called_mistyped(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("5038329652")
    assert "في رقم الطلب خطأ" in plain(chat.said)


async def _their_number_asked(chat: Chat) -> None:
    """«My request status», «another request», someone else's request number typed."""
    await chat.tap("status")
    await chat.tap("another")
    await chat.text(THEIRS)


async def test_someone_elses_request_needs_its_identity_number(chat: Chat) -> None:
    await _their_number_asked(chat)
    assert "لم يُقدَّم هذا الطلب من هذه المحادثة" in plain(chat.said)
    assert "مرفوض" not in plain(chat.said)
    await chat.text("1000000008")
    # the status, not the officer's reason: that is the applicant's, in the chat that
    # filed it (found by the review of session 10: the reason was shown here)
    assert "مرفوض" in plain(chat.said) and "المستندات غير مكتملة" not in plain(chat.said)
    assert "يظهر السبب في المحادثة التي قُدّم منها الطلب فقط" in plain(chat.said)


async def test_a_mistyped_identity_number_is_called_mistyped_and_can_be_corrected(
    chat: Chat,
) -> None:
    await _their_number_asked(chat)
    await chat.text("١٠٠٠ ٠٠٠ ٠٠٩")  # ten digits, the last one wrong
    # as the request form says it, not «does not look like an identity number (10 digits)»
    assert "الرقم الأخير لا يتوافق" in plain(chat.said)
    assert "١٠ أرقام" not in chat.said and "10 أرقام" not in plain(chat.said)
    await chat.text("100000000")
    assert "كتبت 9 أرقام" in plain(chat.said)
    await chat.text("رقم هويتي 1000000008")
    assert "مرفوض" in plain(chat.said)


async def test_back_from_the_identity_question_returns_to_where_the_person_was(
    chat: Chat,
) -> None:
    """«رجوع» out of a look-up: to the first menu, or to the draft put aside, said so."""
    await chat.command("start")
    await chat.text(f"وش صار على طلبي {THEIRS}")
    assert "لم يُقدَّم هذا الطلب من هذه المحادثة" in plain(chat.said)
    await chat.text("رجوع")  # it said «هذه هي الخطوة الأولى» and stayed
    assert "الخطوة الأولى" not in chat.said
    assert chat.choice_ids[:2] == ["ind", "est"]
    # with a request half filled in, back there
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.text(f"وش صار على طلبي {THEIRS}")
    await chat.text("رجوع")
    assert chat.last[-1].ask_contact  # the phone step of the draft, nothing lost
    # said to be the draft coming back (tester 13, §18: the bare question came)
    assert plain(chat.said).startswith("والآن نعود إلى الطلب الذي بدأت تعبئته:"), chat.said
    await chat.contact("+966501234567")
    assert "يُرجى وصف طلبك" in chat.said


async def test_unknown_number_and_wrong_identity_get_the_same_answer(chat: Chat) -> None:
    await _their_number_asked(chat)
    await chat.text(RESIDENT)  # valid, but not the one it was filed with
    wrong_identity = plain(chat.said)
    await chat.command("status")
    await chat.tap("another")
    await chat.text("5000000009")  # a well-formed number nobody filed
    await chat.text("1000000008")
    assert plain(chat.said) == wrong_identity


async def test_failures_are_limited(chat: Chat, limiter: MemoryLimiter) -> None:
    await _their_number_asked(chat)
    for _ in range(4):
        await chat.text(RESIDENT)
        assert "لم نجد طلبًا" in plain(chat.said)
    await chat.text(RESIDENT)
    assert "أُوقف الاستعلام مؤقتًا" in plain(chat.said)
    # the number is refused before its identity can even be asked, so the right
    # identity number cannot get through either
    await chat.command("status")
    await chat.tap("another")
    await chat.text(THEIRS)
    assert "أُوقف الاستعلام مؤقتًا" in plain(chat.said)
    await chat.text("1000000008")
    assert "مرفوض" not in plain(chat.said)


async def test_overdue_request_gets_an_apology_and_the_branch_route(
    gateway: MemoryGateway, limiter: MemoryLimiter
) -> None:
    chat = _chat(gateway, limiter, dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC))
    await chat.command("start")
    await chat.text(MINE)
    assert "نعتذر منك" in plain(chat.said) and "أبشر" in plain(chat.said)


async def test_needs_info_shows_the_question_and_the_answer_button(
    gateway: MemoryGateway, limiter: MemoryLimiter
) -> None:
    gateway.views[MINE] = (
        _view(MINE, "needs_info", question="أرفق صورة الجواز"), ("test", "u1"), RESIDENT,
    )  # fmt: skip
    chat = _chat(gateway, limiter, FILED)
    await chat.command("status")  # their only request: its status at once
    assert "أرفق صورة الجواز" in plain(chat.said)
    assert f"ans:{MINE}" in chat.choice_ids


async def test_a_number_inside_a_sentence_is_enough(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("طلبي رقمه ٥٠٣٨-٣٢٩-٦٥١ لو سمحت")
    assert "الطلب رقم 5038329651" in plain(chat.said) and "قيد الدراسة" in plain(chat.said)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        (f"رقم طلبي {THEIRS} لو سمحت", "لم يُقدَّم هذا الطلب من هذه المحادثة"),
        ("رقم الطلب ٦٤١٨٤٠٧٠٤٢", "لم يُقدَّم هذا الطلب من هذه المحادثة"),
        ("رقم طلبي 6418407043", "في رقم الطلب خطأ"),
    ],
)
async def test_a_number_inside_a_sentence_at_the_number_prompt(
    chat: Chat, typed: str, said: str
) -> None:
    # helper 21: «رقم طلبي 6443424277 لو سمحت» at «يُرجى كتابة رقم الطلب» got «رقم الطلب
    # يتكون من ١٠ أرقام», which it does
    await chat.tap("status")
    await chat.tap("another")
    await chat.text(typed)
    assert said in plain(chat.said) and "يتكون من ١٠ أرقام" not in chat.said, chat.said


async def test_status_words_at_the_identity_step_open_status_but_numbers_do_not(
    chat: Chat,
) -> None:
    await _to_identity(chat)
    await chat.text("وين وصل طلبي")
    assert "قيد الدراسة" in plain(chat.said)  # their only request, at once
    await chat.text(RESIDENT)  # back at the identity step: a number is the identity number
    assert chat.last[-1].ask_contact


async def test_each_number_that_is_not_theirs_is_an_attempt_and_their_own_is_not(
    chat: Chat,
) -> None:
    for typed in ("5000000009", "6418407042", "5000000017", "5000000025", "5000000033"):
        await chat.send(Command(chat.origin(), "status", typed))
        assert "لم يُقدَّم هذا الطلب من هذه المحادثة" in plain(chat.said)
    await chat.send(Command(chat.origin(), "status", "5000000041"))
    assert "أُوقف الاستعلام مؤقتًا" in plain(chat.said)
    # the owner's own request is never refused
    await chat.send(Command(chat.origin(), "status", MINE))
    assert "الطلب رقم 5038329651" in plain(chat.said)


async def test_the_right_identity_number_gives_its_attempt_back(
    chat: Chat, limiter: MemoryLimiter
) -> None:
    for _ in range(MemoryLimiter.max_failures + 2):
        await chat.send(Command(chat.origin(), "status", THEIRS))
        await chat.text("1000000008")
        assert "مرفوض" in plain(chat.said)
    assert not any(limiter.failures.values())


async def test_the_request_number_typed_again_after_a_miss_is_looked_up_again(
    chat: Chat,
) -> None:
    # «check both numbers» after a miss: the person retypes the request number, which was
    # read as a wrong identity number (found by the fresh-clone tester)
    await _their_number_asked(chat)
    await chat.text("2000000006")  # a valid iqama, not the one it was filed with
    assert "لم نجد طلبًا" in plain(chat.said)
    await chat.text(THEIRS)
    assert "لم يُقدَّم هذا الطلب من هذه المحادثة" in plain(chat.said)
    assert "الرقم الأول غير صحيح" not in plain(chat.said)
    await chat.text("1000000008")
    assert "مرفوض" in plain(chat.said)


@pytest.mark.parametrize("words", ["وين طلبي", "حالة الطلب", "وش صار على طلبي؟"])
async def test_status_words_at_the_list_or_the_number_prompt_show_the_list_again(
    gateway: MemoryGateway, limiter: MemoryLimiter, words: str
) -> None:
    # found by the fresh-clone tester: at «your requests» these were answered with a
    # question topic («مدة معالجة طلبات تواصل») or read as «another request number»
    gateway.views[THEIRS] = (gateway.views[THEIRS][0], ("test", "u1"), RESIDENT)
    chat = _chat(gateway, limiter, FILED + dt.timedelta(days=1))
    await _to_identity(chat)
    await chat.text(RESIDENT)  # a draft at the phone step
    await chat.text("وين طلبي")
    assert chat.choice_ids[:2] == [f"r:{MINE}", f"r:{THEIRS}"]
    await chat.text(words)
    assert chat.choice_ids[:3] == [f"r:{MINE}", f"r:{THEIRS}", "other"]
    assert "طلباتك" in plain(chat.said) and "kb:" not in " ".join(chat.choice_ids)
    await chat.tap("other")
    await chat.text(words)
    assert chat.choice_ids[:2] == [f"r:{MINE}", f"r:{THEIRS}"]
    await chat.tap(f"r:{MINE}")
    assert "قيد الدراسة" in plain(chat.said) and "نعود إلى الطلب" in plain(chat.said)
    assert chat.last[-1].ask_contact  # the draft, still at the phone step


async def test_back_from_a_look_up_names_a_service_list_as_what_it_is(chat: Chat) -> None:
    # found by the fresh-clone tester: «نعود إلى الطلب الذي بدأت تعبئته» after a status
    # look-up when only a service list had been offered, no request begun
    await chat.command("start")
    await chat.text("ابي اجدد الجواز")
    assert chat.choice_ids[0] == "s:passport_renew"
    await chat.text("وين طلبي")  # their only request: its status at once
    assert "قيد الدراسة" in plain(chat.said)
    assert "نعود إلى الطلب" not in plain(chat.said)
    assert "نعود إلى اختيار الخدمة" in plain(chat.said)
    assert chat.choice_ids[0] == "s:passport_renew"  # the same list, nothing lost
    await chat.tap("another")  # the look-up's number prompt, left by «إلغاء»
    await chat.text("إلغاء")
    assert "نعود إلى الطلب" not in plain(chat.said) and "نعود إلى اختيار الخدمة" in plain(chat.said)
    assert "تم الإلغاء" not in plain(chat.said)  # a look-up left: nothing was cancelled
    assert chat.choice_ids[0] == "s:passport_renew"


async def test_back_from_a_look_up_to_a_draft_with_data_still_says_the_request(
    chat: Chat,
) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.text("وين طلبي")  # their only request's status, then the draft
    assert "نعود إلى الطلب الذي بدأت تعبئته" in plain(chat.said)
    await chat.tap("another")  # the look-up's number prompt, left by «إلغاء»
    await chat.text("إلغاء")
    assert "نعود إلى الطلب الذي بدأت تعبئته" in plain(chat.said)
    assert chat.last[-1].ask_contact


async def test_one_request_is_answered_at_once_and_another_number_can_still_be_asked(
    chat: Chat,
) -> None:
    # found by the fresh-clone tester: «وين طلبي» with one request showed a list of one
    await chat.command("start")
    await chat.text("وين طلبي")
    said = plain(chat.said)
    assert "الطلب رقم 5038329651" in said and "قيد الدراسة" in said
    assert "طلباتك" not in said and not any(c.startswith("r:") for c in chat.choice_ids)
    assert chat.choice_ids[-1] == "another"
    await chat.tap("another")
    assert "كتابة رقم الطلب" in plain(chat.said)
    await chat.text(THEIRS)
    assert "لم يُقدَّم هذا الطلب من هذه المحادثة" in plain(chat.said)


async def test_two_requests_or_more_are_listed_to_choose_from(
    gateway: MemoryGateway, limiter: MemoryLimiter
) -> None:
    gateway.views[THEIRS] = (gateway.views[THEIRS][0], ("test", "u1"), RESIDENT)
    chat = _chat(gateway, limiter, FILED + dt.timedelta(days=1))
    await chat.command("start")
    await chat.text("وين طلبي")
    assert "طلباتك" in plain(chat.said) and "قيد الدراسة" not in plain(chat.said)
    assert chat.choice_ids[:3] == [f"r:{MINE}", f"r:{THEIRS}", "other"]


async def test_leaving_a_status_question_with_no_draft_goes_back_to_the_main_menu(
    limiter: MemoryLimiter,
) -> None:
    # found by the fresh-clone tester: «تم الإلغاء، ولم يُرسَل أي طلب.» after leaving the
    # status question, where no request was being written
    chat = _chat(MemoryGateway(), limiter, FILED)  # someone with no request of their own
    await chat.command("start")
    await chat.tap("status")
    assert "رقم الطلب" in plain(chat.said)  # asked for the number
    await chat.text("إلغاء")
    said = plain(chat.said)
    assert "تم الإلغاء" not in said and "لم يُرسَل" not in said, said
    assert said.startswith("حسنًا، نعود إلى القائمة الرئيسية")
    assert chat.choice_ids[:4] == ["ind", "est", "status", "faq"]  # the first question again


async def test_an_identity_number_after_the_lock_out_is_told_the_pause(
    chat: Chat, limiter: MemoryLimiter
) -> None:
    """After «أُوقف الاستعلام مؤقتًا» the tester typed an identity number again and was
    taken into a new request («احتفظتُ برقم الهوية … ما الخدمة المطلوبة؟»). A person
    who was checking a status is told the look-up is still paused, with the time left,
    and stays at the look-up, whose «إلغاء» leads to the menu (tester 13, §10: the look-up
    no longer ends with the refusal, so an identity number typed once the chat's pause is
    over is still this look-up's: test_status_same_number)."""
    await _their_number_asked(chat)
    for _ in range(5):
        await chat.text(RESIDENT)
    assert "أُوقف الاستعلام مؤقتًا" in plain(chat.said)
    await chat.text(RESIDENT)
    said = plain(chat.said)
    assert "أُوقف الاستعلام مؤقتًا" in said and "بعد" in said
    assert "احتفظتُ برقم الهوية" not in said and "ما الخدمة المطلوبة" not in said
    assert "cancel" in chat.choice_ids  # the way out of the look-up
    await chat.tap("cancel")
    assert {"ind", "est", "status"} <= set(chat.choice_ids)  # the menu


async def test_someone_else_is_not_told_the_request_waits_for_them_nor_its_question(
    gateway: MemoryGateway, limiter: MemoryLimiter
) -> None:
    """Found by the fresh-clone tester: a look-up from a chat that did not file the request
    read «بانتظار معلومات إضافية منك» («from you»), in the status and the history, with the
    officer's question to the applicant quoted. They read that it waits for the applicant,
    where it is answered, and not the question (it may name the applicant's documents or
    family)."""
    gateway.views[THEIRS] = (
        StatusView(
            number=THEIRS, service_id="iqama_renew", status="needs_info", submitted_at=FILED,
            due_date=dt.date(2026, 12, 1), question="أرفق صورة جواز زوجتك فاطمة",
            history=((FILED, "received"), (FILED, "needs_info")),
        ),
        ("test", "someone-else"),
        "1000000008",
    )  # fmt: skip
    chat = _chat(gateway, limiter, FILED)
    await _their_number_asked(chat)
    await chat.text("1000000008")
    said = plain(chat.said)
    assert f"الطلب رقم {THEIRS}" in said
    assert "الحالة: بانتظار معلومات إضافية من مقدّم الطلب" in said
    assert "منك" not in said
    assert "فاطمة" not in said and "سؤال الموظف:" not in said
    assert "يُجاب عن سؤال الموظف من المحادثة التي قُدّم منها الطلب" in said
    assert f"ans:{THEIRS}" not in chat.choice_ids


@pytest.mark.parametrize("typed", ["نسيت رقم الطلب", "ضاع رقم طلبي", "I forgot my request number"])
async def test_a_forgotten_request_number_at_the_first_question_is_the_look_ups(
    chat: Chat, typed: str
) -> None:
    # helper 21: «نسيت رقم الطلب» got «يُرجى اختيار واحد من ٤ خيارات»; this chat has its
    # own requests, listed (they need no number)
    await chat.command("start")
    await chat.text(typed)
    said = plain(chat.said)
    assert "يُرجى اختيار واحد" not in said and "Please choose one" not in said, said
    assert chat.choice_ids[0] == "r:5038329651", (said, chat.choice_ids)
