"""A need no service's words name, typed at the first question, over two workers on the
shared Redis and SQL (SQLite and PostgreSQL): told the service could not be told from it
and pointed to «الدعم الفني وأخرى», which the other worker then offers."""

from __future__ import annotations

from conversations.events import Command
from tests.integration.test_their_say import Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_an_unnamed_need_is_pointed_to_support_over_two_workers(person: Person) -> None:
    await person.send(Command(person.origin(), "start", ""), worker=0)
    said = await person.says("عندي مخالفة وابي اعترض", worker=1)
    text = "\n".join(r.text for r in said)
    assert "لم أتمكن من معرفة الخدمة المطلوبة" in text and "الدعم الفني وأخرى" in text, text
    said = await person.taps("ind", worker=0)
    assert "g:support" in [c.id for c in said[-1].choices], said[-1].text


async def test_a_lone_yes_is_no_question_over_two_workers(person: Person) -> None:
    await person.send(Command(person.origin(), "start", ""), worker=0)
    said = await person.says("ايه", worker=1)
    text = "\n".join(r.text for r in said)
    assert "ليس لدي جواب" not in text and "يُرجى اختيار" in text, text
    said = await person.taps("ind", worker=0)
    assert "g:residency" in [c.id for c in said[-1].choices]
