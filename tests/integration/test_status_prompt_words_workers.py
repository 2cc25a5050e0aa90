"""The look-up's number prompt over two workers (helper 233): «ما عندي رقم الطلب ضاع» is
told where the number is and «الثاني» asked for it, neither offered as a request to file;
a number typed next on the other worker is looked up. On real parts: the shared Redis
dialogue store and attempt limiter, and SQL (SQLite and PostgreSQL)."""

from __future__ import annotations

from conversations.events import Command
from tests.integration.test_their_say import Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_no_number_and_an_ordinal_at_the_prompt_over_two_workers(person: Person) -> None:
    await person.send(Command(person.origin(), "start", ""), worker=0)
    said = await person.taps("status", worker=1)
    assert "يُرجى كتابة رقم الطلب" in said[-1].text, said[-1].text
    said = await person.says("ما عندي رقم الطلب ضاع", worker=0)
    text = "\n".join(r.text for r in said)
    assert "وليس رقم طلب" not in text and "موجود في رسالة «تم استلام طلبك»" in text, text
    said = await person.says("الثاني", worker=1)
    text = "\n".join(r.text for r in said)
    assert "وليس رقم طلب" not in text and "يُرجى كتابة رقم الطلب" in text, text
    said = await person.says("6443424277", worker=0)
    text = "\n".join(r.text for r in said)
    assert "لم يُقدَّم هذا الطلب من هذه المحادثة" in text, text  # looked up, not theirs
