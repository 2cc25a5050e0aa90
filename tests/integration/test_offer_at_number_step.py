"""While an officer's question waits, a message refused at an unrelated draft step is asked
about as the answer only when it could be one, and not again in the very next turn. Found
by fresh-clone tester 16 (§6, terminal chat): at the identity step «12345» got «كتبت ٥
أرقام…» AND «ينتظر الموظف إجابتك… هل رسالتك هي الإجابة عن هذا السؤال؟» (an expiry date's
question), and four refused messages in a row were each asked about.

On real parts: two workers on the shared Redis dialogue store, the requests in SQL (SQLite
and PostgreSQL)."""

from __future__ import annotations

import pytest

from bot.db.requests_repo import SqlRequestGateway
from bot.staff.desk import StaffDesk
from conversations.events import Command, Reply
from tests.integration.test_db_requests import submission
from tests.integration.test_their_say import OFFICER, USER, Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person

QUESTION = "ما تاريخ انتهاء إقامة الوالد؟"
OFFERED = "هل رسالتك هي الإجابة"
IDENTITY = "رقم هوي"


def _text(said: list[Reply]) -> str:
    return "\n".join(r.text for r in said)


async def _at_identity(person: Person, filing: SqlRequestGateway, desk: StaffDesk) -> None:
    """An officer asks about an earlier request; a new draft is at its identity step."""
    filed = await filing.submit(submission(user_key=USER))
    await person.send(Command(person.origin(), "start", ""))
    for typed in ("1", "ابي اجدد الاقامة", "1", "1"):
        said = await person.says(typed)
    await desk.ask(filed.number, OFFICER, QUESTION)
    said = await person.says("1")
    assert IDENTITY in said[-1].text, _text(said)


async def test_a_short_number_at_the_identity_step_is_not_offered_as_the_answer(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    await _at_identity(person, filing, desk)
    for typed, worker in (("12345", 1), ("١٢٣٤٥٦٧", 0)):
        said = await person.says(typed, worker=worker)
        assert OFFERED not in _text(said), _text(said)
        assert "أرقام" in _text(said), _text(said)  # the step's own hint


async def test_refused_words_are_asked_about_once_not_every_turn(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    await _at_identity(person, filing, desk)
    said = await person.says("ما ادري متى", worker=1)
    assert OFFERED in said[-1].text and QUESTION in said[-1].text, _text(said)
    said = await person.says("داخل المملكه", worker=0)
    assert OFFERED not in _text(said), _text(said)
    said = await person.says("لابوي", worker=1)
    # a turn without the question in between: asked again
    assert OFFERED in said[-1].text, _text(said)


@pytest.mark.parametrize("question", ["كم رسوم تجديد الاقامة؟", "كم رسوم الخروج والعودة؟"])
async def test_a_question_asked_under_is_this_your_answer_leaves_the_words_held(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk, question: str
) -> None:
    """Fresh-clone tester 16 §13: «المخالفة باسمي انا» held under «هل رسالتك هي الإجابة…؟»,
    then «كم رسوم…؟»: the question was answered (or not) and the words held were dropped
    silently. They are asked about again after the answer, and sent with «نعم»."""
    filed = await filing.submit(submission(user_key=USER))
    await person.send(Command(person.origin(), "start", ""))
    for typed in ("1", "ابي اجدد الاقامة", "1"):
        said = await person.says(typed)
    assert "لمن هذا الطلب؟" in said[-1].text
    await desk.ask(filed.number, OFFICER, "هل المخالفة باسمك أو باسم زوجتك؟")
    said = await person.says("المخالفة باسمي انا")
    assert OFFERED in said[-1].text, _text(said)
    said = await person.says(question, worker=1)
    assert OFFERED in said[-1].text and "المخالفة باسمي انا" in said[-1].text, _text(said)
    await person.says("نعم", worker=0)
    await person.says("إرسال", worker=1)
    record = await desk.find(filed.number)
    assert record is not None
    assert "المخالفة باسمي انا" in (record.events[-1].reason or ""), record.events[-1]
