"""A resident renewing their own passport over two workers: «انا مقيم ابي اجدد جوازي»
is told the passport's renewal is the Saudi passport's and offered the residents'
services under a heading saying so (session 18's faults list: the citizens' service was
still offered under that line; session 20's probe: then the iqama's renewal alone, as the
need); choosing one on the other worker goes on. On real parts: the shared Redis
dialogue store and SQL (SQLite and PostgreSQL)."""

from __future__ import annotations

from conversations.events import Command
from tests.integration.test_their_say import Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_a_resident_is_offered_only_a_residents_service_over_two_workers(
    person: Person,
) -> None:
    await person.send(Command(person.origin(), "start", ""), worker=0)
    said = await person.says("انا مقيم ابي اجدد جوازي", worker=1)
    text = "\n".join(r.text for r in said)
    assert "«تجديد جواز السفر» للمواطنين السعوديين فقط" in text, text
    assert "فهذه بعض خدمات المقيمين" in text, text
    offered = [c.id for c in said[-1].choices if c.id.startswith("s:")]
    assert offered[0] == "s:iqama_renew" and len(offered) == 4, offered
    assert not any(i.startswith("s:passport") for i in offered), offered
    said = await person.taps("s:iqama_renew", worker=0)
    assert "أين أنت الآن؟" in said[-1].text, said[-1].text


async def test_an_iqama_change_and_a_question_over_two_workers(person: Person) -> None:
    # helper 21: «ابي اعدل اسمي في الاقامة» was offered only the citizens' passport details;
    # «عندي سؤال» at the first question got «يُرجى اختيار واحد من ٤ خيارات»
    await person.send(Command(person.origin(), "start", ""), worker=0)
    said = await person.says("عندي سؤال", worker=1)
    assert "الأسئلة الشائعة" in said[-1].text, said[-1].text
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.taps("ind", worker=1)
    said = await person.says("ابي اعدل اسمي في الاقامة", worker=0)
    offered = [c.id for c in said[-1].choices if c.id.startswith("s:")]
    assert offered == ["s:other"], offered
    said = await person.taps("s:other", worker=1)
    assert "رقم هوية صاحب الطلب" in said[-1].text, said[-1].text
