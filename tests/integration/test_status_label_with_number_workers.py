"""«حالة طلبي <number>» over two workers on the shared Redis and the database: the number
typed with the button's words is looked up (helper 24's probe: it was asked for again)."""

from __future__ import annotations

from bot.db.requests_repo import SqlRequestGateway
from conversations.events import Command
from tests.integration.test_db_requests import submission
from tests.integration.test_their_say import USER, Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_the_number_typed_with_the_buttons_words_over_two_workers(
    person: Person, filing: SqlRequestGateway
) -> None:
    filed = await filing.submit(submission(user_key=USER))
    await person.send(Command(person.origin(), "start", ""), worker=0)
    said = await person.says(f"حالة طلبي {filed.number}", worker=1)
    text = "\n".join(r.text for r in said)
    assert filed.number in text and "يُرجى كتابة رقم الطلب" not in text, text
    said = await person.says("وش حالة طلبي 123", worker=0)
    assert "رقم الطلب يتكون من ١٠ أرقام" in said[-1].text, said[-1].text


async def test_a_year_with_the_buttons_words_lists_the_requests_over_two_workers(
    person: Person, filing: SqlRequestGateway
) -> None:
    filed = await filing.submit(submission(user_key=USER))
    await person.send(Command(person.origin(), "start", ""), worker=1)
    said = await person.says("حالة طلبي اللي قدمته 2024", worker=0)
    text = "\n".join(r.text for r in said)
    assert filed.number in text and "يتكون من ١٠ أرقام" not in text, text


async def test_a_request_number_in_words_at_the_identity_step_over_two_workers(
    person: Person, filing: SqlRequestGateway
) -> None:
    # helper 25: at another chat's identity step «حالة طلبي <number>» was told «الهوية
    # الوطنية تبدأ بـ١…»; a request number never starts so, and is looked up instead
    first = await filing.submit(submission("draft-a", user_key="5559001"))
    second = await filing.submit(
        submission("draft-b", user_key="5559001", identity_number="2000000014")
    )
    await person.send(Command(person.origin(), "start", ""), worker=0)
    said = await person.says(f"حالة طلبي {first.number}", worker=1)
    assert "رقم الهوية" in said[-1].text, said[-1].text
    said = await person.says(f"لا غلطت الرقم الصحيح {second.number}", worker=0)
    text = "\n".join(r.text for r in said)
    assert "الهوية الوطنية تبدأ بـ١" not in text and "رقم الهوية" in text, text
    said = await person.says("2000000014", worker=1)
    text = "\n".join(r.text for r in said)
    assert second.number in text and first.number not in text, text
