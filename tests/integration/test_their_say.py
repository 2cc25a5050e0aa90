"""Issue 13 on real parts: the person's say after filing (a note, a rating and comment, one
reconsideration), through the real engine and flows on the Redis dialogue store, the staff
desk on SQL (SQLite and PostgreSQL), two engines sharing them as two workers would."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from redis.asyncio import Redis
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import OutboxMessage, Request
from bot.db.requests_repo import SqlRequestGateway
from bot.gateway import Gateway
from bot.outbox.queue import replies_from_payload
from bot.redis_store.attempts import RedisAttemptLimiter
from bot.redis_store.dialogue import RedisDialogueStore
from bot.staff.callbacks import KEEP_REJECTED, REOPEN_ASKED, version
from bot.staff.cards import CardRenderer
from bot.staff.desk import StaffDesk
from bot.staff.schedule import StaffSchedule
from bot.staff.views import PLAIN, StaffViews
from conversations.engine import Engine
from conversations.events import Choice, Command, Event, Media, Origin, Reply, Text
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue
from domain.status import RequestStatus
from domain.their_say import SayRefused
from officers.officer import Officer
from tests.integration.test_db_requests import submission

OFFICER = Officer(7001, "نورة")
SUNDAY = dt.datetime(2026, 11, 22, 6, 0, tzinfo=dt.UTC)
USER = "5551001"


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


class Person:
    """One resident on Telegram, whose messages land on either of two workers."""

    def __init__(self, workers: list[Engine]) -> None:
        self.workers = workers
        self.ids = itertools.count(1)

    def origin(self) -> Origin:
        return Origin("telegram", USER, f"u{next(self.ids)}")

    async def send(self, event: Event, worker: int = 0) -> list[Reply]:
        return await self.workers[worker].handle(event)

    async def says(self, text: str, worker: int = 0) -> list[Reply]:
        return await self.send(Text(self.origin(), text), worker)

    async def taps(self, choice: str, worker: int = 0) -> list[Reply]:
        return await self.send(Choice(self.origin(), choice), worker)


@pytest.fixture
def clock() -> Clock:
    return Clock(SUNDAY)


@pytest.fixture
def desk(db_sessionmaker: async_sessionmaker[AsyncSession], clock: Clock) -> StaffDesk:
    return StaffDesk(db_sessionmaker, load_catalogue(), clock=clock, decision_grace_s=0)


@pytest.fixture
def filing(db_sessionmaker: async_sessionmaker[AsyncSession], clock: Clock) -> SqlRequestGateway:
    return SqlRequestGateway(db_sessionmaker, clock=clock)


@pytest.fixture
def person(redis_client: Redis, filing: SqlRequestGateway, desk: StaffDesk, clock: Clock) -> Person:
    catalogue = load_catalogue()
    return Person(
        [
            Engine(RedisDialogueStore(redis_client), INTAKE, catalogue, Gateway(filing, desk),
                   clock=clock, limiter=RedisAttemptLimiter(redis_client))
            for _worker in range(2)
        ]
    )  # fmt: skip


async def _rows(sessions: async_sessionmaker[AsyncSession], kind: str) -> list[OutboxMessage]:
    async with sessions() as session:
        return list(
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
            )
        )


async def _request(sessions: async_sessionmaker[AsyncSession], number: str) -> Request:
    async with sessions() as session:
        found = await session.scalar(select(Request).where(Request.number == number))
        assert found is not None
        return found


async def _notice_sent(sessions: async_sessionmaker[AsyncSession], number: str) -> None:
    """The outbox's dispatcher sent the person's notices about request ``number``, as it
    does once their grace is over (its own clock decides; the say reads what it wrote)."""
    async with sessions.begin() as session:
        request = await session.scalar(select(Request).where(Request.number == number))
        assert request is not None
        await session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.request_id == request.id,
                OutboxMessage.kind == "notify",
                OutboxMessage.sent_at.is_(None),
            )
            .values(sent_at=SUNDAY, delivery_status="sent")
        )


async def _half_filled(person: Person) -> str:
    """The person is in the middle of a new request: a service chosen, its questions
    answered, the identity number typed, now at the phone step. Returns the question they
    were on."""
    await person.send(Command(person.origin(), "start", ""))
    walk = (
        ("1", "ما الخدمة المطلوبة"),  # as an individual
        ("ابي اجدد الاقامة", "هل هذه هي الخدمة المطلوبة"),
        ("1", "لمن هذا الطلب؟"),  # iqama renewal
        ("1", "أين أنت الآن؟"),  # for myself
        ("1", "يُرجى كتابة رقم هويتك:"),  # inside the Kingdom: the writer's own number
    )
    for typed, next_question in walk:
        said = await person.says(typed)
        assert next_question in said[-1].text
    said = await person.says("2000000006")
    assert "رقم جوالك" in said[-1].text
    return said[-1].text


async def test_rating_mid_request_asks_the_comment_then_returns_to_the_draft(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    filed = await filing.submit(submission(user_key=USER))
    await desk.reject(filed.number, OFFICER, "المستندات ناقصة")
    [notice] = await _rows(db_sessionmaker, "notify")
    assert notice.payload.get("survey") is True
    replies = replies_from_payload(notice.payload)
    # the rejection offers one reconsideration; the survey follows with five buttons
    assert f"recon:{filed.number}" in [c.id for c in replies[0].choices]
    assert [c.id for c in replies[-1].choices] == [
        f"rate:{filed.number}:{r}" for r in (1, 2, 3, 4, 5)
    ]

    question = await _half_filled(person)
    # the person taps «⭐⭐» under the old notice, on the other worker
    said = await person.taps(f"rate:{filed.number}:2", worker=1)
    assert "يمكنك إضافة تعليق" in said[-1].text
    said = await person.says("الموظف ما رد علي <b>ابدا</b>")
    assert "سُجّل تعليقك" in said[0].text
    # back to the half-filled request, at the same step, nothing lost
    assert said[-1].text == question
    stored = await _request(db_sessionmaker, filed.number)
    assert (stored.satisfaction, stored.satisfaction_comment) == (
        2,
        "الموظف ما رد علي <b>ابدا</b>",
    )
    # a low rating's comment reaches the officers, the person's markup escaped
    [low] = [r for r in await _rows(db_sessionmaker, "staff_text") if "⚠️" in r.payload["html"]]
    assert "&lt;b&gt;ابدا&lt;/b&gt;" in low.payload["html"] and "<b>ابدا" not in low.payload["html"]
    # asked once: a second tap is thanked, and the step stays
    said = await person.taps(f"rate:{filed.number}:5")
    assert "سبق أن قيّمت" in said[0].text
    assert (await _request(db_sessionmaker, filed.number)).satisfaction == 2


async def test_satisfaction_is_asked_once_and_counted_per_department(
    redis_client: Redis,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> None:
    graced = StaffDesk(db_sessionmaker, load_catalogue(), clock=clock, decision_grace_s=60)
    first = await filing.submit(submission("k1", user_key=USER))
    # undone before the person was told: the question is due again with the next decision
    await graced.accept(first.number, OFFICER)
    await graced.undo(first.number, OFFICER)
    await desk.reject(first.number, OFFICER, "مكرر")
    await desk.reopen(first.number, OFFICER, "راجعنا الملف")
    await desk.accept(first.number, OFFICER)
    surveys = [r for r in await _rows(db_sessionmaker, "notify") if r.payload.get("survey")]
    # with the rejection, and again with the acceptance after the reopening: once per
    # decision (the undone acceptance, never seen, asked nothing)
    assert [r.payload["status"] for r in surveys] == ["rejected", "accepted"]
    second = await filing.submit(submission("k2", user_key=USER, service_id="passport_renew"))
    await desk.accept(second.number, OFFICER)
    await desk.rate(first.number, "telegram", USER, 4)
    await desk.rate(second.number, "telegram", USER, 1)
    stats = await desk.stats()
    assert stats.satisfaction == {"residency": (4.0, 1), "passports": (1.0, 1)}
    views = StaffViews(load_catalogue(), locale="en")
    text = views.stats(stats.by_status, stats.by_department, due_today=0, overdue=0,
                       fmt=PLAIN, satisfaction=stats.satisfaction)  # fmt: skip
    assert "Residency: 4.0 (1 rating)" in text and "Passports: 1.0 (1 rating)" in text
    digest = StaffSchedule(db_sessionmaker, redis_client, load_catalogue(), locale="en")
    # a day with something to count (a digest with nothing at all to report is one
    # «nothing to report» line; ratings alone count as something since efab413)
    html = digest.render_digest(
        SUNDAY.date(),
        new=[],
        open_=[],
        decided=[("iqama_renew", RequestStatus.ACCEPTED)],
        rated=[("iqama_renew", 4), ("iqama_renew", 2)],
    )
    assert "Residency: 3.0 (2 ratings)" in html


async def test_notes_from_two_workers_join_the_request_and_make_one_staff_message(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> None:
    filed = await filing.submit(submission(user_key=USER))
    before = await desk.find(filed.number)
    assert before is not None
    offered = version(before)
    question = await _half_filled(person)
    # their only request: its status is the answer, no list to choose from (45f2045)
    said = await person.send(Command(person.origin(), "status", ""))
    assert filed.number in " ".join(r.text for r in said)
    # the status answer offers the note (the draft is asked again after it)
    assert "أضف ملاحظة لطلبي" in [c.label for r in said for c in r.choices]
    said = await person.taps(f"note:{filed.number}", worker=1)
    assert "يُرجى كتابة ملاحظتك" in said[-1].text
    await person.says("تاريخ انتهاء الإقامة ١٥ ديسمبر", worker=0)
    photo = Media(person.origin(), "photo", "file-77", "image/jpeg", 1000, None, "ab" * 32)
    await person.send(photo, worker=1)
    said = await person.says("تم", worker=0)
    assert "أُضيفت ملاحظتك" in said[0].text
    assert said[-1].text == question  # the draft is back
    # a second note in the person's own words, a few seconds later
    clock.now += dt.timedelta(seconds=10)
    said = await person.says("ابي اضيف ملاحظة لطلبي", worker=1)
    assert "يُرجى كتابة ملاحظتك" in said[-1].text
    await person.says("رقم الجواز الجديد <i>X123</i>")
    await person.says("ارسل")
    record = await desk.find(filed.number)
    assert record is not None
    notes = [e for e in record.events if e.kind == "note"]
    assert [n.reason for n in notes] == [
        "تاريخ انتهاء الإقامة ١٥ ديسمبر (ملف واحد)",
        "رقم الجواز الجديد <i>X123</i>",
    ]
    assert notes[0].actor == f"resident:telegram:{USER}"
    assert record.attachments[-1].ref == "file-77"
    assert record.status is RequestStatus.RECEIVED  # nothing else changed
    # the officer's buttons still apply: notes are not a change to decide on
    assert version(record) == offered
    await desk.take(filed.number, OFFICER, offered=offered)
    # one staff message for both notes, held for the batch window, escaped
    [batch] = [r for r in await _rows(db_sessionmaker, "staff_text")
               if (r.dedupe_key or "").startswith("notes:")]  # fmt: skip
    assert "ملاحظتين" in batch.payload["html"].split("\n")[0]  # two notes (Arabic dual)
    assert "&lt;i&gt;X123&lt;/i&gt;" in batch.payload["html"]
    assert batch.next_attempt_at == SUNDAY + dt.timedelta(seconds=desk.note_batch_s)
    assert [r.payload.get("first") for r in await _rows(db_sessionmaker, "staff_album")] == [
        len(record.attachments) - 1
    ]
    # «staff show» lists them
    shown = StaffViews(load_catalogue(), locale="ar").summary(record, PLAIN, today=SUNDAY.date())
    assert "ملاحظات صاحب الطلب" in shown and "رقم الجواز الجديد <i>X123</i>" in shown
    assert "إضافة ملاحظة" in shown  # the audit trail
    # after the window, a new note opens a new message
    clock.now += dt.timedelta(seconds=desk.note_batch_s + 1)
    await person.taps(f"note:{filed.number}")
    await person.says("ملاحظة ثالثة")
    await person.says("تم")
    batches = [r for r in await _rows(db_sessionmaker, "staff_text")
               if (r.dedupe_key or "").startswith("notes:")]  # fmt: skip
    assert len(batches) == 2


async def test_a_note_on_a_decided_or_strangers_request_is_refused_politely(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    mine = await filing.submit(submission("k1", user_key=USER))
    theirs = await filing.submit(submission("k2", user_key="9990001"))
    await desk.accept(mine.number, OFFICER)
    await person.send(Command(person.origin(), "start", ""))
    said = await person.taps(f"note:{mine.number}")
    assert "صدر القرار" in said[0].text
    said = await person.taps(f"note:{theirs.number}")
    assert "لم نجد الطلب" in said[0].text
    said = await person.says("أضف ملاحظة لطلبي")
    assert "ليس لديك طلب مفتوح" in said[0].text


async def test_reconsideration_once_with_a_reason_then_kept_or_reopened(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    filed = await filing.submit(submission(user_key=USER))
    await desk.reject(filed.number, OFFICER, "المستندات ناقصة")
    await person.send(Command(person.origin(), "start", ""))
    said = await person.send(Command(person.origin(), "status", ""))
    assert "طلب إعادة النظر" in [c.label for r in said for c in r.choices]
    said = await person.taps(f"recon:{filed.number}", worker=1)
    assert "ما سبب طلب إعادة النظر" in said[-1].text
    said = await person.says("أرفقت التأمين الطبي في الصفحة الثانية")
    assert "أُرسل طلب إعادة النظر" in said[0].text
    record = await desk.find(filed.number)
    assert (
        record is not None and record.reconsider_reason == "أرفقت التأمين الطبي في الصفحة الثانية"
    )
    assert record.events[-1].kind == "reconsider"
    # the card proposes: reopen as asked, or keep rejected
    card = CardRenderer(StaffViews(load_catalogue(), locale="ar")).card(record, today=SUNDAY.date())
    datas = [b.data for row in card.buttons for b in row]
    # the proposal first (an officer may also block the person: issue 14)
    assert [d.split(":")[1] for d in datas][:2] == [REOPEN_ASKED, KEEP_REJECTED]
    assert "يطلب إعادة النظر" in card.html
    # twice is refused politely, by button and in words
    said = await person.taps(f"recon:{filed.number}")
    assert "لا يُطلب ذلك إلا مرة واحدة" in said[0].text
    said = await person.says("ابي اتظلم")
    assert "لا يُطلب ذلك إلا مرة واحدة" in said[0].text
    kept = await desk.keep_rejected(filed.number, OFFICER, offered=version(record))
    assert kept.status is RequestStatus.REJECTED and kept.reconsider_reason is None
    told = replies_from_payload((await _rows(db_sessionmaker, "notify"))[-1].payload)
    assert "بقي القرار كما هو" in told[0].text
    # the status no longer offers what can be asked only once (found by the fresh-clone
    # tester: «طلب إعادة النظر» stayed under the kept rejection)
    said = await person.send(Command(person.origin(), "status", ""), worker=1)
    assert filed.number in " ".join(r.text for r in said)
    assert "طلب إعادة النظر" not in [c.label for r in said for c in r.choices]
    # the old proposal's buttons no longer apply
    with pytest.raises(Exception, match=filed.number):
        await desk.reopen_on_request(filed.number, OFFICER, offered=version(record))


@pytest.mark.parametrize("why", ["التأمين المرفق منتهي الصلاحية", ""])
async def test_the_status_after_a_kept_rejection_gives_its_reason_and_history(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    clock: Clock,
    why: str,
) -> None:
    """Found by the fresh-clone tester: after a reconsideration whose rejection the officer
    kept, «حالة طلبي» gave the first rejection's reason, and its history had no line for
    the reconsideration asked nor for the decision kept. The status gives the latest
    decision's reason (the officer's reason for keeping it, or, with none, the rejection's
    own), and the history lists both, in order."""
    filed = await filing.submit(submission(user_key=USER))
    await desk.reject(filed.number, OFFICER, "المستندات ناقصة")
    await person.send(Command(person.origin(), "start", ""))
    clock.now += dt.timedelta(days=1)
    await person.taps(f"recon:{filed.number}", worker=1)
    said = await person.says("أرفقت التأمين الطبي في الصفحة الثانية")
    assert "أُرسل طلب إعادة النظر" in said[0].text
    record = await desk.find(filed.number)
    assert record is not None
    clock.now += dt.timedelta(days=1)
    await desk.keep_rejected(filed.number, OFFICER, why, offered=version(record))
    said = await person.send(Command(person.origin(), "status", ""), worker=1)
    status = said[0].text
    reason = [line for line in status.splitlines() if line.startswith("السبب:")]
    assert reason == [f"السبب: \u2068{why or 'المستندات ناقصة'}\u2069"]
    history = status.split("سجل الطلب:")[1].split("الخطوة التالية")[0]
    lines = [line for line in history.splitlines() if line.startswith("•")]
    # filed Sunday, rejected the same day, reconsideration asked Monday, kept Tuesday
    assert len(lines) == 4, status
    assert "٢٢ نوفمبر" in lines[0] and "تم الاستلام" in lines[0]
    assert "٢٢ نوفمبر" in lines[1] and "مرفوض" in lines[1]
    assert "٢٣ نوفمبر" in lines[2] and "طُلبت إعادة النظر" in lines[2]
    assert "٢٤ نوفمبر" in lines[3] and "بقي القرار بعد إعادة النظر: مرفوض" in lines[3]


async def test_reconsideration_reopened_tells_the_person_and_offers_no_second_one(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> None:
    filed = await filing.submit(submission(user_key=USER, locale="en"))
    await desk.reject(filed.number, OFFICER, "Documents missing")
    clock.now += dt.timedelta(hours=1)  # each step later than the one before, as in life
    await person.send(Command(person.origin(), "start", ""))
    await person.says("English")
    said = await person.says("I want to reconsider my request")
    assert "Why should request" in said[-1].text
    await person.says("The insurance is on page two")
    record = await desk.find(filed.number)
    assert record is not None
    clock.now += dt.timedelta(hours=1)
    reopened = await desk.reopen_on_request(filed.number, OFFICER, offered=version(record))
    assert reopened.status is RequestStatus.UNDER_REVIEW
    assert reopened.events[-1].reason == "The insurance is on page two"
    told = replies_from_payload((await _rows(db_sessionmaker, "notify"))[-1].payload)
    assert "now reviewing your request" in told[0].text
    clock.now += dt.timedelta(hours=1)
    await desk.reject(filed.number, OFFICER, "Still missing")
    again = replies_from_payload((await _rows(db_sessionmaker, "notify"))[-1].payload)
    # reconsidered once already: the second rejection offers no reconsideration, only
    # the satisfaction question about this new decision
    assert [c.id for r in again for c in r.choices] == [
        f"rate:{filed.number}:{n}" for n in (1, 2, 3, 4, 5)
    ]
    # the status gives the new decision's reason, and the reconsideration in its history
    said = await person.send(Command(person.origin(), "status", ""), worker=1)
    assert "Reason: \u2068Still missing\u2069" in said[0].text
    history = said[0].text.split("History:")[1].splitlines()
    assert [line.rsplit(": ", 1)[-1] for line in history if line.startswith("•")] == [
        "Received",
        "Rejected",
        "Reconsideration asked",
        "Under review",
        "Rejected",
    ]


async def test_rating_and_reconsidering_wait_until_the_person_is_told_of_the_decision(
    redis_client: Redis,
    filing: SqlRequestGateway,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> None:
    """Found by the fresh-clone tester: ``/rate N 2`` was taken in the minute after the
    officer's «accept», before the person had been told of any decision (the notice waits
    for the decision's grace, and the officer may still take it back unseen)."""
    graced = StaffDesk(db_sessionmaker, load_catalogue(), clock=clock, decision_grace_s=60)
    catalogue = load_catalogue()
    person = Person(
        [
            Engine(RedisDialogueStore(redis_client), INTAKE, catalogue, Gateway(filing, graced),
                   clock=clock, limiter=RedisAttemptLimiter(redis_client))
            for _worker in range(2)
        ]
    )  # fmt: skip
    accepted = await filing.submit(submission("k1", user_key=USER))
    rejected = await filing.submit(submission("k2", user_key=USER, service_id="passport_renew"))
    await graced.accept(accepted.number, OFFICER)
    await graced.reject(rejected.number, OFFICER, "المستندات ناقصة")
    await person.send(Command(person.origin(), "start", ""))
    clock.now += dt.timedelta(seconds=30)  # within the grace: nobody told them yet
    said = await person.taps(f"rate:{accepted.number}:2", worker=1)
    assert "لم يصدر القرار" in said[0].text and "بعد صدوره" in said[0].text
    said = await person.taps(f"recon:{rejected.number}")
    # as /status shows it until the notice goes (review 11, §3)
    assert "إلا في طلب مرفوض" in said[0].text and "حالته الآن: تم الاستلام" in said[0].text
    # nothing was taken: the officer may still take the decision back unseen
    assert (await _request(db_sessionmaker, accepted.number)).satisfaction is None
    await graced.undo(accepted.number, OFFICER)
    record = await graced.find(rejected.number)
    assert record is not None and record.reconsider_reason is None
    # once the grace is over the outbox tells the person: then both are taken
    clock.now += dt.timedelta(seconds=31)
    await _notice_sent(db_sessionmaker, rejected.number)
    said = await person.taps(f"recon:{rejected.number}", worker=1)
    assert "ما سبب طلب إعادة النظر" in said[-1].text
    said = await person.says("أرفقت المستندات كاملة")
    assert "أُرسل طلب إعادة النظر" in said[0].text
    await graced.accept(accepted.number, OFFICER)
    clock.now += dt.timedelta(seconds=60)
    said = await person.taps(f"rate:{accepted.number}:2")
    assert "لم يصدر القرار" in said[0].text  # its notice has not gone out yet
    await _notice_sent(db_sessionmaker, accepted.number)
    said = await person.taps(f"rate:{accepted.number}:2")
    assert "يمكنك إضافة تعليق" in said[-1].text
    assert (await _request(db_sessionmaker, accepted.number)).satisfaction == 2


