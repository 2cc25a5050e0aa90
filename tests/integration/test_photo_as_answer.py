"""A photo sent while an officer waits for an answer is offered as that answer before it
goes into a new request. Found by tester 13 (§22, WhatsApp): the officer asked «فضلًا أرسل
صورة جواز ساري المفعول.»; the person, having said «لا» to a text being the answer and begun
a request for their son, then sent the passport photo: it was kept for the new draft
(«احتفظتُ بصورتك لطلبك»), the officer kept waiting and the clock stayed paused.

On real parts: two workers on the shared Redis dialogue store, the desk in SQL (SQLite and
PostgreSQL)."""

from __future__ import annotations

from bot.db.requests_repo import SqlRequestGateway
from bot.staff.desk import StaffDesk
from conversations.events import Command, Contact, Media
from domain.status import RequestStatus
from tests.integration.test_db_requests import submission
from tests.integration.test_their_say import OFFICER, USER, Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_a_photo_in_a_new_draft_is_offered_as_the_awaited_answer(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    filed = await filing.submit(submission(user_key=USER))
    await person.send(Command(person.origin(), "start", ""))
    await desk.ask(filed.number, OFFICER, "يُرجى إرسال صورة جواز ساري المفعول.")
    said = await person.says("طيب وابي بعد اجدد جواز ولدي", worker=1)
    assert "هل رسالتك هي الإجابة" in said[-1].text
    said = await person.taps("notans", worker=0)
    assert "هل رسالتك هي الإجابة" not in said[-1].text
    photo = Media(person.origin(), "photo", "file-88", "image/jpeg", 1000, None, "cd" * 32)
    said = await person.send(photo, worker=1)
    text = "\n".join(r.text for r in said)
    assert "احتفظتُ بصورتك لطلبك" not in text, text
    assert "هل رسالتك هي الإجابة" in said[-1].text, text
    assert f"ans:{filed.number}" in [c.id for c in said[-1].choices]
    await person.taps(f"ans:{filed.number}", worker=0)
    said = await person.says("ارسال", worker=1)
    assert "أُضيف ردّك" in " ".join(r.text for r in said)
    record = await desk.find(filed.number)
    assert record is not None and record.status is RequestStatus.UNDER_REVIEW


async def _new_draft_at_documents(person: Person) -> None:
    """A new request for an iqama renewal, on alternate workers, up to its documents."""
    await person.send(Command(person.origin(), "start", ""))
    await person.says("1", worker=0)
    await person.says("ابي اجدد الاقامة", worker=1)
    said = await person.taps("s:iqama_renew", worker=0)
    while any(c.id.startswith("q:") for c in said[-1].choices):
        said = await person.taps(said[-1].choices[0].id, worker=1)
    await person.says("2000000006", worker=0)
    await person.send(Contact(person.origin(), "+966501234567", True), worker=1)
    said = await person.says("انتهت الإقامة وأبي أجددها", worker=0)
    assert "المستندات" in said[-1].text or "صور" in said[-1].text, said[-1].text


async def test_the_first_photo_at_a_new_drafts_documents_is_offered_as_the_answer(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    """Session-14 brief (after tester 13 §22): at the documents step of a new draft the
    passport photo the officer had asked for went into the draft with no question."""
    filed = await filing.submit(submission(user_key=USER))
    await _new_draft_at_documents(person)
    await desk.ask(filed.number, OFFICER, "يُرجى إرسال صورة جواز ساري المفعول.")
    photo = Media(person.origin(), "photo", "file-89", "image/jpeg", 1000, None, "ef" * 32)
    said = await person.send(photo, worker=1)
    assert "هل رسالتك هي الإجابة" in said[-1].text, said[-1].text
    await person.taps(f"ans:{filed.number}", worker=0)
    said = await person.says("ارسال", worker=1)
    assert "أُضيف ردّك" in " ".join(r.text for r in said)
    record = await desk.find(filed.number)
    assert record is not None and record.status is RequestStatus.UNDER_REVIEW


async def test_a_photo_said_not_to_be_the_answer_goes_to_the_new_draft(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    filed = await filing.submit(submission(user_key=USER))
    await _new_draft_at_documents(person)
    await desk.ask(filed.number, OFFICER, "يُرجى إرسال صورة جواز ساري المفعول.")
    photo = Media(person.origin(), "photo", "file-90", "image/jpeg", 1000, None, "ab" * 32)
    said = await person.send(photo, worker=0)
    assert "هل رسالتك هي الإجابة" in said[-1].text
    said = await person.taps("notans", worker=1)
    assert "وصلتني الصورة" in " ".join(r.text for r in said)  # the draft took it
    record = await desk.find(filed.number)
    assert record is not None and record.status is RequestStatus.NEEDS_INFO
