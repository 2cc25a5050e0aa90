"""A wish to withdraw or correct a request already sent is understood: the person is told
plainly that a sent request cannot be withdrawn or changed here, and a note to it is
offered (their words kept in it, sent only when they send it); «إلغاء» never says «لم
يُرسَل أي طلب» to someone whose request is open. On real parts: two workers on the shared
Redis dialogue store, the requests in SQL (SQLite and PostgreSQL). Found by tester 13
(§1, WhatsApp): «ابي الغي طلبي اللي قدمته، خلاص جددتها من ابشر» met the services menu,
and «الغاء الطلب» then answered «تم الإلغاء، ولم يُرسَل أي طلب» though the request was open."""

from __future__ import annotations

from bot.db.requests_repo import SqlRequestGateway
from bot.staff.desk import StaffDesk
from conversations.events import Command
from domain.normalize import clean_input
from tests.integration.test_db_requests import submission
from tests.integration.test_their_say import USER, Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person

NOTHING_SENT = "لم يُرسَل أي طلب"


def _text(said: list[object]) -> str:
    return "\n".join(getattr(r, "text", "") for r in said)


async def test_a_wish_to_withdraw_offers_a_note_and_cancel_never_says_nothing_was_sent(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    filed = await filing.submit(submission(user_key=USER))
    await person.send(Command(person.origin(), "start", ""))
    said = await person.says("ابي الغي طلبي اللي قدمته، خلاص جددتها من ابشر", worker=1)
    text = _text(said)
    assert "أيّ هذه الخدمات" not in text
    assert filed.number in text and "لا يمكن سحب" in text
    # the note is offered with the person's words in it, not sent yet
    assert "جددتها من ابشر" in text and "لم تُرسل بعد" in text
    said = await person.says("الغاء الطلب", worker=0)
    text = _text(said)
    assert NOTHING_SENT not in text
    assert filed.number in text
    record = await desk.find(filed.number)
    assert record is not None and not any(e.kind == "note" for e in record.events)
    # «الغاء الطلب» again at the menu, the request still open: never «nothing was sent»
    said = await person.says("الغاء الطلب", worker=1)
    text = _text(said)
    assert NOTHING_SENT not in text and filed.number in text


async def test_the_note_offered_for_a_withdrawal_is_sent_on_send(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    filed = await filing.submit(submission(user_key=USER))
    await person.send(Command(person.origin(), "start", ""))
    await person.says("ابي الغي طلبي اللي قدمته، خلاص جددتها من ابشر", worker=0)
    said = await person.says("ارسال", worker=1)
    assert filed.number in _text(said)
    record = await desk.find(filed.number)
    assert record is not None
    notes = [e for e in record.events if e.kind == "note"]
    assert notes and "جددتها من ابشر" in str(notes[-1].reason)


async def test_a_mistake_in_a_sent_request_offers_a_note(
    person: Person, filing: SqlRequestGateway
) -> None:
    filed = await filing.submit(submission(user_key=USER))
    await person.send(Command(person.origin(), "start", ""))
    said = await person.says("غلطت في رقم الاقامة في الطلب اللي ارسلته ابي اعدله", worker=1)
    text = _text(said)
    assert filed.number in text and "لا يمكن تعديل" in text
    assert "ملاحظة" in text


async def test_cancel_of_a_new_draft_says_the_sent_request_stays(
    person: Person, filing: SqlRequestGateway
) -> None:
    filed = await filing.submit(submission(user_key=USER))
    await person.send(Command(person.origin(), "start", ""))
    await person.says("1", worker=0)  # as an individual
    said = await person.says("ابي اجدد الاقامة", worker=1)
    assert "هل هذه هي الخدمة" in said[-1].text
    said = await person.says("الغاء الطلب", worker=0)
    text = _text(said)
    assert NOTHING_SENT not in text
    assert filed.number in text and "لم يُرسَل الطلب الذي بدأت تعبئته" in text


async def test_a_new_need_that_names_a_previous_document_is_not_a_change_to_the_open_request(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    # review 13 §1: «السابق»/«المرسل» qualified the passport, not the open iqama request;
    # the need was lost and a note to the unrelated request opened with these words
    filed = await filing.submit(submission(user_key=USER))
    for worker, words in enumerate(
        (
            "ابي طلب تعديل لان اسمي في الجواز السابق فيه غلط",
            "ابي اسوي طلب تصحيح اسمي في الجواز، الجواز المرسل لي فيه غلط",
        )
    ):
        await person.send(Command(person.origin(), "start", ""))
        text = _text(await person.says(words, worker=worker))
        assert "لا يمكن تعديل" not in text and filed.number not in text
        assert "هل هذه هي الخدمة المطلوبة" in text  # the need, offered
    record = await desk.find(filed.number)
    assert record is not None and not any(e.kind == "note" for e in record.events)


async def test_not_wanting_to_cancel_is_no_wish_to_withdraw(
    person: Person, filing: SqlRequestGateway
) -> None:
    # review 13 §2: «ما ابي الغي طلبي» opened a "withdrawal" note instead of the status asked
    filed = await filing.submit(submission(user_key=USER))
    await person.send(Command(person.origin(), "start", ""))
    text = _text(await person.says("ما ابي الغي طلبي بس ابي اعرف متى يخلص", worker=1))
    assert "لا يمكن سحب" not in text
    assert "الحالة" in text and filed.number in text


async def test_a_question_about_withdrawing_is_answered_and_opens_no_note(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    """Review 13 §2: «كيف الغي طلبي؟» opened a note with the question as its words («ملاحظتك:
    «كيف الغي طلبي؟»… لم تُرسل بعد»). A question is answered (a sent request cannot be
    withdrawn here; a note can say it is no longer needed), with the way to that note, and
    nothing opened: the next message is read as ever. «ابي الغي طلبي» stays a wish."""
    filed = await filing.submit(submission(user_key=USER))
    for worker, question in enumerate(("كيف الغي طلبي؟", "هل يمكن الغاء الطلب؟")):
        await person.send(Command(person.origin(), "start", ""))
        said = await person.says(question, worker=worker)
        text = _text(said)
        assert "لا يمكن سحب" in text, text
        assert "ملاحظتك" not in text and "لم تُرسل بعد" not in text, text
        assert f"note:{filed.number}" in [c.id for c in said[-1].choices]
        # nothing was opened: «ارسال» next sends no note (desk checked below)
        text = _text(await person.says("ارسال", worker=1 - worker))
        assert "ملاحظتك" not in text, text
    # the button opens the note, empty
    said = await person.taps(f"note:{filed.number}", worker=0)
    assert "يُرجى كتابة ملاحظتك" in _text(said) and "ملاحظتك: «" not in _text(said)
    record = await desk.find(filed.number)
    assert record is not None and not any(e.kind == "note" for e in record.events)
    # the wish itself still opens the note with its words
    await person.send(Command(person.origin(), "start", ""))
    text = _text(await person.says("ابي الغي طلبي", worker=1))
    assert "لا يمكن سحب" in text and "لم تُرسل بعد" in text


async def test_cancelling_a_draft_with_data_says_the_sent_request_stays(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    """«إلغاء» of a new draft holding an identity number, by a person whose request sent
    earlier is open: «يؤدي ذلك إلى حذف الطلب الذي بدأت تعبئته…» and «حُذف الطلب» said nothing of the sent
    one, which the person may think is the one deleted (tester 13 §1 meant to cancel it)."""
    filed = await filing.submit(submission(user_key=USER))
    await person.send(Command(person.origin(), "start", ""))
    await person.says("1", worker=0)  # as an individual
    await person.says("ابي اجدد الاقامة", worker=1)
    said = await person.taps("s:iqama_renew", worker=0)
    while any(c.id.startswith("q:") for c in said[-1].choices):
        said = await person.taps(said[-1].choices[0].id, worker=1)
    said = await person.says("2000000006", worker=0)  # the draft now holds data
    assert "رقم الهوية" in _text(said) or "جوال" in _text(said), _text(said)
    said = await person.says("إلغاء", worker=1)
    text = clean_input(_text(said))
    assert "يؤدي ذلك إلى حذف الطلب الذي بدأت تعبئته" in text, text
    assert f"أما طلبك {filed.number} المرسَل سابقًا فلا يتأثر بهذا" in text, text
    said = await person.taps("discard", worker=0)
    text = clean_input(_text(said))
    assert "حُذف الطلب" in text and filed.number in text and "يبقى لدى الموظفين" in text, text
    record = await desk.find(filed.number)
    assert record is not None and record.status.value not in ("accepted", "rejected")


async def test_withdrawal_in_everyday_words_gets_the_same_answer(
    person: Person, filing: SqlRequestGateway
) -> None:
    """Tester 14, §9 (WhatsApp): «…الغوه» met the services menu, «ابي اسحب المعاملة» the
    bare first menu, with a request open."""
    filed = await filing.submit(submission(user_key=USER))
    await person.send(Command(person.origin(), "start", ""))
    said = await person.says("خلاص ما عاد احتاجه جددتها من ابشر، الغوه", worker=1)
    text = _text(said)
    assert "أيّ هذه الخدمات" not in text
    assert filed.number in text and "لا يمكن سحب" in text
    await person.says("الغاء", worker=0)
    said = await person.says("ابي اسحب المعاملة", worker=0)
    text = _text(said)
    assert filed.number in text and "لا يمكن سحب" in text


async def test_cancel_at_the_note_picker_says_nothing_was_added(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    """Fresh-clone tester 14 (§10): with two requests open, «ابي الغي طلبي اللي قدمته» asked
    «ما الطلب الذي تخصّه ملاحظتك؟» offering «طلب جديد» but no «إلغاء», and «إلغاء» there
    showed the first menu without a word. Two workers, one Redis, SQL."""
    first = await filing.submit(submission("draft-1", user_key=USER))
    second = await filing.submit(submission("draft-2", user_key=USER, identity_number="2123456788"))
    await person.send(Command(person.origin(), "start", ""))
    await person.says("إلغاء", worker=0)  # the tester's order: a cancel came first
    said = await person.says("ابي الغي طلبي اللي قدمته", worker=1)
    assert "ما الطلب الذي تخصّه ملاحظتك" in _text(said)
    assert "cancel" in [o.id for o in said[-1].choices]
    said = await person.says("إلغاء", worker=0)
    text = clean_input(_text(said))
    assert "لم يُضف شيء إلى طلباتك" in text, text
    assert "فرد" in [o.label for o in said[-1].choices]  # the first menu, to go on
    for filed in (first, second):
        record = await desk.find(filed.number)
        assert record is not None and not any(e.kind == "note" for e in record.events)
    # the words that asked for the note went with it: «1» is the menu's «فرد» again
    said = await person.says("1", worker=1)
    assert "ملاحظ" not in _text(said)
