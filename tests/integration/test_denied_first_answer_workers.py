"""Denials over two workers: «مو منشأة» at the first question files as an individual
and says so, «رجوع» on the other worker asks who files again; «ما قدر دخول المملكة» at
the location question is outside; and the request the officer reads says both. On real parts: the shared Redis dialogue store and the requests
in SQL (SQLite and PostgreSQL). Found in session 18's faults list (item 5)."""

from __future__ import annotations

from bot.db.requests_repo import SqlRequestGateway
from bot.staff.desk import StaffDesk
from conversations.events import Command, Contact, Media
from tests.integration.test_their_say import USER, Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_a_denied_establishment_files_an_individuals_request_over_two_workers(
    person: Person, desk: StaffDesk, filing: SqlRequestGateway
) -> None:
    await person.send(Command(person.origin(), "start", ""), worker=0)
    said = await person.says("لست منشأة", worker=1)
    assert "فهمتُ من رسالتك أن المقصود «فرد»" in said[0].text, said[0].text
    said = await person.taps("back", worker=0)
    assert "هل يُقدَّم الطلب بصفة فرد" in said[-1].text
    said = await person.says("مو منشأة", worker=1)
    assert "فهمتُ من رسالتك أن المقصود «فرد»" in said[0].text
    walk = (
        ("ابي اجدد الاقامة", "هل هذه هي الخدمة المطلوبة"),
        ("1", "لمن هذا الطلب؟"),
        ("1", "أين أنت الآن؟"),
        ("ما قدر دخول المملكة", "رقم هوي"),
        ("2000000006", "رقم جوالك"),
    )
    for turn, (typed, next_question) in enumerate(walk):
        said = await person.says(typed, worker=turn % 2)
        assert next_question in said[-1].text, said[-1].text
    await person.send(Contact(person.origin(), "+966501234567", True), worker=1)
    said = await person.says("انتهت إقامتي ولا أستطيع تجديدها من أبشر", worker=0)
    assert "للمستندات التالية" in said[-1].text, said[-1].text
    photo = Media(person.origin(), "photo", "file-9", "image/jpeg", 1000, None, "cd" * 32)
    await person.send(photo, worker=1)
    said = await person.taps("done", worker=0)
    assert "يُرجى مراجعة طلبك" in "\n".join(r.text for r in said)
    await person.taps("confirm", worker=1)
    (mine,) = await filing.list_for_account("telegram", USER)
    record = await desk.find(mine.number)
    assert record is not None and record.applicant_kind == "individual"
    # the holder could not enter the Kingdom: outside, as the officer reads it
    assert record.eligibility["location"] == "outside"


async def test_a_worker_saying_so_is_an_individual_over_two_workers(
    person: Person, filing: SqlRequestGateway
) -> None:
    await person.send(Command(person.origin(), "start", ""), worker=0)
    said = await person.says("انا عامل", worker=1)
    assert "يُقدَّم هذا الطلب بصفة فرد" in said[0].text, said[0].text
    said = await person.taps("back", worker=0)  # and «رجوع» asks who files again
    assert "هل يُقدَّم الطلب بصفة فرد" in said[-1].text, said[-1].text


async def test_an_employer_in_other_words_is_said_back_over_two_workers(
    person: Person,
) -> None:
    # session 20's new-user probe: «عندي عامل» went on with no word of what was understood
    await person.send(Command(person.origin(), "start", ""), worker=0)
    said = await person.says("عندي عامل", worker=1)
    assert "فهمتُ من رسالتك أن المقصود «منشأة»" in said[0].text, said[0].text
    said = await person.taps("back", worker=0)
    assert "هل يُقدَّم الطلب بصفة فرد" in said[-1].text, said[-1].text


async def test_a_households_worker_is_an_individuals_over_two_workers(person: Person) -> None:
    # helper 21: «عندي عاملة منزلية» was filed as an establishment; at the establishment's
    # number «ما عندي رقم منشأة…» got the same question again
    await person.send(Command(person.origin(), "start", ""), worker=0)
    said = await person.says("عندي عاملة منزلية", worker=1)
    assert "فهمتُ من رسالتك أن المقصود «فرد»" in said[0].text, said[0].text
    await person.taps("back", worker=0)
    await person.taps("est", worker=1)
    await person.says("ابي اجدد اقامة عامل", worker=0)
    await person.taps("s:iqama_renew", worker=1)
    await person.taps("q:inside", worker=0)
    said = await person.says("ما عندي رقم منشأة هي خادمة في البيت", worker=1)
    assert "يُقدَّم طلبه بصفة فرد" in said[-1].text, said[-1].text
    said = await person.says("ما اعرفه", worker=0)  # where the number is, on either worker
    assert "ويمكن طلبه من المسؤول عن المنشأة" in said[-1].text, said[-1].text
