"""Around a decided request, on real parts (the Redis dialogue store shared by two engines
as two workers, the staff desk on SQLite and PostgreSQL): what the fresh-clone tester met
after a rejection. Shares the fixtures of tests/integration/test_their_say.py."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Request
from bot.db.requests_repo import SqlRequestGateway
from bot.outbox.queue import replies_from_payload
from bot.staff.desk import StaffDesk
from bot.staff.views import PLAIN, StaffViews
from conversations.events import Command, Media, Reply
from conversations.formatting import FSI, PDI
from domain.catalogue import load_catalogue
from domain.status import RequestStatus
from tests.integration.test_db_requests import ATTACHMENTS, submission
from tests.integration.test_their_say import (
    OFFICER,
    SUNDAY,
    USER,
    Clock,
    Person,
    _half_filled,
    _rows,
)
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


def _photo(person: Person, ref: str, album: str | None = None, caption: str | None = None) -> Media:
    return Media(person.origin(), "photo", ref, "image/jpeg", 1000, album, ref * 8, caption=caption)


async def test_photos_sent_with_a_reconsideration_reach_the_officers_with_it(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> None:
    """Found by the fresh-clone tester: a photo sent while the reason was asked, or right
    after «اطلب إعادة النظر» and the reason, was dropped (the bot said so)."""
    filed = await filing.submit(submission(user_key=USER))
    await desk.reject(filed.number, OFFICER, "المستندات ناقصة")
    await person.send(Command(person.origin(), "start", ""))
    said = await person.says("اطلب إعادة النظر", worker=1)
    assert "ما سبب طلب إعادة النظر" in said[-1].text
    said = await person.send(_photo(person, "ins"), worker=0)
    assert "وصلت صورتك" in said[-1].text
    said = await person.says("التأمين الطبي في الصورة المرفقة", worker=1)
    assert "مع سببك والصور أو الملفات" in said[0].text
    # one more photo a moment later, on the other worker, joins it
    clock.now += dt.timedelta(minutes=1)
    said = await person.send(_photo(person, "pass"), worker=0)
    assert "أُضيفت صورتك إلى طلب إعادة النظر" in said[0].text
    record = await desk.find(filed.number)
    assert record is not None and record.status is RequestStatus.REJECTED
    assert record.reconsider_reason == "التأمين الطبي في الصورة المرفقة"
    assert [a.ref for a in record.attachments][-2:] == ["ins", "pass"]
    # the officers: a word with the reason, saying files follow, then the files
    words = [r.payload["html"] for r in await _rows(db_sessionmaker, "staff_text")]
    [asked] = [w for w in words if "يطلب إعادة النظر" in w]
    assert "ملف جديد" in asked
    assert any("أرسل صاحب الطلب مرفقات أخرى" in w for w in words)
    albums = [r.payload.get("first") for r in await _rows(db_sessionmaker, "staff_album")]
    assert albums == [len(record.attachments) - 2, len(record.attachments) - 1]
    # «tawasul staff show» counts them with the request
    shown = StaffViews(load_catalogue(), locale="ar").summary(record, PLAIN, today=SUNDAY.date())
    assert "التأمين الطبي في الصورة المرفقة" in shown
    assert len(record.attachments) == len(ATTACHMENTS) + 2
    assert f"المرفقات: {len(record.attachments)} ملفات" in shown
    # once the officer has answered, a later photo is not taken for it, and said so: the
    # request takes nothing more, and the photo is asked about (for a new request?)
    await desk.keep_rejected(filed.number, OFFICER)
    said = await person.send(_photo(person, "late"), worker=1)
    assert "فلا يمكن إضافة شيء إليه" in said[0].text
    assert [c.id for c in said[0].choices] == ["notans", "cancel"]
    record = await desk.find(filed.number)
    assert record is not None and "late" not in [a.ref for a in record.attachments]


async def test_the_first_menu_after_a_rejection_says_it_may_be_reconsidered(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    """Found by the fresh-clone tester: a person writing after their request was rejected
    met the first menu with no word that they could ask for it to be reconsidered."""
    filed = await filing.submit(submission(user_key=USER))
    await desk.reject(filed.number, OFFICER, "المستندات ناقصة")
    said = await person.says("السلام عليكم", worker=1)
    [hint] = [r for r in said if filed.number in r.text]
    assert "لم يُقبل" in hint.text and "اطلب إعادة النظر" in hint.text
    # the menu is as it was, last, and a new request starts from it
    menu = said[-1]
    assert [c.id for c in menu.choices][:2] == ["ind", "est"]
    said = await person.taps("ind")
    assert "ما الخدمة المطلوبة" in said[-1].text
    # asking is the words the hint gave
    await person.says("إلغاء")
    said = await person.says("اطلب إعادة النظر", worker=1)
    assert "ما سبب طلب إعادة النظر" in said[-1].text
    await person.says("أرفقت التأمين الطبي")
    # asked once: the menu no longer offers it
    said = await person.says("مرحبا")
    assert [c.id for c in said[-1].choices][:2] == ["ind", "est"]
    assert not any(filed.number in r.text for r in said)


async def test_the_reconsideration_line_comes_wherever_the_menu_does_in_words_that_work_anywhere(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    """Found by the fresh-clone tester: the line came only when the first menu was
    started, not when a greeting asked the menu again, and it told the person to press a
    button the terminal chat does not have. It comes with the menu wherever it is shown
    (a greeting at the menu, the terminal chat reopened, the way out of a look-up), under
    a salutation, above a lead that introduces the menu, and says what to type."""
    filed = await filing.submit(submission(user_key=USER))
    await desk.reject(filed.number, OFFICER, "المستندات ناقصة")
    await person.send(Command(person.origin(), "start", ""))

    def line_and_menu(said: list[Reply]) -> Reply:
        """The line above the menu, which is last and as it always is."""
        assert [c.id for c in said[-1].choices][:2] == ["ind", "est"]
        assert filed.number not in said[-1].text
        [line] = [r for r in said if filed.number in r.text]
        assert said.index(line) == len(said) - 2
        assert "بكتابة «اطلب إعادة النظر»" in line.text
        assert "الضغط" not in line.text  # no button it may not have
        return line

    # a greeting at the menu, on the other worker: said back first, then the line
    said = await person.says("السلام عليكم", worker=1)
    assert line_and_menu(said).text.startswith("وعليكم السلام")
    # the terminal chat opened again
    said = await person.send(Command(person.origin(), "resume", ""))
    line_and_menu(said)
    assert "أهلًا بعودتك" in said[-1].text  # the lead stays with the menu it introduces
    # out of a status look-up, back to the main menu
    await person.send(Command(person.origin(), "status", ""), worker=1)
    said = await person.taps("another")
    assert "كتابة رقم الطلب" in said[-1].text
    said = await person.says("إلغاء")
    line_and_menu(said)
    assert "القائمة الرئيسية" in said[-1].text
    # the words it gives are the way to ask, typed
    said = await person.says("اطلب إعادة النظر", worker=1)
    assert "ما سبب طلب إعادة النظر" in said[-1].text
    await person.says("أرفقت التأمين الطبي")
    said = await person.says("السلام عليكم")
    assert not any(filed.number in r.text for r in said)


async def test_a_reopening_and_a_kept_rejection_tell_the_person_the_officers_reason(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Found by the fresh-clone tester: the notice of a reopened request, and of a
    rejection kept after reconsidering, gave no reason. The officer's words are told,
    isolated as the person's own words are (Telegram and WhatsApp send them as plain
    text, so no markup in them is read); without words, the notice says so."""
    reopened = await filing.submit(submission("k1", user_key=USER))
    await desk.reject(reopened.number, OFFICER, "المستندات ناقصة")
    await desk.reopen(reopened.number, OFFICER, "وصلت <b>المستندات</b> من الفرع\u202e")
    told = replies_from_payload((await _rows(db_sessionmaker, "notify"))[-1].payload)
    assert "أُعيد فتح طلبك" in told[0].text
    assert f"سبب الموظف: {FSI}وصلت <b>المستندات</b> من الفرع{PDI}" in told[0].text
    await person.send(Command(person.origin(), "start", ""))
    for key, words, expected in (
        ("k2", "التأمين منتهي الصلاحية", "سبب الموظف: " + FSI + "التأمين منتهي الصلاحية"),
        ("k3", "  ", "لم يذكر الموظف سببًا إضافيًا، ويبقى السبب المذكور مع القرار"),
    ):
        kept = await filing.submit(submission(key, user_key=USER, service_id="passport_renew"))
        await desk.reject(kept.number, OFFICER, "المستندات ناقصة")
        await person.taps(f"recon:{kept.number}", worker=1)
        await person.says("أرفقت التأمين")
        await desk.keep_rejected(kept.number, OFFICER, words)
        told = replies_from_payload((await _rows(db_sessionmaker, "notify"))[-1].payload)
        assert "بقي القرار كما هو" in told[0].text and expected in told[0].text
        record = await desk.find(kept.number)
        assert record is not None and record.events[-1].kind == "kept"
        assert record.events[-1].reason == (words.strip() or None)


