"""A place said of someone else in the first words («والكفيل مسافر برا المملكة») answers no
«أين أنت الآن؟»: over two workers on the shared Redis and SQL (SQLite and PostgreSQL), the
question is asked of the writer and their answer is the one filed (helper 235: the
sponsor's place was filed as the writer's). A brother named is no dependant taken for
granted: «لمن هذا الطلب؟» is asked."""

from __future__ import annotations

from conversations.events import Command
from tests.integration.test_their_say import Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_the_sponsors_place_is_not_the_writers_over_two_workers(person: Person) -> None:
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.taps("ind", worker=1)
    await person.says("ابي اجدد اقامتي والكفيل مسافر برا المملكة", worker=0)
    said = await person.taps("s:iqama_renew", worker=1)
    assert said[-1].text.endswith("أين أنت الآن؟"), said[-1].text
    said = await person.taps("q:inside", worker=0)
    assert "رقم هويتك" in said[-1].text, said[-1].text
    state = await person.workers[1].store.load("telegram", "5551001")
    assert state.answers["eligibility"]["location"] == "inside"


async def test_a_brothers_request_asks_for_whom_over_two_workers(person: Person) -> None:
    # helper 235: «اخوي ابي اجدد اقامته» was recorded as «تابع لي أو مكفول لدي»
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.taps("ind", worker=1)
    await person.says("اخوي ابي اجدد اقامته", worker=0)
    said = await person.taps("s:iqama_renew", worker=1)
    text = "\n".join(r.text for r in said)
    assert "سجّلتُ" not in text and said[-1].text.endswith("لمن هذا الطلب؟"), text
    said = await person.taps("q:someone_else", worker=0)
    assert "صاحب الشأن" in "\n".join(r.text for r in said)
