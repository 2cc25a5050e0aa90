"""Ordinals at the status list pick the listed request (review 11, §5) on two workers
sharing one Redis and one database (SQLite and PostgreSQL), fed Telegram's real update
shapes: the list is kept in the dialogue state (Redis), so «الاول» read on the other
worker picks the row shown by the first. Before, «الاول» was read as a wish to file
«إصدار جواز سفر سعودي» and «اخر واحد» opened «اكتب رقم الطلب»."""

from __future__ import annotations

from domain.normalize import clean_input
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


async def test_two_requests_for_one_service_are_told_apart_on_two_workers(tg: TwoTelegram) -> None:
    """Fresh-clone tester 14 (§5): two «تجديد هوية مقيم», the person's own and their
    wife's, were listed with nothing to tell them apart. Filed in SQL with whom each is for;
    the list (worker 0) and the note picker (worker 1) name it on each button, with the
    day each was filed in both calendars, and no identity number in clear."""
    filing = tg.services[0].gateway
    user_key = str(SALEM.id)
    own = await filing.submit(
        submission(key="a", user_key=user_key, eligibility={"for_whom": "self"})
    )
    wifes = await filing.submit(
        submission(
            key="b",
            user_key=user_key,
            identity_number="2123456788",
            eligibility={"for_whom": "family"},
        )
    )
    await tg.says(0, "/start")
    for worker, asked, prefix in (
        (0, "وش صار على طلبي", "r:"),
        (1, "ابي الغي طلبي اللي قدمته", "note:"),
    ):
        said = await tg.says(worker, asked)
        markup = tg.api.last_keyboard(SALEM.id) or {}
        labels = {
            str(b["callback_data"]).split("~")[0].removeprefix(prefix): clean_input(b["text"])
            for row in markup.get("inline_keyboard", [])
            for b in row
            if str(b["callback_data"]).startswith(prefix)
        }
        assert labels[own.number].endswith("تجديد هوية مقيم · لي أنا"), labels
        assert labels[wifes.number].endswith("تجديد هوية مقيم · تابع لي أو مكفول لدي"), labels
        assert f"{own.number}: قُدّم يوم " in said and "هـ، الموافق " in said, said
        shown = said + " ".join(labels.values())
        assert "2000000006" not in shown and "2123456788" not in shown
        await tg.says(worker, "إلغاء")
