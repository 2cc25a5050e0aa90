"""A request number and its identity number sent together from another chat, over two
workers: the status shown at once, not the identity number asked for again (helper 233);
a wrong identity number beside it is one failed attempt, counted in the shared Redis. On
real parts: the shared Redis dialogue store and attempt limiter, and SQL (SQLite and
PostgreSQL)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from conversations.events import Contact, Origin
from tests.integration.test_change_wishes_workers import filed_request
from tests.integration.test_their_say import Person, _half_filled
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


class Relative(Person):
    """Someone else on Telegram, asking about the person's request from their own chat."""

    def origin(self) -> Origin:
        return Origin("telegram", "5551999", f"r{next(self.ids)}")


async def test_both_numbers_in_one_message_from_another_chat_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _half_filled(person)  # an iqama renewal by 2000000006, at the phone step
    await person.send(Contact(person.origin(), "+966501234567", True), worker=1)
    await person.says("انتهت الإقامة وأحتاج إلى تجديدها قبل السفر", worker=0)
    filed = await filed_request(person, db_sessionmaker)
    relative = Relative(person.workers)
    said = await relative.says(f"وش صار على الطلب {filed.number} 2000000014", worker=1)
    text = "\n".join(r.text for r in said)
    assert "لم نجد طلبًا يطابق رقم الطلب ورقم الهوية" in text, text  # a wrong one: a miss
    said = await relative.says(f"{filed.number} 2000000006", worker=0)
    text = "\n".join(r.text for r in said)
    assert "الحالة:" in text and "لم يُقدَّم هذا الطلب من هذه المحادثة" not in text, text
    assert "another" in [c.id for c in said[-1].choices], text
