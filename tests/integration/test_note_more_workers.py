"""Words right after a note was sent that add to it start another note on the same request,
over two workers on the shared Redis and SQL (SQLite and PostgreSQL): sent with «ارسال» on
the other worker, both notes are on the request (helper 235: the words were offered a new
service). «العودة إلى طلبي» at the services offered is no service either."""

from __future__ import annotations

from bot.db.requests_repo import SqlRequestGateway
from bot.staff.desk import StaffDesk
from conversations.events import Command, Contact
from tests.integration.test_db_requests import submission
from tests.integration.test_their_say import USER, Person, _half_filled
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_more_words_after_a_note_make_another_over_two_workers(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    filed = await filing.submit(submission(user_key=USER))
    await person.send(Command(person.origin(), "start", ""), worker=0)
    said = await person.says("ابي اضيف ملاحظة على طلبي", worker=1)
    assert "يُرجى كتابة ملاحظتك" in said[-1].text, said[-1].text
    await person.says("الكفيل وافق على التجديد", worker=0)
    said = await person.says("ارسال", worker=1)
    assert "أُضيفت ملاحظتك" in said[0].text, said[0].text
    said = await person.says("ونسيت اقول ان ابشر يطلع خطأ", worker=0)
    text = "\n".join(r.text for r in said)
    assert "ملاحظتك السابقة أُرسلت" in text and "هل هذه هي الخدمة" not in text, text
    await person.says("ارسال", worker=1)
    record = await desk.find(filed.number)
    assert record is not None
    notes = [e.reason for e in record.events if e.kind == "note"]
    assert notes == ["الكفيل وافق على التجديد", "ونسيت اقول ان ابشر يطلع خطأ"], notes


async def test_back_to_my_request_at_the_services_is_no_service_over_two_workers(
    person: Person,
) -> None:
    # «العودة إلى طلبي» typed a turn late, at the services offered, matched «خروج وعودة»
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.taps("ind", worker=1)
    said = await person.says("مشكلة في ابشر", worker=0)
    assert "هل هذه هي الخدمة المطلوبة" in said[-1].text, said[-1].text
    said = await person.says("العودة إلى طلبي", worker=1)
    text = "\n".join(r.text for r in said)
    assert "لا يوجد هنا طلب قيد التعبئة" in text, text
    assert [c.id for c in said[-1].choices][:2] == ["ind", "est"]


async def test_with_a_draft_back_the_words_still_add_to_the_note_over_two_workers(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    filed = await filing.submit(submission(user_key=USER))
    await _half_filled(person)  # at the phone step, on worker 0
    await person.send(Contact(person.origin(), "+966501234567", True), worker=1)
    await person.send(Command(person.origin(), "status", ""), worker=0)
    await person.taps(f"note:{filed.number}", worker=1)
    await person.says("الكفيل وافق على التجديد", worker=0)
    said = await person.says("ارسال", worker=1)
    assert "يُرجى وصف طلبك" in said[-1].text, said[-1].text  # the draft is back
    said = await person.says("ونسيت اقول ان ابشر يطلع خطأ", worker=0)
    assert "ملاحظتك السابقة أُرسلت" in "\n".join(r.text for r in said)
    said = await person.says("ارسال", worker=1)
    assert "يُرجى وصف طلبك" in said[-1].text, said[-1].text
    record = await desk.find(filed.number)
    assert record is not None
    notes = [e.reason for e in record.events if e.kind == "note"]
    assert notes == ["الكفيل وافق على التجديد", "ونسيت اقول ان ابشر يطلع خطأ"], notes
