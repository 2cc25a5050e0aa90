"""«فردد» at «فرد أم منشأة؟» on the other worker (shared Redis, SQLite and PostgreSQL):
helper 21 (§15), it got «يُرجى اختيار واحد من ٤ خيارات»."""

from __future__ import annotations

from conversations.events import Command
from tests.integration.test_their_say import Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_a_typo_of_individual_over_two_workers(person: Person) -> None:
    await person.send(Command(person.origin(), "start", ""), worker=0)
    said = await person.says("فردد", worker=1)
    assert "المقصود «فرد»" in "\n".join(r.text for r in said)
    said = await person.says("ابي اجدد اقامتي", worker=0)
    assert "s:iqama_renew" in [c.id for c in said[-1].choices]
