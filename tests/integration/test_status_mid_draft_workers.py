"""A status look-up in the middle of a draft, on two workers sharing Redis and the
database: the card's options are unnumbered buttons, so a typed «1» answers the draft's
question shown below it, and the card's button still works (helper 21, §13)."""

from __future__ import annotations

from bot.db.requests_repo import SqlRequestGateway
from conversations.events import Command
from tests.integration.test_db_requests import submission
from tests.integration.test_their_say import USER, Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_a_typed_one_after_the_card_answers_the_draft(
    person: Person, filing: SqlRequestGateway
) -> None:
    filed = await filing.submit(submission(user_key=USER))
    await person.send(Command(person.origin(), "start", ""))
    await person.says("1")  # as an individual
    await person.says("ابي اجدد الاقامة")
    said = await person.says("1")
    assert "لمن هذا الطلب؟" in said[-1].text
    said = await person.says(f"وش صار على طلبي {filed.number}", worker=1)
    card = next(r for r in said if filed.number in r.text)
    assert card.choices and not card.numbered
    assert "لمن هذا الطلب؟" in said[-1].text and said[-1].numbered
    said = await person.says("1")  # «لي أنا»
    assert "أين أنت الآن؟" in said[-1].text, said[-1].text
    said = await person.taps(card.choices[0].id, worker=1)  # «أضف ملاحظة لطلبي»
    assert "ملاحظة" in said[-1].text, said[-1].text
