"""An identity number with an emoji beside it, over two workers (helper 233: refused as
«digits only»): taken, and the phone step follows on the other worker. On real parts: the
shared Redis dialogue store and SQL (SQLite and PostgreSQL)."""

from __future__ import annotations

from conversations.events import Command, Contact
from tests.integration.test_their_say import Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_an_identity_number_with_an_emoji_over_two_workers(person: Person) -> None:
    await person.send(Command(person.origin(), "start", ""), worker=0)
    walk = (("1", 1), ("ابي اجدد الاقامة", 0), ("1", 1), ("1", 0), ("1", 1))
    for typed, worker in walk:
        await person.says(typed, worker=worker)
    said = await person.says("2000000006 👍", worker=0)
    assert "أرقام فقط" not in said[-1].text and "رقم جوالك" in said[-1].text, said[-1].text
    said = await person.send(Contact(person.origin(), "+966501234567", True), worker=1)
    assert "يُرجى وصف طلبك" in said[-1].text, said[-1].text