@pytest.mark.parametrize("button", ["rate", "note"])
async def test_a_message_held_for_is_this_your_answer_survives_a_say_button(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    button: str,
) -> None:
    """Found by the fresh-clone tester: a typed message held while «is this your answer?»
    waited was lost when a rating or «Add a note» was tapped meanwhile. It is kept, asked
    about again once that button's flow is over, and reaches the officer as the answer."""
    decided = await filing.submit(submission("k1", user_key=USER))
    await desk.accept(decided.number, OFFICER)
    asked = await filing.submit(submission("k2", user_key=USER, service_id="passport_renew"))
    question = await _half_filled(person)
    await desk.ask(asked.number, OFFICER, "ما تاريخ انتهاء الإقامة؟")
    said = await person.says("تنتهي يوم ١٥ ديسمبر")  # the phone step cannot use it
    assert "هل رسالتك هي الإجابة" in said[-1].text
    if button == "rate":
        said = await person.taps(f"rate:{decided.number}:4", worker=1)
        assert "يمكنك إضافة تعليق" in said[-1].text
        said = await person.taps("nocomment")
    else:
        said = await person.taps(f"note:{asked.number}", worker=1)
        assert "يُرجى كتابة ملاحظتك" in said[-1].text
        await person.says("سأرسل صورة الإقامة لاحقًا")
        said = await person.says("تم", worker=1)
        assert "أُضيفت ملاحظتك" in said[0].text
    # the draft is back, then the held message is asked about again, quoted
    texts = [r.text for r in said]
    assert question in texts
    assert "رسالتك السابقة" in said[-1].text and "تنتهي يوم ١٥ ديسمبر" in said[-1].text
    assert "هل رسالتك هي الإجابة" in said[-1].text
    assert f"ans:{asked.number}" in [c.id for c in said[-1].choices]
    await person.taps(f"ans:{asked.number}")
    said = await person.says("تم", worker=1)
    assert "أُضيف ردّك" in " ".join(r.text for r in said)
    record = await desk.find(asked.number)
    assert record is not None and record.status is RequestStatus.UNDER_REVIEW
    assert record.events[-1].reason == "تنتهي يوم ١٥ ديسمبر"
    assert said[-1].text == question  # and back to the draft, nothing lost


