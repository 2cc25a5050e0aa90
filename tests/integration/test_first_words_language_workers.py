"""The language of a first English word after /start, over two workers on the shared
Redis: kept for the account, whichever worker reads the next message."""

from __future__ import annotations

from conversations.events import Command
from tests.integration.test_their_say import Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_an_english_word_after_start_sets_english_over_two_workers(person: Person) -> None:
    # helper 23's probe: «individual» alone after /start was answered in Arabic
    await person.send(Command(person.origin(), "start", ""), worker=0)
    said = await person.says("individual", worker=1)
    assert "Which service do you need?" in said[-1].text, said[-1].text
    said = await person.says("renew iqama", worker=0)
    assert "Is this the service you need?" in said[-1].text, said[-1].text
