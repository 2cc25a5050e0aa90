"""«ليش تسأل؟» at a service's question, over two workers on the shared Redis and SQL
(SQLite and PostgreSQL): answered why, the question asked again, and its answer on the
other worker goes on."""

from __future__ import annotations

from conversations.events import Command
from tests.integration.test_their_say import Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_why_a_question_is_asked_over_two_workers(person: Person) -> None:
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.says("ابي اطلع خروج نهائي", worker=1)
    await person.taps("s:final_exit_visa", worker=0)
    said = await person.says("ليش تسأل", worker=1)
    text = "\n".join(r.text for r in said)
    assert "أسأل عن هذا لأن" in text and said[-1].text.endswith("لمن هذا الطلب؟"), text
    said = await person.taps("q:self", worker=0)
    assert "رقم هويتك" in said[-1].text, said[-1].text
