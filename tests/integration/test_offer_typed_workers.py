"""«تقديم طلب الآن» typed on the other worker, with «لمن» taken from the question the
answer was for (helper 233): both kept in the shared dialogue state. On real parts: the
shared Redis dialogue store and SQL (SQLite and PostgreSQL)."""

from __future__ import annotations

from conversations.events import Command
from tests.integration.test_their_say import Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_a_typed_yes_to_the_offer_over_two_workers(person: Person) -> None:
    await person.send(Command(person.origin(), "start", ""), worker=0)
    said = await person.says("وش المطلوب لتجديد اقامتي؟", worker=1)
    assert "file:iqama_renew" in [c.id for c in said[-1].choices]
    said = await person.says("ايه ابي اقدم", worker=0)
    text = "\n".join(r.text for r in said)
    assert "نبدأ طلبًا جديدًا لخدمة «تجديد هوية مقيم»" in text, text
    assert "«لمن هذا الطلب؟»: «لي أنا»" in text and "أين أنت الآن؟" in said[-1].text, text
    said = await person.taps("q:inside", worker=1)
    assert "رقم" in said[-1].text, said[-1].text  # the writer's own identity number next
