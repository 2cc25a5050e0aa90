"""After a refusal, on two workers sharing Redis and the database (SQLite and
PostgreSQL): the refused answer (conversations.flows.refusals) is in the dialogue state,
so the explanation answered on the other worker is acknowledged with what to do instead
and does not offer the refused service again (tester 11, fault 7: a loop back to «ما
جنسية الزائر؟»); the changed answer files the request. Also a bare «اخوي» right after
the «شخص آخر» refusal and a place typed at the first question, read by the other worker."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Request
from bot.db.requests_repo import SqlRequestGateway
from bot.staff.desk import StaffDesk
from conversations.events import Command, Contact, Media, Reply
from domain.normalize import clean_input
from tests.integration.test_their_say import Person, clock, desk, filing, person

__all__ = ["clock", "desk", "filing", "person"]

NATIONALITY = "ما جنسية الزائر؟"
UNDERSTOOD = "أتفهّم ذلك، ويؤسفني أن الطلب لا يُقدَّم من هنا"
INSTEAD = "حجز موعد عبر أبشر، ثم مراجعة أقرب فرع للجوازات"
FOR_WHOM = "لمن هذا الطلب؟"
WHERE = "أين صاحب الإقامة الآن؟"
WHERE_SELF = "أين أنت الآن؟"  # asked so of one's own request (helper 21, §8)


def _said(replies: list[Reply]) -> str:
    return clean_input("\n".join(r.text for r in replies))


def _choices(replies: list[Reply]) -> list[str]:
    return [c.id for r in replies for c in r.choices]


async def _filed(person: Person, sessions: async_sessionmaker[AsyncSession]) -> Request:
    """From the phone step on, on alternate workers; the filed row."""
    await person.send(Contact(person.origin(), "+966501234567", True), 0)
    await person.says("الزائرة والدتي وتحتاج تمديد الزيارة شهرًا آخر بسبب مرضها", 1)
    photo = Media(person.origin(), "photo", "file-9", "image/jpeg", 1000, None, "cd" * 32)
    await person.send(photo, 0)
    await person.taps("done", 1)
    said = _said(await person.taps("confirm", 0))
    assert "تم استلام طلبك" in said, said
    async with sessions() as session:
        return (await session.scalars(select(Request))).one()


async def test_the_explanation_after_the_refusal_is_answered_on_the_other_worker(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    await person.send(Command(person.origin(), "start", ""))
    await person.says("ابي تمديد زيارة امي", 1)
    assert _said(await person.says("١", 0)) == NATIONALITY
    await person.says("3000000001", 1)
    said = _said(await person.says("مصريه", 0))
    assert "متاح للجنسيتين السورية واليمنية فقط" in said
    replies = await person.says("امي جات زيارة عائلية وتبي تمدد شهر ثاني لانها مريضة", 1)
    said = _said(replies)
    assert UNDERSTOOD in said and INSTEAD in said  # before: «أيّ هذه الخدمات هي المطلوبة؟»
    assert "s:visit_visa_extension" not in _choices(replies)
    # «what now?» on the other worker: the same (the lead's probe: «لم أتمكن…»)
    said = _said(await person.says("طيب وش الحل", 0))
    assert UNDERSTOOD in said and INSTEAD in said, said
    await person.taps("other", 0)
    replies = await person.says("تمديد زيارة", 1)  # named again: never the question again
    assert UNDERSTOOD in _said(replies) and "q:other" not in _choices(replies)
    said = _said(await person.says("لا هي سورية", 0))  # the answer changed
    assert f"سجّلتُ إجابة «{NATIONALITY}»: «الجنسية السورية»" in said
    row = await _filed(person, db_sessionmaker)
    assert row.service_id == "visit_visa_extension"
    assert row.eligibility == {"nationality": "syrian"}


async def test_a_place_and_a_bare_family_word_are_read_on_the_other_worker(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    await person.send(Command(person.origin(), "start", ""))
    said = _said(await person.says("انا في مصر", 1))  # at the first question
    assert "فهمتُ أنك خارج المملكة، وإن كان الطلب لك أنت" in said
    await person.taps("ind", 0)
    await person.says("ابي اجدد اقامة", 1)
    await person.taps("s:iqama_renew", 0)
    said = _said(await person.taps("q:someone_else", 1))
    assert "لا يُقبل الطلب إلا من صاحب الشأن نفسه" in said
    said = _said(await person.says("اخوي", 0))  # before: searched as a service
    assert f"سجّلتُ إجابة «{FOR_WHOM}»: «تابع لي أو مكفول لدي»" in said
    # the place was the writer's («انا»), not the brother's: asked (review 11, item 8)
    assert "فهمتُ أنك أنت خارج المملكة، أما هذا السؤال فعن صاحب الإقامة." in said
    assert WHERE in said and f"سجّلتُ إجابة «{WHERE}»" not in said
    await person.taps("q:inside", 1)
    await person.says("2000000006", 0)
    row = await _filed(person, db_sessionmaker)
    assert row.eligibility == {"for_whom": "family", "location": "inside"}


async def test_a_place_alone_first_is_kept_and_names_no_service_on_the_other_worker(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Session 12, task 4: «السلام عليكم انا برا المملكه» as the first message offered
    «تجديد هوية مقيم», never named; now only the place is kept (in the dialogue state, the
    writer's), and the other worker credits it to the person's own iqama."""
    replies = await person.says("السلام عليكم انا برا المملكه", 1)
    said = _said(replies)
    assert (
        said.startswith("وعليكم السلام") and "فهمتُ أنك خارج المملكة، وإن كان الطلب لك أنت" in said
    )
    assert not any(c.startswith("s:") for c in _choices(replies)), _choices(replies)
    assert "ind" in _choices(replies)
    await person.taps("ind", 0)
    await person.says("ابي اجدد اقامتي", 1)
    said = _said(await person.taps("s:iqama_renew", 0))
    assert f"بحسب ما ورد في رسالتك، سجّلتُ إجابة «{WHERE_SELF}»: «خارج المملكة»" in said
    await person.says("2000000006", 1)
    row = await _filed(person, db_sessionmaker)
    assert row.service_id == "iqama_renew"
    assert row.eligibility == {"for_whom": "self", "location": "outside"}


async def test_a_nationality_changed_in_a_sentence_lifts_the_refusal_on_the_other_worker(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Session 12, task 5: after «مصريه» refused the extension, a sentence that changes the
    nationality got the refusal again; now the other worker reads the refused answer from
    the dialogue state and takes the change."""
    await person.send(Command(person.origin(), "start", ""))
    await person.says("ابي تمديد زيارة امي", 1)
    await person.says("١", 0)
    await person.says("3000000001", 1)
    assert "متاح للجنسيتين السورية واليمنية فقط" in _said(await person.says("مصريه", 0))
    said = _said(
        await person.says("عفوا غلطت امي سورية الجنسية وجات زيارة عائلية وتبي تمدد شهر ثاني", 1)
    )
    assert UNDERSTOOD not in said, said
    assert said.startswith(f"بحسب ما ورد في رسالتك، سجّلتُ إجابة «{NATIONALITY}»: «الجنسية السورية».")
    row = await _filed(person, db_sessionmaker)
    assert row.service_id == "visit_visa_extension"
    assert row.eligibility == {"nationality": "syrian"}
