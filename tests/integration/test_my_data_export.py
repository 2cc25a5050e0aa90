"""The «بياناتي» JSON copy holds what the person gave, on a real SQL database (SQLite and
PostgreSQL): the description, their answer to an officer's question, their notes and the
reason of a reconsideration, which stays after the officers answer it (marked answered);
the identity numbers are the ones the readable answer lists. The officers' internal notes
and reasons are not the person's words and stay out. Found by the fresh-clone tester."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.personal_data import SqlPersonalData
from bot.db.requests_repo import SqlRequestGateway
from bot.media_store import MediaStore
from bot.staff.desk import StaffDesk
from conversations.my_data import held_numbers
from conversations.ports import Note
from domain.catalogue import load_catalogue
from officers.officer import Officer
from tests.integration.test_db_requests import submission
from tests.integration.test_retention import GRACE

OFFICER = Officer(7001, "نورة")
SUNDAY = dt.datetime(2026, 11, 22, 6, 0, tzinfo=dt.UTC)
USER = "5551001"
DESCRIPTION = "لا أستطيع تجديد الإقامة من أبشر"
ANSWER = "رقم الجواز الجديد في الصورة المرفقة"
NOTE = "أرسلت صورة التأمين الطبي"
REASON = "أرفقت التأمين الطبي في الصفحة الثانية"
INTERNAL = "راجعت أبشر: لا قيد عليه"


def _copy(path: str) -> Any:
    return json.loads(Path(path).read_text(encoding="utf-8"))


async def test_the_copy_holds_the_persons_words_and_the_numbers_the_answer_lists(
    db_sessionmaker: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    clock = lambda: SUNDAY  # noqa: E731
    filing = SqlRequestGateway(db_sessionmaker, clock=clock)
    desk = StaffDesk(db_sessionmaker, load_catalogue(), clock=clock, decision_grace_s=0)
    filed = await filing.submit(
        submission(user_key=USER, identity_number="1000000008", description=DESCRIPTION)
    )
    await desk.ask(filed.number, OFFICER, "أرسل صورة الجواز الجديد")
    await desk.answer(filed.number, channel="telegram", user_key=USER, text=ANSWER)
    await desk.add_note(Note(filed.number, "telegram", USER, NOTE))
    await desk.note(filed.number, OFFICER, INTERNAL)
    await desk.reject(filed.number, OFFICER, "المستندات ناقصة")
    await desk.reconsider(filed.number, "telegram", USER, REASON)
    personal = SqlPersonalData(
        db_sessionmaker,
        MediaStore(tmp_path),
        365,
        GRACE,
        clock=clock,
        exports=tmp_path / "exports",
    )

    waiting = await personal.held("telegram", USER, "ar")
    assert waiting.document is not None
    copy = _copy(waiting.document)
    [request] = copy["requests"]
    assert request["reconsideration_reason"] == REASON
    assert request["reconsideration_answered"] is False

    await desk.keep_rejected(filed.number, OFFICER)
    answered = await personal.held("telegram", USER, "ar")
    assert answered.document is not None
    copy = _copy(answered.document)
    [request] = copy["requests"]
    # the person's words stay once the officers answered, marked answered
    assert request["reconsideration_reason"] == REASON
    assert request["reconsideration_answered"] is True
    assert request["description"] == DESCRIPTION
    assert [(m["kind"], m["text"]) for m in request["your_messages"]] == [
        ("answer", ANSWER),
        ("note", NOTE),
        ("reconsideration", REASON),
    ]
    # the officers' own words are theirs: internal note, question, rejection reason
    text = json.dumps(copy, ensure_ascii=False)
    assert INTERNAL not in text and "المستندات ناقصة" not in text
    # the numbers the readable answer lists («أرقام الهوية: 1000000008»)
    assert copy["identity_numbers"] == ["1000000008"]
    assert copy["identity_numbers"] == held_numbers(answered)[0]
    assert copy["phones"] == ["+966500000001"]
