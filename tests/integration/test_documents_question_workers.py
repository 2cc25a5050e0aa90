"""A question about a named service's documents over two workers on the shared Redis
and SQL (SQLite and PostgreSQL): helper 22 (§3), «وش الاوراق المطلوبه لتجديد الجواز» got
the iqama's conditions. It is the passport's documents, with «تقديم طلب الآن» for it,
which the other worker takes; mid-request, the step goes on on either worker."""

from __future__ import annotations

from conversations.events import Command, Contact
from tests.integration.test_their_say import Person, _half_filled
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_the_named_services_documents_and_its_offer_over_two_workers(
    person: Person,
) -> None:
    await person.send(Command(person.origin(), "start", ""), worker=0)
    said = await person.says("وش الاوراق المطلوبه لتجديد الجواز", worker=1)
    text = "\n".join(r.text for r in said)
    assert "«تجديد جواز السفر (للمواطنين فقط)»" in text and "صورة الجواز الحالي" in text, text
    assert "أن يكون صاحب الإقامة داخل المملكة" not in text, text
    assert "file:passport_renew" in [c.id for c in said[-1].choices]
    said = await person.taps("file:passport_renew", worker=0)
    assert "تجديد جواز السفر" in "\n".join(r.text for r in said)


async def test_documents_asked_mid_request_keep_the_step_over_two_workers(person: Person) -> None:
    await _half_filled(person)  # an iqama renewal at the phone step, on worker 0
    said = await person.says("وش الاوراق المطلوبه لتجديد الجواز؟", worker=1)
    text = "\n".join(r.text for r in said)
    assert "صورة الجواز الحالي" in text and "رقم جوالك" in said[-1].text, text
    said = await person.send(Contact(person.origin(), "+966501234567", True), worker=0)
    assert "يُرجى وصف طلبك" in said[-1].text, said[-1].text