async def test_a_rating_tapped_in_the_middle_of_a_note_loses_nothing(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """A rating button tapped while another dialogue is under way (a note, with a new
    request half filled and put aside): the rating is stored and thanked, no comment is
    asked over what they are doing, the note keeps its words and its «Send note» button,
    and the half-filled request comes back at its question."""
    decided = await filing.submit(submission("k1", user_key=USER))
    await desk.accept(decided.number, OFFICER)
    open_ = await filing.submit(submission("k2", user_key=USER, service_id="passport_renew"))
    question = await _half_filled(person)
    note_step = await person.taps(f"note:{open_.number}")
    # the half-filled request put aside is said kept, above the note's question
    kept, asked = note_step[-1].text.split("\n", 1)
    assert (
        kept == "طلبك الذي بدأت تعبئته محفوظ، وسنعود إليه بعد ذلك."
        and "يُرجى كتابة ملاحظتك" in asked
    )
    await person.says("رقم الجواز الجديد X123")
    said = await person.taps(f"rate:{decided.number}:5", worker=1)
    assert "شكرًا لتقييمك" in said[0].text
    assert not any("يمكنك إضافة تعليق" in r.text for r in said)
    # the note's step, as it was: its question after the thanks (found by the fresh-clone
    # tester: the buttons came back without it), and its buttons
    assert said[-1].text.startswith("شكرًا لتقييمك.\n" + asked)
    assert "رقم الجواز الجديد X123" in said[-1].text  # with the words already in the note
    assert [c.id for c in said[-1].choices] == [c.id for c in note_step[-1].choices]
    assert "send" in [c.id for c in said[-1].choices]
    async with db_sessionmaker() as session:
        stored = await session.scalar(select(Request).where(Request.number == decided.number))
    assert stored is not None and stored.satisfaction == 5
    said = await person.says("تم")
    assert "أُضيفت ملاحظتك" in said[0].text
    assert said[-1].text == question  # the half-filled request, at its question
    record = await desk.find(open_.number)
    assert record is not None
    assert [e.reason for e in record.events if e.kind == "note"] == ["رقم الجواز الجديد X123"]


async def test_a_rating_tapped_at_a_look_ups_prompt_is_thanked_and_the_prompt_asked_again(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    """Found by the fresh-clone tester in the terminal chat: «/rate N 4» typed at the
    status look-up's «type the request number» got «شكرًا لتقييمك.» and the step's
    «رجوع/مساعدة/إلغاء» with no question; a second rating, refused, the same. Both now
    ask the step's question again, and the number typed next is looked up."""
    filed = await filing.submit(submission(user_key=USER))
    await desk.accept(filed.number, OFFICER)
    await person.send(Command(person.origin(), "status", ""))
    prompt = await person.taps("another", worker=1)
    assert "كتابة رقم الطلب" in prompt[-1].text
    said = await person.taps(f"rate:{filed.number}:4")
    assert said[-1].text == "شكرًا لتقييمك.\n" + prompt[-1].text
    assert [c.id for c in said[-1].choices] == [c.id for c in prompt[-1].choices]
    said = await person.taps(f"rate:{filed.number}:5", worker=1)
    assert "سبق أن قيّمت" in said[-1].text and said[-1].text.endswith(prompt[-1].text)
    said = await person.says(filed.number)
    assert filed.number in said[0].text and "سجل الطلب" in said[0].text  # its status
