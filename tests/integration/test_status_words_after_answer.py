"""After a status answer, «ارسال» and «رقم طلب آخر» typed at «أيّ هذه الخدمات هي المطلوبة؟»
are read for what they say, on two workers sharing one Redis and one database (SQLite
and PostgreSQL), fed Telegram's real update shapes: the answer, the service list and the
words each reach the other worker. Before, both were read as a service search."""

from __future__ import annotations

from tests.integration.test_db_requests import submission
from tests.integration.test_status_prompt_exits import PROMPT, SALEM, TwoTelegram, _filed, tg

__all__ = ["tg"]


async def test_telegram_send_and_another_number_at_which_services(tg: TwoTelegram) -> None:
    filing = tg.services[0].gateway
    user_key = str(SALEM.id)
    await filing.submit(submission(key="a", user_key=user_key))
    second = await filing.submit(
        submission(key="b", user_key=user_key, service_id="passport_renew")
    )
    await tg.says(0, "/start")
    assert "طلباتك" in await tg.says(1, "وين طلبي")
    said = await tg.feed(0, tg.updates.callback(SALEM, f"r:{second.number}"))
    assert f"الطلب رقم {second.number}" in said, said
    assert "أيّ هذه الخدمات هي المطلوبة؟" in await tg.says(1, "ابي اجدد")
    said = await tg.says(0, "ارسال")
    assert "لا يوجد لديك طلب بانتظار الإرسال" in said and "«تأكيد وإرسال»" in said, said
    assert "أيّ هذه الخدمات هي المطلوبة؟" in said, said
    said = await tg.says(1, "رقم طلب آخر")
    assert PROMPT in said and "هل هذه هي الخدمة" not in said, said
    said = await tg.says(0, second.number)
    assert f"الطلب رقم {second.number}" in said, said
    assert len(await _filed(tg.services[1])) == 2  # nothing more was filed
