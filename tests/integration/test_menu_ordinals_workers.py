"""An option named by its place at the services offered, over two workers (helper 233:
«الثاني» was read as «أخرى», «رقم 2» not at all): the worker that reads it finds the
options the other worker offered in the shared dialogue state. On real parts: the shared
Redis dialogue store and SQL (SQLite and PostgreSQL)."""

from __future__ import annotations

from conversations.events import Command
from tests.integration.test_their_say import USER, Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def _service(person: Person, worker: int) -> object:
    state = await person.workers[worker].store.load("telegram", USER)
    return state.answers.get("service")


async def test_an_ordinal_and_a_numbered_option_pick_the_service_over_two_workers(
    person: Person,
) -> None:
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.taps("ind", worker=1)
    said = await person.says("ابي خروج وعودة او تجديد اقامة", worker=0)
    assert [c.id for c in said[-1].choices][:2] == ["s:iqama_renew", "s:exit_reentry_visa"]
    said = await person.says("الثاني", worker=1)
    assert "لمن هذا الطلب؟" in said[-1].text, said[-1].text
    assert await _service(person, 0) == "exit_reentry_visa"
    await person.says("رجوع", worker=0)
    said = await person.says("رقم ٩", worker=1)
    assert "لا يوجد هنا خيار بالرقم ⁨٩⁩" in said[-1].text, said[-1].text
    said = await person.says("رقم 1", worker=0)
    assert "لمن هذا الطلب؟" in said[-1].text, said[-1].text
    assert await _service(person, 1) == "iqama_renew"
