"""Photos sent at the status look-up's prompt go to the draft waiting at its documents
step (review 11, §14), on two workers sharing one Redis and one database, fed the real
update shapes of Telegram (Bot API stand-in) and WhatsApp (signed Graph webhook bodies,
Graph API stand-in). Before, «وصلت الصورة، لكن هذه الخطوة لا تأخذ ملفات، فلم نحتفظ بها»
(singular for an album of two) and the photos were dropped. The draft put aside and the
album's count live in Redis, so which worker takes each photo does not matter; the
channels download a photo only when the dialogue wants it (Engine.wants_files), which
must be so at the prompt when the draft waiting takes files."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.app import Services
from bot.db.models import Attachment, Request
from standins.telegram_botapi import fake_file_id
from tests import samples
from tests.integration.test_status_prompt_exits import DESCRIPTION, PROMPT, SALEM, TwoTelegram, tg
from tests.integration.test_whatsapp_album_count import MONA, Workers, w_db

__all__ = ["tg", "w_db"]

REFUSED = "لا تأخذ ملفات"
TAKEN = "هذا ليس رقم طلب، فأضفتُ ما أرسلته إلى طلبك الذي لم يُرسَل بعد"


async def _files_filed(services: Services) -> list[int]:
    """For each request filed, how many files it has."""
    async with services.sessions() as session:
        requests = list(await session.scalars(select(Request)))
        return [
            int(
                await session.scalar(
                    select(func.count())
                    .select_from(Attachment)
                    .where(Attachment.request_id == r.id)
                )
                or 0
            )
            for r in requests
        ]


async def test_telegram_a_photo_at_the_number_prompt_goes_to_the_waiting_draft(
    tg: TwoTelegram,
) -> None:
    u = tg.updates
    steps: list[dict[str, Any]] = [
        u.text(SALEM, "/start"),
        u.text(SALEM, "ابي اجدد اقامتي"),
        u.text(SALEM, "1"),
        u.text(SALEM, "1"),
        u.text(SALEM, "2000000006"),
        u.contact(SALEM, "966501234567", own=True),
        u.text(SALEM, DESCRIPTION),
    ]
    for n, raw in enumerate(steps):
        said = await tg.feed(n % 2, raw)
    assert "إرسال صور أو ملفات PDF" in said, said
    assert PROMPT in await tg.says(0, "/status")
    file_id = fake_file_id("photo")
    tg.api.add_file(file_id, samples.png())
    said = await tg.feed(1, u.photo(SALEM, file_id, file_size=len(samples.png())))
    assert REFUSED not in said and TAKEN in said and "وصلتني الصورة" in said, said
    said = await tg.feed(0, u.callback(SALEM, "done"))
    assert "يُرجى مراجعة طلبك" in said, said
    said = await tg.feed(1, u.callback(SALEM, "confirm"))
    assert "تم استلام طلبك" in said, said
    assert await _files_filed(tg.services[0]) == [1]


async def test_whatsapp_an_album_at_the_number_prompt_is_kept_and_counted(w_db: Workers) -> None:
    """The review's sequence: «وين طلبي» at the documents step, then an album of two
    photos, its two webhook calls to the two workers."""
    w = w_db
    await w.say(w.payloads.text(MONA, "وين طلبي"), worker=1)
    assert PROMPT in w.texts()[-1], w.texts()[-1]
    before = len(w.texts())
    await w.post(0, w.photo(1))
    await w.post(1, w.photo(2))
    await w.settle()
    said = "\n".join(w.texts()[before:])
    assert REFUSED not in said and TAKEN in said and "وصلتني صورتان" in said, said
    await w.say(w.payloads.button_reply(MONA, "done", "تم"), worker=1)
    assert "المرفقات: ملفان" in w.texts()[-1], w.texts()[-1]
    await w.say(w.payloads.button_reply(MONA, "confirm", "تأكيد وإرسال"))
    assert "تم استلام طلبك" in w.texts()[-1] or any("تم استلام طلبك" in t for t in w.texts()[-3:])
    assert await _files_filed(w.services) == [2]
