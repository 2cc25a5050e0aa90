"""The mobile number already in a request is named and kept by «نفس الرقم» when the
phone step is asked again, over two workers on the shared Redis and SQL (SQLite and
PostgreSQL): session 25's probe, where going back to fix the identity number asked for the
mobile anew and «نفس الرقم» was «not a mobile number»."""

from __future__ import annotations

from tests.integration.test_their_say import Person, _half_filled
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_the_mobile_is_kept_after_the_identity_is_corrected_over_two_workers(
    person: Person,
) -> None:
    await _half_filled(person)  # at the phone step, on worker 0
    said = await person.says("0551234567", worker=1)
    assert "يُرجى وصف طلبك" in said[-1].text, said[-1].text
    await person.says("رجوع", worker=0)  # to the phone step
    said = await person.says("رجوع", worker=1)  # to the identity number
    assert "رقم هويتك" in said[-1].text, said[-1].text
    said = await person.says("2000000014", worker=0)
    assert "رقم الجوال في طلبك هو ⁨+966551234567⁩" in said[-1].text, said[-1].text
    assert "keep_phone" in [c.id for c in said[-1].choices]
    said = await person.says("نفس الرقم", worker=1)
    assert "يُرجى وصف طلبك" in said[-1].text, said[-1].text
    said = await person.says("رجوع", worker=0)
    said = await person.taps("keep_phone", worker=1)
    assert "يُرجى وصف طلبك" in said[-1].text, said[-1].text
