"""Two mobile numbers typed at the phone step, over two workers: «0551234567 او
0561234567» is asked to be one number (helper 21's probe: «لا يبدو هذا رقم جوال»), and one
typed on the other worker goes on. On real parts: the shared Redis dialogue store and SQL
(SQLite and PostgreSQL)."""

from __future__ import annotations

from tests.integration.test_their_say import Person, _half_filled
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_two_mobiles_are_asked_to_be_one_over_two_workers(person: Person) -> None:
    await _half_filled(person)  # at the phone step, on worker 0
    said = await person.says("0551234567 او 0561234567", worker=1)
    text = "\n".join(r.text for r in said)
    assert "أكثر من رقم جوال" in text, text
    said = await person.says("0551234567", worker=0)
    assert "يُرجى وصف طلبك" in "\n".join(r.text for r in said), said[-1].text
