"""An undo with no decision to undo says so, at both doors, and never that the person has
been told (found by the fresh-clone tester: a second `tawasul staff undo` answered «فات وقت
التراجع … لأن صاحبه بُلّغ. أعد فتحه بدلًا من ذلك.», exit 1, though nobody had been told).
At the terminal: the real CLI process. In the staff group: «↩️» pressed on two workers at
once (two dispatchers on one Redis and database), the second after the first undid it; it
got the reopen prompt, «the person has already been told». SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.requests_repo import RequestRecord, SqlRequestGateway
from bot.staff.desk import StaffDesk
from domain.catalogue import load_catalogue
from domain.status import RequestStatus
from tests.integration.test_db_requests import submission
from tests.integration.test_staff_cli import staff
from tests.integration.test_staff_menu_replies import _feed, _notices, _worker
from tests.integration.test_staff_router import GRACE_S, OFFICER, STAFF_CHAT, Harness, h

__all__ = ["h"]  # the fixture


async def test_a_second_undo_finds_no_decision_and_says_nobody_was_told(
    db_url: str, tmp_path: Path, gateway: SqlRequestGateway
) -> None:
    number = (await gateway.submit(submission())).number
    officer = ("--officer", "noura")
    staff(db_url, tmp_path, "reject", number, *officer, "الجواز منتهي، جدده أولًا", grace_s=600)
    done = staff(db_url, tmp_path, "undo", number, *officer, grace_s=600)
    assert f"أُلغي القرار على الطلب {number}، ولم يُبلَّغ صاحبه." in done.stdout

    again = staff(db_url, tmp_path, "undo", number, *officer, grace_s=600, code=1)
    said = again.stderr.strip()
    assert said == f"لا يوجد قرار للتراجع عنه في الطلب {number}؛ حالته الآن «قيد الدراسة».", said
    assert again.stdout == ""
    record = await gateway.get_by_number(number)
    assert record is not None and record.status is RequestStatus.UNDER_REVIEW

    # a request never decided has none either
    fresh = (await gateway.submit(submission("draft-2", user_key="other"))).number
    never = staff(db_url, tmp_path, "undo", fresh, *officer, code=1, grace_s=600)
    assert "لا يوجد قرار للتراجع عنه" in never.stderr and "بُلّغ" not in never.stderr
    english = staff(db_url, tmp_path, "undo", fresh, *officer, "--lang", "en", code=1)
    assert english.stderr.strip() == f"Request {fresh} has no decision to undo; it is «New»."


class _ReadThenWait(StaffDesk):
    """A worker that reads the request, then waits (for the other worker to act) before
    it goes on: the interleaving of two workers handling two presses at once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.read = asyncio.Event()
        self.go = asyncio.Event()

    async def find(self, number: str) -> RequestRecord | None:
        record = await super().find(number)
        self.read.set()
        await self.go.wait()
        return record


async def test_undo_pressed_on_two_workers_at_once_is_not_said_to_be_too_late(
    h: Harness,
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    number = await h.file()
    card = await h.card(number)
    await h.press(OFFICER, "take", card)
    await h.press(OFFICER, "no", card)
    await h.press(OFFICER, "nr:0", h.api.last_message(STAFF_CHAT) or {})
    assert await h.status(number) is RequestStatus.REJECTED
    decided = await h.card(number)
    slow = _ReadThenWait(db_sessionmaker, load_catalogue(), clock=h.clock, decision_grace_s=GRACE_S)
    other = _worker(h, redis_client, db_sessionmaker, tmp_path, desk=slow)

    second = asyncio.create_task(
        _feed(h, other, h.updates.callback(OFFICER, _undo(h, decided), message=decided))
    )
    await asyncio.wait_for(slow.read.wait(), 10)  # the second worker saw it decided
    await h.press(OFFICER, "re", decided)  # the first undoes it
    slow.go.set()
    await asyncio.wait_for(second, 10)

    assert await h.status(number) is RequestStatus.UNDER_REVIEW
    first, late = h.answers()[-2:]
    assert "أُلغي القرار" in first.params["text"]
    # not «the person has already been told … type why it is reopened», nor a prompt
    said = late.params["text"]
    assert "بُلّغ" not in said and "أُبلغ" not in said, said
    assert late.params["show_alert"] is True and number in said
    assert not [c for c in h.sent() if c.params.get("reply_markup", {}).get("force_reply")]
    h.clock.now += dt.timedelta(seconds=GRACE_S + 1)
    # nobody was told of the rejection (only of the take, «under review»)
    assert not [n for n in await _notices(h) if "لم تتم الموافقة" in n]


def _undo(h: Harness, card: dict[str, Any]) -> str:
    return h.data("re", card)
