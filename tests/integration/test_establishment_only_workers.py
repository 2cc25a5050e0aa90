"""A service only an establishment files, named after «فرد», over two workers: «ابي اعدل
مهنة عامل عندي» says a worker cannot file it and that «رجوع» changes who files; «رجوع» on the
other worker asks who files again (session 20's new-user probe: switched silently, the
way out «إلغاء»). On real parts: the shared Redis dialogue store and SQL (SQLite and
PostgreSQL)."""

from __future__ import annotations

from conversations.events import Command
from tests.integration.test_their_say import Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_back_asks_who_files_over_two_workers(person: Person) -> None:
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.taps("ind", worker=1)
    said = await person.says("ابي اعدل مهنة عامل عندي", worker=0)
    text = "\n".join(r.text for r in said)
    assert "ولا يقدّمها العامل بنفسه" in text and "باختيار «رجوع»" in text, text
    said = await person.taps("back", worker=1)
    assert "هل يُقدَّم الطلب بصفة فرد" in said[-1].text, said[-1].text
    said = await person.taps("ind", worker=0)  # «فرد» again, and the same words
    said = await person.says("ابي اعدل مهنة عامل عندي", worker=1)
    text = "\n".join(r.text for r in said)
    assert "لا يمكن تقديمها بصفة فرد" in text and "ما الخدمة المطلوبة" in text, text


async def test_a_resident_transfers_their_own_services_over_two_workers(person: Person) -> None:
    # seed 001: a resident transfers their own services; «ابي انقل كفالتي» was told a
    # worker cannot file it and switched to an establishment (session 23)
    await person.send(Command(person.origin(), "start", ""), worker=0)
    said = await person.says("ابي انقل كفالتي", worker=1)
    text = "\n".join(r.text for r in said)
    assert "تقدّمها المنشأة لعامليها" not in text, text
    said = await person.taps("s:transfer_of_services", worker=0)
    assert "رقم إقامة" in said[-1].text and "المنشأة" not in said[-1].text, said[-1].text


async def test_an_establishment_saying_my_iqama_is_asked_of_the_holder_over_two_workers(
    person: Person,
) -> None:
    # helper 23: «منشأة», then «ابي اجدد اقامتي», was asked «أين أنت الآن؟»
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.taps("est", worker=1)
    await person.says("ابي اجدد اقامتي", worker=0)
    said = await person.taps("s:iqama_renew", worker=1)
    assert "أين صاحب الإقامة الآن؟" in said[-1].text, said[-1].text
