"""Ordinals at the status list pick the listed request (review 11, §5) on two workers
sharing one Redis and one database (SQLite and PostgreSQL), fed Telegram's real update
shapes: the list is kept in the dialogue state (Redis), so «الاول» read on the other
worker picks the row shown by the first. Before, «الاول» was read as a wish to file
«إصدار جواز سفر سعودي» and «اخر واحد» opened «اكتب رقم الطلب»."""

from __future__ import annotations

from tests.integration.test_db_requests import submission
from tests.integration.test_status_prompt_exits import PROMPT, SALEM, TwoTelegram, tg

__all__ = ["tg"]


async def test_telegram_ordinals_at_the_list_on_two_workers(tg: TwoTelegram) -> None:
    filing = tg.services[0].gateway
    user_key = str(SALEM.id)
    await filing.submit(submission(key="a", user_key=user_key))
    await filing.submit(submission(key="b", user_key=user_key, service_id="passport_renew"))
    await tg.says(0, "/start")
    said = await tg.says(0, "وين طلبي")
    assert "طلباتك" in said, said
    listed = [b.removeprefix("r:") for b in tg.buttons() if b.startswith("r:")]
    assert len(listed) == 2
    said = await tg.says(1, "الاول")
    assert "إصدار جواز سفر سعودي" not in said and f"الطلب رقم {listed[0]}" in said, said
    await tg.says(1, "/status")
    said = await tg.says(0, "اخر واحد")
    assert PROMPT not in said and f"الطلب رقم {listed[1]}" in said, said
