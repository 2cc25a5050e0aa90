"""A service said not to be wanted, on the other worker (shared Redis, SQLite and
PostgreSQL): helper 22 (§5), «لا لا مو خروج وعوده، ابي…» got the exit/re-entry visa
offered again; the service then chosen is filed on from either worker."""

from __future__ import annotations

from conversations.events import Command
from tests.integration.test_their_say import Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_the_denied_service_is_not_offered_again_over_two_workers(person: Person) -> None:
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.taps("ind", worker=1)
    said = await person.says("ابي تاشيرة خروج وعوده لزوجتي", worker=0)
    assert "s:exit_reentry_visa" in [c.id for c in said[-1].choices]
    said = await person.says("لا لا مو خروج وعوده، ابي نقل معلومات جواز زوجتي الجديد", worker=1)
    offered = [c.id for c in said[-1].choices]
    assert "s:exit_reentry_visa" not in offered and "s:dependents" in offered, offered
    said = await person.taps("s:dependents", worker=0)
    assert "هل صاحب الطلب تابع لك أو مكفول لديك؟" in said[-1].text, said[-1].text
