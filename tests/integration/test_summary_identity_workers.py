"""A new identity number typed at the summary on one worker is put in on the other, over
one Redis and the database (the offer lives in the dialogue state): tester 13 §13, where
«٢٠٠٠٠٠٠٠٠٦» at the summary got only «فضلًا اضغط «تأكيد وإرسال»»."""

from __future__ import annotations

from tests.integration.test_open_request_warning import _to_identity, _to_summary
from tests.integration.test_their_say import Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person

__all__ = ["clock", "desk", "filing", "person"]  # the fixtures


async def test_a_number_typed_at_the_summary_is_put_in_over_two_workers(person: Person) -> None:
    await _to_identity(person, "2000000006")
    await _to_summary(person)
    said = await person.says("٢١٢٣٤٥٦٧٨٨", worker=0)
    assert "2123456788" in said[-1].text, said[-1].text
    assert said[-1].choices[0].id == "e:id_typed"
    said = await person.taps("e:id_typed", worker=1)
    assert "2123456788" in said[-1].text
    assert said[-1].choices[0].id == "confirm"
    said = await person.says("تعديل الاقامة", worker=0)
    assert "confirm" not in [c.id for c in said[-1].choices]
