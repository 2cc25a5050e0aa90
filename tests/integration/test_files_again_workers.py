"""«إعادة إرسال المستندات» over two workers: the files sent are set aside in the shared
dialogue state, and «رجوع» on the other worker gives them back, filed as sent (helper
233: the button dropped them without a word). On real parts: the shared Redis dialogue
store and SQL (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Attachment, Request
from conversations.events import Contact, Media
from tests.integration.test_their_say import USER, Person, _half_filled
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


def _photo(person: Person, ref: str) -> Media:
    return Media(person.origin(), "photo", ref, "image/jpeg", 1000, None, ref[-1] * 64)


async def test_files_set_aside_come_back_or_are_said_replaced_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _half_filled(person)  # at the phone step, on worker 0
    await person.send(Contact(person.origin(), "+966501234567", True), worker=1)
    await person.says("انتهت الإقامة وأحتاج إلى تجديدها قبل السفر", worker=0)
    await person.send(_photo(person, "file-a"), worker=1)
    await person.send(_photo(person, "file-b"), worker=0)
    said = await person.taps("done", worker=1)
    assert "المرفقات: ملفان" in said[-1].text, said[-1].text
    said = await person.taps("e:files", worker=0)
    text = "\n".join(r.text for r in said)
    assert "محلّ الملفين اللذين أرسلتهما من قبل" in text, text
    said = await person.says("رجوع", worker=1)
    text = "\n".join(r.text for r in said)
    assert "أبقيتُ الملفين" in text and "المرفقات: ملفان" in text, text
    await person.taps("e:files", worker=0)
    await person.send(_photo(person, "file-c"), worker=1)
    said = await person.says("رجوع", worker=0)  # a new file came: it replaces, said so
    text = "\n".join(r.text for r in said)
    assert "حلّ الملف الذي أرسلته الآن محلّ" in text and "المرفقات: ملف واحد" in text, text
    await person.taps("confirm", worker=1)
    async with db_sessionmaker() as session:
        refs = await session.scalars(
            select(Attachment.channel_ref)
            .join(Request, Attachment.request_id == Request.id)
            .where(Request.user_key == USER)
        )
        assert sorted(refs) == ["file-c"]
