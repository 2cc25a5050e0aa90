"""The number steps' words over two workers (helper 233): «ما اذكره» at the identity step
says where the number is, «نفس الرقم اللي مسجل في ابشر» at the phone step asks for it
here, and neither is kept for the description the other worker shows. On real parts: the
shared Redis dialogue store and SQL (SQLite and PostgreSQL)."""

from __future__ import annotations

from conversations.events import Command, Contact
from tests.integration.test_their_say import Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_not_remembering_and_absher_at_the_number_steps_over_two_workers(
    person: Person,
) -> None:
    await person.send(Command(person.origin(), "start", ""), worker=0)
    for typed, worker in (("1", 1), ("ابي اجدد الاقامة", 0), ("1", 1), ("1", 0), ("1", 1)):
        await person.says(typed, worker=worker)
    said = await person.says("ما اذكره", worker=0)
    assert "رقم الإقامة مكتوب على بطاقة هوية مقيم" in "\n".join(r.text for r in said), said
    await person.says("2000000006", worker=1)
    said = await person.says("نفس الرقم اللي مسجل في ابشر", worker=0)
    assert "لا أستطيع الاطلاع على الأرقام المسجلة في أبشر" in said[-1].text, said[-1].text
    said = await person.send(Contact(person.origin(), "+966501234567", True), worker=1)
    text = "\n".join(r.text for r in said)
    assert "يُرجى وصف طلبك" in said[-1].text and "ابشر" not in text, text
