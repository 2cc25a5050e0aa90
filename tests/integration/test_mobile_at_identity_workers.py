"""A mobile typed at the identity step on a channel that takes a typed one (the
terminal's origin), over two workers on the shared Redis (SQLite and PostgreSQL):
helper 22, it was named and dropped. Kept on one worker, used by the other."""

from __future__ import annotations

import dataclasses

from conversations.events import Command, Origin
from tests.integration.test_their_say import Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


class _Typing(Person):
    def origin(self) -> Origin:
        return dataclasses.replace(super().origin(), phone_typed=True)


async def test_the_mobile_is_kept_over_two_workers(person: Person) -> None:
    typing = _Typing(person.workers)
    await typing.send(Command(typing.origin(), "start", ""), worker=0)
    await typing.taps("ind", worker=1)
    await typing.says("ابي اجدد اقامتي", worker=0)
    await typing.taps("s:iqama_renew", worker=1)
    await typing.taps("q:inside", worker=0)
    said = await typing.says("0551234567", worker=1)
    assert "احتفظتُ برقم جوالك" in said[-1].text, said[-1].text
    said = await typing.says("2000000006", worker=0)
    text = "\n".join(r.text for r in said)
    assert "يُرجى وصف طلبك" in text and "+966551234567" in text, text
