"""``/rate``, ``/reconsider`` and ``/note`` typed as commands, on two workers sharing Redis
and the database (SQLite and PostgreSQL), as the terminal shows a notice's buttons and as
people type them on Telegram and WhatsApp. Found by the fresh-clone tester: ``/rate N ٥``
and ``/rate N 9`` got «هذا الزر لا يخص هذه الخطوة» (fault 2); ``/reconsider N`` on a request
under review got «هذا الأمر غير معروف», and the explanation typed next was filed as an
establishment's «نقل الخدمات» (fault 3)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.requests_repo import SqlRequestGateway
from bot.staff.desk import StaffDesk
from conversations.events import Command, Media, Reply
from domain.normalize import clean_input
from tests.integration.test_db_requests import submission
from tests.integration.test_their_say import OFFICER, Person, _request, clock, desk, filing, person

__all__ = ["clock", "desk", "filing", "person"]

BUTTON = "هذا الزر"
UNKNOWN = "هذا الأمر غير معروف"


def _said(replies: list[Reply]) -> str:
    return clean_input("\n".join(r.text for r in replies))


async def _command(person: Person, name: str, args: str, worker: int = 0) -> str:
    return _said(await person.send(Command(person.origin(), name, args), worker))


async def test_a_rating_in_arabic_digits_is_taken_and_one_out_of_range_asked_again(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    filed = await filing.submit(submission(user_key="5551001"))
    await desk.accept(filed.number, OFFICER)
    said = await _command(person, "rate", f"{filed.number} 9")
    assert "التقييم من 1 إلى 5" in said and BUTTON not in said, said
    replies = await person.send(Command(person.origin(), "rate", f"{filed.number} 0"), 1)
    assert "التقييم من 1 إلى 5" in _said(replies)
    # the question kept: its five answers, numbered as they rate
    ids = [c.id for c in replies[-1].choices]
    assert ids[:5] == [f"rate:{filed.number}:{r}" for r in (1, 2, 3, 4, 5)]
    assert (await _request(db_sessionmaker, filed.number)).satisfaction is None
    said = await _command(person, "rate", f"{filed.number} ٥")
    assert BUTTON not in said and "شكرًا لتقييمك" in said, said
    assert (await _request(db_sessionmaker, filed.number)).satisfaction == 5


async def test_a_typed_digit_answers_the_rating_question_asked_again(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    filed = await filing.submit(submission(user_key="5551001"))
    await desk.reject(filed.number, OFFICER, "المستندات ناقصة")
    await _command(person, "rate", f"{filed.number} عشرة")
    said = _said(await person.says("٢", worker=1))
    assert "شكرًا لتقييمك" in said, said
    assert (await _request(db_sessionmaker, filed.number)).satisfaction == 2


async def test_a_rating_of_a_number_not_theirs_or_mistyped_discloses_nothing(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    theirs = await filing.submit(submission(key="other", user_key="999"))
    await desk.accept(theirs.number, OFFICER)
    said = await _command(person, "rate", f"{theirs.number} 9")
    assert "لم نجد الطلب" in said and "مقبول" not in said and "التقييم من" not in said, said
    said = await _command(person, "rate", "1234567890 5", worker=1)
    assert "في رقم الطلب خطأ" in said and BUTTON not in said, said


async def test_reconsider_on_a_request_under_review_says_so_and_keeps_the_words_as_a_note(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    filed = await filing.submit(submission(user_key="5551001"))
    await desk.take(filed.number, OFFICER)
    said = await _command(person, "reconsider", filed.number)
    assert UNKNOWN not in said, said
    assert "لا يمكن طلب إعادة النظر إلا في طلب مرفوض" in said and "قيد الدراسة" in said
    assert filed.number in said
    # the explanation typed next is not a new request (the tester's was an establishment's)
    said = _said(await person.says("العقد انتهى وعندي ورقة من الكفيل", worker=1))
    assert "منشأة" not in said and "نقل الخدمات" not in said, said
    said = _said(await person.says("ارسال"))
    assert "أُضيفت ملاحظتك" in said, said
    record = await desk.find(filed.number)
    assert record is not None
    assert [e.reason for e in record.events if e.kind == "note"] == [
        "العقد انتهى وعندي ورقة من الكفيل"
    ]


async def test_reconsider_without_a_number_with_a_wrong_one_or_someone_elses(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    await filing.submit(submission(user_key="5551001"))
    theirs = await filing.submit(submission(key="other", user_key="999"))
    await desk.reject(theirs.number, OFFICER, "المستندات ناقصة")
    said = await _command(person, "reconsider", "")
    assert "لم يُرفض أيٌّ من طلباتك" in said and UNKNOWN not in said, said
    said = await _command(person, "reconsider", "1234567890", worker=1)
    assert "في رقم الطلب خطأ" in said, said
    said = await _command(person, "reconsider", theirs.number)
    assert "لم نجد الطلب" in said, said
    assert "مرفوض" not in said and "المستندات ناقصة" not in said  # nothing of theirs


async def test_reconsider_on_a_rejected_request_asks_the_reason(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    filed = await filing.submit(submission(user_key="5551001"))
    await desk.reject(filed.number, OFFICER, "المستندات ناقصة")
    said = await _command(person, "reconsider", "".join("٠١٢٣٤٥٦٧٨٩"[int(d)] for d in filed.number))
    assert "ما سبب طلب إعادة النظر" in said, said
    said = _said(await person.says("أرفقت التأمين الطبي في الصفحة الثانية", worker=1))
    assert "أُرسل طلب إعادة النظر" in said


async def test_send_typed_after_a_reconsideration_and_a_photo_is_acknowledged(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    """Fault 6 of the same tester: after the reason and a photo, «ارسال» got the main
    menu with no word. Each message on the other worker: what was sent is in Redis."""
    filed = await filing.submit(submission(user_key="5551001"))
    await desk.reject(filed.number, OFFICER, "المستندات ناقصة")
    await _command(person, "reconsider", filed.number)
    said = _said(await person.says("العقد انتهى وعندي ورقة من الكفيل", worker=1))
    assert "أُرسل طلب إعادة النظر" in said
    photo = Media(person.origin(), "photo", "paper", "image/jpeg", 1000, None, "paper" * 8)
    assert "أُضيفت صورتك" in _said(await person.send(photo))
    said = _said(await person.says("ارسال", worker=1))
    assert "أُرسل بالفعل" in said and "لا يلزمك شيء آخر" in said, said
    record = await desk.find(filed.number)
    assert record is not None and record.reconsider_reason == "العقد انتهى وعندي ورقة من الكفيل"


async def test_note_with_words_on_the_same_line_keeps_them_and_sends_them_from_either_worker(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    """Tester 10b, fault 1: «/note N الجواز ينتهي قريب» got «رقم الطلب يتكون من 10 أرقام»
    and the words were kept nowhere. A wrong number with words is said to be wrong, and
    the words wait for the request to be picked (in Redis: the pick on the other worker)."""
    filed = await filing.submit(submission(user_key="5551001"))
    said = await _command(person, "note", f"{filed.number} الجواز ينتهي قريب")
    assert "10 أرقام" not in said and filed.number in said, said
    said = _said(await person.says("ارسال", worker=1))
    assert "أُضيفت ملاحظتك" in said, said
    said = await _command(person, "note", f"{filed.number[:-1]} ومعي صورة الجواز الجديد")
    assert "10 أرقام" in said, said
    said = _said(await person.taps(f"note:{filed.number}", worker=1))
    assert "لم تُرسل بعد" in said, said
    await person.says("ارسال")
    record = await desk.find(filed.number)
    assert record is not None
    assert [e.reason for e in record.events if e.kind == "note"] == [
        "الجواز ينتهي قريب",
        "ومعي صورة الجواز الجديد",
    ]


async def test_a_note_asked_in_words_with_its_words_is_the_note_on_either_worker(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    """Session 12: with an open request, «ابي اضيف ملاحظة: الجواز ينتهي بعد شهرين» opened
    the note step empty, the words lost. They are the note (shown, not sent yet), sent from
    the other worker; with two open requests they wait, in Redis, for the pick."""
    filed = await filing.submit(submission(user_key="5551001"))
    said = _said(await person.says("ابي اضيف ملاحظة: الجواز ينتهي بعد شهرين"))
    assert filed.number in said and "الجواز ينتهي بعد شهرين" in said, said
    assert "لم تُرسل بعد" in said, said
    said = _said(await person.says("ارسال", worker=1))
    assert "أُضيفت ملاحظتك" in said, said
    second = await filing.submit(submission("draft-2", user_key="5551001"))
    said = _said(await person.says("اضيف ملاحظة على طلبي ان معي صورة الجواز الجديد", worker=1))
    assert "لم تُرسل بعد" not in said, said  # which request, asked first
    said = _said(await person.taps(f"note:{second.number}"))
    assert "معي صورة الجواز الجديد" in said and "لم تُرسل بعد" in said, said
    await person.says("ارسال", worker=1)
    for number, note in ((filed.number, "الجواز ينتهي بعد شهرين"),
                         (second.number, "معي صورة الجواز الجديد")):  # fmt: skip
        record = await desk.find(number)
        assert record is not None
        assert [e.reason for e in record.events if e.kind == "note"] == [note]
