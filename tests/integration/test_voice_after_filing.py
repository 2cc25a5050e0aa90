"""A voice note (a round video) sent where nothing is being filled in, on Telegram: real
update payloads through aiogram's dispatcher and the Bot API stand-in, two workers on the
shared Redis and the SQL desk (SQLite and PostgreSQL). Found by the fresh-clone tester: a
voice note sent as the answer to an officer's question, or after filing, got only the
first menu, with no word of it, so the person thought they had answered."""

from __future__ import annotations

from pathlib import Path

from redis.asyncio import Redis

from bot.db.requests_repo import SqlRequestGateway
from bot.redis_store.dialogue import RedisDialogueStore
from bot.staff.desk import StaffDesk
from domain.normalize import clean_input
from domain.status import RequestStatus
from standins.telegram_updates import TgUser, UpdateFactory
from tests.integration.test_db_requests import submission
from tests.integration.test_their_say import OFFICER, Clock
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say_telegram import _two_workers, _Workers

__all__ = ["clock", "desk", "filing"]

UNHEARD = "لا أستطيع الاستماع إلى الرسائل الصوتية"
NOT_TAKEN = "لم تُحتسب رسالتك ردًّا"
FIRST_MENU = "هل يُقدَّم الطلب بصفة فرد"
QUESTION = "ما تاريخ انتهاء الإقامة؟"


async def workers_state(redis_client: Redis, user: TgUser) -> str:
    """The step the person is at, as every worker reads it from Redis."""
    state = await RedisDialogueStore(redis_client).load("telegram", str(user.id))
    return state.step


async def _said(workers: _Workers, user: TgUser, raw: dict[str, object], worker: int) -> str:
    """One update from ``user`` through worker ``worker``; what they read in answer."""
    before = len(workers.api.texts(user.id))
    await workers.feed(raw, worker)
    return clean_input("\n".join(workers.api.texts(user.id)[before:]))


async def test_a_voice_note_while_an_officer_waits_is_explained_and_the_question_stays(
    tmp_path: Path,
    redis_client: Redis,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    clock: Clock,
) -> None:
    amal = TgUser(5_600_000_001, "أمل")
    updates = UpdateFactory()
    filed = await filing.submit(submission(user_key=str(amal.id)))
    await desk.ask(filed.number, OFFICER, QUESTION)
    async with _two_workers(redis_client, filing, desk, clock, tmp_path) as workers:
        said = await _said(workers, amal, updates.voice(amal), 0)
        assert UNHEARD in said and NOT_TAKEN in said
        assert QUESTION in said and filed.number in said
        assert "كتابة إجابتك عن سؤال الموظف" in said
        assert FIRST_MENU not in said
        record = await desk.find(filed.number)
        assert record is not None and record.status is RequestStatus.NEEDS_INFO
        # a round video message likewise, on the other worker
        said = await _said(workers, amal, updates.video_note(amal), 1)
        assert NOT_TAKEN in said and QUESTION in said and FIRST_MENU not in said
        # the typed answer, on the other worker, is taken as ever: nothing was lost
        said = await _said(workers, amal, updates.text(amal, "تنتهي يوم ١٥ ديسمبر"), 1)
        assert "لم تُرسل بعد" in said
        said = await _said(workers, amal, updates.text(amal, "تم"), 0)
        assert "أُضيف ردّك" in said
    record = await desk.find(filed.number)
    assert record is not None and record.status is RequestStatus.UNDER_REVIEW
    assert record.events[-1].reason == "تنتهي يوم ١٥ ديسمبر"


async def test_a_voice_note_after_filing_is_explained_above_the_first_menu(
    tmp_path: Path,
    redis_client: Redis,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    clock: Clock,
) -> None:
    badr = TgUser(5_600_000_002, "بدر")
    updates = UpdateFactory()
    await filing.submit(submission(user_key=str(badr.id)))
    async with _two_workers(redis_client, filing, desk, clock, tmp_path) as workers:
        said = await _said(workers, badr, updates.voice(badr), 1)
        assert UNHEARD in said and FIRST_MENU in said
        assert NOT_TAKEN not in said  # no officer waits: nothing about an answer
        assert said.index(UNHEARD) < said.index(FIRST_MENU)
        # at the first question now: a sticker and another voice note, on either worker,
        # are each explained, and the question's buttons stay
        said = await _said(workers, badr, updates.sticker(badr), 0)
        assert "لا يمكن استخدام الملصقات" in said
        said = await _said(workers, badr, updates.voice(badr), 1)
        assert UNHEARD in said
        state = await workers_state(redis_client, badr)
        assert state == "applicant"
