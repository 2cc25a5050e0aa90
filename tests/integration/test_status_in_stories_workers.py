"""A long iqama story over two workers: offered the iqama's services and kept for the
description, not asked for a request number (helper 233); the service chosen on the other
worker shows the story at the description step. On real parts: the shared Redis dialogue
store and SQL (SQLite and PostgreSQL)."""

from __future__ import annotations

from conversations.events import Command
from tests.integration.test_their_say import Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person
from tests.unit.conversations.test_status_in_stories import STORY


async def test_a_long_story_is_a_request_not_a_look_up_over_two_workers(person: Person) -> None:
    await person.send(Command(person.origin(), "start", ""), worker=0)
    said = await person.says(STORY, worker=1)
    text = "\n".join(r.text for r in said)
    assert "رقم الطلب" not in text and "احتفظتُ بما كتبته" in text, text
    assert "s:iqama_renew" in [c.id for c in said[-1].choices], text
    said = await person.taps("s:iqama_renew", worker=0)
    assert "لمن هذا الطلب؟" in said[-1].text, said[-1].text
