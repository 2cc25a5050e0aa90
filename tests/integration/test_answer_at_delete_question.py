"""An answer to an officer's question is never lost to «إلغاء» and «هل يُحذف؟», and «إجابة ٢»
typed at «هل يُحذف؟» while the question waits is understood. Found by fresh-clone user 15
(terminal chat): a message held under «هل رسالتك هي الإجابة عن هذا السؤال؟», then «إلغاء»
(«هل يُحذف؟»), then «إجابة ٢»: the step's «لم أفهم…»/«لم أتمكن…», and the message held
before was gone once they came back.

On real parts: two workers on the shared Redis dialogue store, the requests in SQL (SQLite
and PostgreSQL)."""

from __future__ import annotations

from bot.db.requests_repo import SqlRequestGateway
from bot.staff.desk import StaffDesk
from conversations.events import Command, Reply
from domain.status import RequestStatus
from tests.integration.test_db_requests import submission
from tests.integration.test_their_say import OFFICER, USER, Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person

QUESTION = "كم عدد المرافقين؟"
OFFERED = "هل رسالتك هي الإجابة"


def _text(said: list[Reply]) -> str:
    return "\n".join(r.text for r in said)


async def _held_in_a_draft(person: Person, filing: SqlRequestGateway, desk: StaffDesk) -> str:
    """A draft with a service chosen, at «لمن هذا الطلب؟»; an officer asks about an earlier
    request; «معي اثنين» typed there is held and offered as the answer."""
    filed = await filing.submit(submission(user_key=USER))
    await person.send(Command(person.origin(), "start", ""))
    for typed in ("1", "ابي اجدد الاقامة", "1"):
        said = await person.says(typed)
    assert "لمن هذا الطلب؟" in said[-1].text
    await desk.ask(filed.number, OFFICER, QUESTION)
    said = await person.says("معي اثنين")
    assert OFFERED in said[-1].text
    return filed.number


async def test_answer_at_delete_question_is_understood_and_nothing_is_lost(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    number = await _held_in_a_draft(person, filing, desk)
    said = await person.says("إلغاء", worker=1)
    assert "هل يُحذف؟" in said[0].text
    said = await person.says("إجابة ٢", worker=0)
    text = _text(said)
    assert "لم أفهم" not in text and "لم أتمكن" not in text, text
    assert "لم يُحذف" in text, text  # the draft is kept, and said so
    assert OFFERED in said[-1].text and QUESTION in said[-1].text, text
    assert "معي اثنين" in said[-1].text, text  # the message held before is not forgotten
    said = await person.says("نعم", worker=1)
    said = await person.says("إرسال", worker=0)
    record = await desk.find(number)
    assert record is not None and record.status is RequestStatus.UNDER_REVIEW
    reason = record.events[-1].reason or ""
    assert "معي اثنين" in reason and "إجابة ٢" in reason, reason
    # and the draft is where it was
    assert "لمن هذا الطلب؟" in _text(said), _text(said)


async def test_a_held_answer_survives_keeping_the_draft(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    """«إلغاء» then «لا، أكمل الطلب»: the draft's step, then the held message asked about
    again, on the other worker."""
    number = await _held_in_a_draft(person, filing, desk)
    await person.says("إلغاء", worker=1)
    said = await person.says("لا، أكمل الطلب", worker=0)
    text = _text(said)
    assert "لمن هذا الطلب؟" in text and "معي اثنين" in said[-1].text, text
    assert OFFERED in said[-1].text, text
    await person.says("نعم", worker=1)
    await person.says("إرسال", worker=0)
    record = await desk.find(number)
    assert record is not None and record.events[-1].reason == "معي اثنين"


async def test_a_held_answer_survives_deleting_the_draft(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    """«إلغاء» then «نعم، احذفه»: deleted, and the held message asked about again."""
    await _held_in_a_draft(person, filing, desk)
    await person.says("إلغاء", worker=1)
    said = await person.says("نعم، احذفه", worker=0)
    assert "معي اثنين" in said[-1].text and OFFERED in said[-1].text, _text(said)


async def test_a_menu_pick_after_no_names_the_waiting_question_once(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    """«2» at the first menu while an officer's question waits is asked about; «لا» picks
    the menu's «منشأة», and that next screen says the question still waits (it said
    nothing: fresh-clone user 15), once: the screen after it does not say it again."""
    filed = await filing.submit(submission(user_key=USER))
    await desk.ask(filed.number, OFFICER, QUESTION)
    await person.send(Command(person.origin(), "start", ""))
    said = await person.says("2", worker=1)
    assert OFFERED in said[-1].text
    said = await person.says("لا", worker=0)
    text = _text(said)
    assert "ما الخدمة المطلوبة" in said[-1].text, text  # «منشأة» chosen
    assert QUESTION in text and filed.number in text, text
    said = await person.says("رجوع", worker=1)
    assert QUESTION not in _text(said), _text(said)


async def test_a_held_answer_is_asked_about_again_when_the_person_comes_back(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    """The person leaves with «هل رسالتك هي الإجابة…؟» unanswered and comes back (the
    terminal chat opens again with /resume): that question again, the message quoted."""
    await _held_in_a_draft(person, filing, desk)
    said = await person.send(Command(person.origin(), "resume", ""), worker=1)
    assert "معي اثنين" in said[-1].text and OFFERED in said[-1].text, _text(said)


async def test_answer_words_at_is_this_your_answer_join_the_held_message(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    """«إجابة ٢» at «هل رسالتك هي الإجابة…؟» itself says yes, and its «٢» joins the answer
    after the message held (it was dropped)."""
    number = await _held_in_a_draft(person, filing, desk)
    said = await person.says("إجابة ٢", worker=1)
    assert "اعتبرتُ رسالتك إجابةً" in said[0].text, _text(said)
    await person.says("إرسال", worker=0)
    record = await desk.find(number)
    assert record is not None
    reason = record.events[-1].reason or ""
    assert "معي اثنين" in reason and "إجابة ٢" in reason, reason
