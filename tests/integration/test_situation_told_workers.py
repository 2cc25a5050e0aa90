"""A situation told with «what do I do?» over two workers: «اقامتي انتهت والكفيل مسافر
وش اسوي» is offered the iqama's renewal, and its words come back at the description step
on the other worker (session 20's new-user probe: the «who may file» answer, the words
lost). On real parts: the shared Redis dialogue store and SQL (SQLite and PostgreSQL)."""

from __future__ import annotations

from tests.integration.test_their_say import Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person

STORY = "اقامتي انتهت والكفيل مسافر وش اسوي"


async def test_the_situation_is_filed_as_its_need_over_two_workers(person: Person) -> None:
    said = await person.says(STORY, worker=1)
    text = "\n".join(r.text for r in said)
    assert "يقدّم الطلبَ صاحبُ الشأن" not in text, text
    assert said[-1].choices[0].id == "s:iqama_renew", text
    await person.taps("s:iqama_renew", worker=0)
    await person.taps("q:inside", worker=1)
    await person.says("2000000006", worker=0)
    said = await person.says("0501234567", worker=1)
    text = "\n".join(r.text for r in said)
    assert STORY in text and "keep_description" in [c.id for c in said[-1].choices], text
