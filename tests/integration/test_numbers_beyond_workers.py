"""«٩» at the menu of five groups over two workers on the shared Redis (SQLite and
PostgreSQL): the range is named on one worker, the number in range picks on the other
(helper 22's probe: «لم أتمكن من تحديد الخدمة المقصودة»)."""

from __future__ import annotations

from conversations.events import Command
from tests.integration.test_their_say import Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_a_number_past_the_menu_then_one_in_it_over_two_workers(person: Person) -> None:
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.taps("ind", worker=1)
    said = await person.says("٩", worker=0)
    assert "من ١ إلى ٥" in said[-1].text and "لم أتمكن" not in said[-1].text, said[-1].text
    said = await person.says("٢", worker=1)
    assert "s:iqama_renew" in [c.id for c in said[-1].choices], said[-1].text