async def test_answering_from_a_note_is_not_interrupted_by_the_message_put_aside(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    """The message put aside for a note is asked about only back at the request: not over
    the answer the person begins from the note (the officer's «Answer» button), and not
    at all once that question is answered."""
    asked = await filing.submit(submission("k2", user_key=USER, service_id="passport_renew"))
    question = await _half_filled(person)
    await desk.ask(asked.number, OFFICER, "ما تاريخ انتهاء الإقامة؟")
    said = await person.says("تنتهي يوم ١٥ ديسمبر")
    assert "هل رسالتك هي الإجابة" in said[-1].text
    said = await person.taps(f"note:{asked.number}", worker=1)
    assert "يُرجى كتابة ملاحظتك" in said[-1].text
    said = await person.taps(f"ans:{asked.number}")
    assert "ما تاريخ انتهاء الإقامة" in " ".join(r.text for r in said)
    assert not any("رسالتك السابقة" in r.text for r in said)
    await person.says("١٥ ديسمبر ٢٠٢٦", worker=1)
    said = await person.says("تم")
    assert "أُضيف ردّك" in " ".join(r.text for r in said)
    assert said[-1].text == question  # back at the request; nothing waits any more
    record = await desk.find(asked.number)
    assert record is not None and record.events[-1].reason == "١٥ ديسمبر ٢٠٢٦"


async def test_told_is_what_the_outbox_did_not_two_workers_clocks(
    redis_client: Redis,
    filing: SqlRequestGateway,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> None:
    """Found by review 11 (item 4): whether the person had been told of a decision compared
    the person's worker's clock with the instant the deciding worker wrote. Decided on a
    worker two hours behind, a rating typed at once was taken (two hours «after» the
    decision) though the notice still waited and the officer then undid it; decided on a
    worker two hours ahead, a person holding the notice was told «ليس مرفوضًا». Three desks
    on one database, the person on two engines of the right clock."""
    catalogue = load_catalogue()

    def desk_at(offset: dt.timedelta) -> StaffDesk:
        return StaffDesk(
            db_sessionmaker, catalogue, clock=lambda: clock.now + offset, decision_grace_s=60
        )

    behind, ahead = desk_at(-dt.timedelta(hours=2)), desk_at(dt.timedelta(hours=2))
    right = desk_at(dt.timedelta(0))
    person = Person(
        [
            Engine(RedisDialogueStore(redis_client), INTAKE, catalogue, Gateway(filing, right),
                   clock=clock, limiter=RedisAttemptLimiter(redis_client))
            for _worker in range(2)
        ]
    )  # fmt: skip
    accepted = await filing.submit(submission("k1", user_key=USER))
    rejected = await filing.submit(submission("k2", user_key=USER, service_id="passport_renew"))
    await person.send(Command(person.origin(), "start", ""))

    await behind.accept(accepted.number, OFFICER)
    said = await person.taps(f"rate:{accepted.number}:2", worker=1)
    assert "لم يصدر القرار" in said[0].text
    assert (await _request(db_sessionmaker, accepted.number)).satisfaction is None
    await behind.undo(accepted.number, OFFICER)  # unseen, as the person was never told

    await ahead.reject(rejected.number, OFFICER, "المستندات ناقصة")
    with pytest.raises(SayRefused):  # the notice waits: nothing to reconsider yet
        await right.may_say("recon", rejected.number, "telegram", USER)
    await _notice_sent(db_sessionmaker, rejected.number)
    said = await person.taps(f"rate:{rejected.number}:3", worker=0)
    assert "يمكنك إضافة تعليق" in said[-1].text
    await right.may_say("recon", rejected.number, "telegram", USER)  # not refused
    assert (await _request(db_sessionmaker, rejected.number)).satisfaction == 3


async def test_the_staff_history_says_a_reopening_answered_the_persons_words(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk, clock: Clock
) -> None:
    """Found by tester 15: after «إعادة فتح الطلب» answering a reconsideration, the staff
    history read «نورة: إعادة فتح الطلب: أرفقت التأمين…», the person's words as if they
    were the officer's reason. The line says whose words they are; an officer's own
    reason for a reopening still reads as theirs."""
    filed = await filing.submit(submission(user_key=USER))
    await desk.reject(filed.number, OFFICER, "المستندات ناقصة")
    await person.send(Command(person.origin(), "start", ""))
    clock.now += dt.timedelta(hours=1)
    await person.taps(f"recon:{filed.number}", worker=1)
    await person.says("أرفقت التأمين الطبي في الصفحة الثانية")
    record = await desk.find(filed.number)
    assert record is not None
    clock.now += dt.timedelta(hours=1)
    await desk.reopen_on_request(filed.number, OFFICER, offered=version(record))
    await desk.reject(filed.number, OFFICER, "ما زال التأمين منتهيًا")
    await desk.reopen(filed.number, OFFICER, "وصل التأمين الجديد بالبريد")
    record = await desk.find(filed.number)
    assert record is not None
    views = StaffViews(load_catalogue(), locale="ar")
    history = views.summary(record, PLAIN, today=SUNDAY.date()).split("سجل الطلب:")[1]
    lines = [line for line in history.splitlines() if line.startswith("•")]
    asked, answered, _rejected, reopened = lines[-4:]
    assert asked.endswith(
        "صاحب الطلب: طلب إعادة النظر في الرفض: أرفقت التأمين الطبي في الصفحة الثانية"
    )
    assert answered.endswith(
        "نورة: إعادة فتح الطلب؛ إذ طلب صاحب الطلب إعادة النظر: «أرفقت التأمين الطبي في الصفحة الثانية»"
    ), answered
    assert reopened.endswith("نورة: إعادة فتح الطلب: وصل التأمين الجديد بالبريد"), reopened
