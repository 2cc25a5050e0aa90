"""`tawasul staff export` as an operator runs it (the real CLI process, SQLite and
PostgreSQL): the requests filed in a range of Riyadh days and their decisions, as CSV a
spreadsheet opens (UTF-8 with BOM, read back with the csv module), without identity or
phone numbers unless asked, every export in the audit log."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import AuditEntry, Request, StatusEvent
from bot.db.requests_repo import SqlRequestGateway
from domain.sla import RIYADH
from tests.integration.test_db_requests import submission
from tests.integration.test_staff_cli import staff


def riyadh(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=RIYADH)  # type: ignore[misc]


async def _filed(
    gateway: SqlRequestGateway,
    sessions: async_sessionmaker[AsyncSession],
    key: str,
    at: dt.datetime,
    channel: str = "telegram",
) -> str:
    number = (await gateway.submit(submission(key=key, channel=channel, attachments=()))).number
    async with sessions.begin() as session:
        await session.execute(
            update(Request)
            .where(Request.number == number)
            .values(submitted_at=at, due_date=(at + dt.timedelta(days=9)).date())
        )
    return number


async def _rejected(
    sessions: async_sessionmaker[AsyncSession], number: str, at: dt.datetime, reason: str
) -> None:
    async with sessions.begin() as session:
        request = await session.scalar(select(Request).where(Request.number == number))
        assert request is not None
        session.add(
            StatusEvent(
                request_id=request.id,
                actor="officer:77:نورة",
                at=at,
                from_status=request.status,
                to_status="rejected",
                reason=reason,
            )
        )
        request.status = "rejected"
        request.decision_reason = reason
        request.satisfaction = 2


def _read(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())  # Excel reads UTF-8 only with the BOM
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


async def test_a_month_of_requests_as_csv(
    db_url: str,
    tmp_path: Path,
    gateway: SqlRequestGateway,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    early = await _filed(gateway, db_sessionmaker, "a", riyadh(2026, 11, 2, 10, 0))
    late_night = await _filed(
        gateway, db_sessionmaker, "b", riyadh(2026, 11, 30, 23, 30), channel="console"
    )
    # 00:10 in Riyadh on 1 December is still 30 November in UTC: not in November's export
    next_month = await _filed(gateway, db_sessionmaker, "c", riyadh(2026, 12, 1, 0, 10))
    await _rejected(
        db_sessionmaker, early, riyadh(2026, 11, 4, 9, 0), '=HYPERLINK("http://x","اضغط")'
    )

    out_file = tmp_path / "november.csv"
    done = staff(
        db_url,
        tmp_path,
        "export",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--output",
        str(out_file),
        "--officer",
        "سارة",
    )
    assert "صُدِّر طلبان." in done.stderr
    rows = _read(out_file.read_bytes())
    header, body = rows[0], rows[1:]
    assert header[0] == "رقم الطلب" and "الحالة" in header
    assert [row[0] for row in body] == [early, late_night]
    assert next_month not in out_file.read_text(encoding="utf-8-sig")
    first = dict(zip(header, body[0], strict=True))
    assert first["الحالة"] == "مرفوض"
    assert first["وقت القرار (الرياض)"] == "2026-11-04 09:00"
    assert first["قرّره"] == "نورة"
    assert first["قُرّر خلال ٧ أيام عمل"] == "نعم"
    # a reason a spreadsheet would run as a formula is written as text
    assert first["السبب"].startswith("'=HYPERLINK")
    assert first["الرضا (١-٥)"] == "2"
    # values a person reads are in the export's language, not the ids stored (was «console»)
    assert first["القناة"] == "تيليجرام" and first["مقدّم الطلب"] == "فرد"
    assert dict(zip(header, body[1], strict=True))["القناة"] == "الطرفية"
    text = out_file.read_text(encoding="utf-8-sig")
    assert "2000000006" not in text and "500000001" not in text
    assert out_file.stat().st_mode & 0o077 == 0  # the owner's only

    shown = staff(
        db_url,
        tmp_path,
        "export",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--with-personal-data",
        "--officer",
        "سارة",
        "--lang",
        "en",
    )
    rows = _read(shown.stdout.encode("utf-8"))
    assert rows[0][0] == "Request number" and rows[0][-5] == "Identity number"
    assert rows[1][-5:] == ["2000000006", "iqama", "", "+966500000001", "yes"]
    assert [row[4] for row in rows[1:]] == ["Telegram", "Terminal"]
    arabic = staff(
        db_url,
        tmp_path,
        "export",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--with-personal-data",
        "--officer",
        "سارة",
    )
    rows = _read(arabic.stdout.encode("utf-8"))
    assert rows[1][-5:] == ["2000000006", "إقامة", "", "+966500000001", "نعم"]
    assert "resident" not in arabic.stdout and "console" not in arabic.stdout

    async with db_sessionmaker() as session:
        audit = list(await session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert [(a.action, a.actor, a.detail["personal_data"]) for a in audit] == [
        ("export", "terminal:سارة", False),
        ("export", "terminal:سارة", True),
        ("export", "terminal:سارة", True),
    ]
    assert audit[0].detail["from"] == "2026-11-01" and audit[1].detail["output"] == "stdout"
    assert "2000000006" not in str([a.detail for a in audit])


async def test_days_the_wrong_way_round_are_refused_politely(db_url: str, tmp_path: Path) -> None:
    # Found by the review of session 10: «YYYY-MM-DD (السنة-الشهر-اليوم)» inside an Arabic
    # line (reordered by a terminal), a line per wrong day, two lines for a missing one.
    # Now one line: which option, what was typed, the form expected and an example.
    for args, line in (
        (("--from", "2026-11-30", "--to", "2026-11-01"),
         "اليوم الأخير (2026-11-01) قبل اليوم الأول (2026-11-30)، مثلًا: --from 2026-12-01 --to 2026-12-31"),
        (("--from", "30/11/2026", "--to", "tomorrow"),
         "اليوم «30/11/2026» بعد --from ليس بالصيغة سنة-شهر-يوم، مثلًا: --from 2026-12-01"),
        (("--from", "2026-11-01", "--to", "2026-11-31"),
         "اليوم «2026-11-31» بعد --to غير موجود في التقويم (يُرجى التحقق من الشهر واليوم)، "
         "مثلًا: --to 2026-12-31"),
        (("--to", "2026-11-30"),
         "يُرجى كتابة اليومين بالصيغة سنة-شهر-يوم، مثلًا: --from 2026-12-01 --to 2026-12-31"),
    ):  # fmt: skip
        bad = staff(db_url, tmp_path, "export", *args, code=2)
        assert bad.stderr == line + "\n" and bad.stdout == ""
    # in the officer's language, and a day the calendar does not have is named as such
    wrong = ("--from", "2026-11-30", "--to", "2026-11-01", "--lang", "en")
    assert (
        "The last day (2026-11-01) is before the first (2026-11-30)"
        in staff(db_url, tmp_path, "export", *wrong, code=2).stderr
    )
    april = staff(
        db_url,
        tmp_path,
        "export",
        "--from",
        "٢٠٢٦-٠٤-٣١",
        "--to",
        "2026-05-01",
        "--lang",
        "en",
        code=2,
    )
    assert "The day «٢٠٢٦-٠٤-٣١» after --from is not in the calendar" in april.stderr
    english = staff(
        db_url,
        tmp_path,
        "export",
        "--from",
        "next week",
        "--to",
        "2026-05-01",
        "--lang",
        "en",
        code=2,
    )
    assert english.stderr == (
        "The day «next week» after --from is not written year-month-day; "
        "for example: --from 2026-12-01\n"
    )


async def test_days_in_arabic_indic_and_persian_digits(
    db_url: str,
    tmp_path: Path,
    gateway: SqlRequestGateway,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    october = await _filed(gateway, db_sessionmaker, "a", riyadh(2026, 10, 31, 23, 0))
    first = await _filed(gateway, db_sessionmaker, "b", riyadh(2026, 11, 1, 0, 5))
    tenth = await _filed(gateway, db_sessionmaker, "c", riyadh(2026, 11, 10, 12, 0))
    eleventh = await _filed(gateway, db_sessionmaker, "d", riyadh(2026, 11, 11, 9, 0))

    # Arabic-Indic digits, with the RLM marks a copy from an Arabic page brings
    done = staff(
        db_url, tmp_path, "export", "--from", "\u200f٢٠٢٦-١١-٠١\u200f", "--to", "٢٠٢٦/١١/١٠"
    )
    rows = _read(done.stdout.encode("utf-8"))
    assert [row[0] for row in rows[1:]] == [first, tenth]
    assert "صُدِّر طلبان." in done.stderr

    # Persian digits (Persian and Urdu keyboards), into a file
    out_file = tmp_path / "persian.csv"
    staff(
        db_url,
        tmp_path,
        "export",
        "--from",
        "۲۰۲۶-۱۰-۳۱",
        "--to",
        "۲۰۲۶-۱۱-۱۱",
        "--output",
        str(out_file),
    )
    rows = _read(out_file.read_bytes())
    assert [row[0] for row in rows[1:]] == [october, first, tenth, eleventh]

    async with db_sessionmaker() as session:
        audit = list(await session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    # the audit log records the days read, in ASCII, whatever digits were typed
    assert [(a.detail["from"], a.detail["to"]) for a in audit] == [
        ("2026-11-01", "2026-11-10"),
        ("2026-10-31", "2026-11-11"),
    ]


async def test_numbers_the_retention_deleted_read_deleted_in_the_officers_language(
    db_url: str,
    tmp_path: Path,
    gateway: SqlRequestGateway,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Found by the review of session 10: the export with personal data wrote the
    database's placeholder, «[redacted]», in the identity, establishment and mobile cells
    of a request whose personal data was deleted, in an Arabic spreadsheet. The CSV is
    for people (its headers and values are in the officer's language): those cells read
    «(محذوف)» / «(deleted)», as on the card; a number not deleted is written as before."""
    from bot.db.retention import redact_requests
    from bot.media_store import MediaStore

    gone = await _filed(gateway, db_sessionmaker, "a", riyadh(2026, 11, 2, 10, 0))
    kept = await _filed(gateway, db_sessionmaker, "b", riyadh(2026, 11, 3, 10, 0))
    await _rejected(db_sessionmaker, gone, riyadh(2026, 11, 4, 9, 0), "المستندات ناقصة")
    async with db_sessionmaker() as session:
        request_id = await session.scalar(select(Request.id).where(Request.number == gone))
    assert request_id is not None
    await redact_requests(
        db_sessionmaker,
        MediaStore(tmp_path / "media"),
        [(request_id, gone)],
        now=riyadh(2027, 12, 1, 9, 0),
        media_grace=dt.timedelta(hours=72),
    )
    days = ("--from", "2026-11-01", "--to", "2026-11-30", "--with-personal-data")
    for lang, deleted, kind in (("ar", "(محذوف)", "إقامة"), ("en", "(deleted)", "iqama")):
        done = staff(db_url, tmp_path, "export", *days, "--officer", "سارة", "--lang", lang)
        assert "redacted" not in done.stdout
        rows = _read(done.stdout.encode("utf-8"))
        assert [row[0] for row in rows[1:]] == [gone, kept]
        # an individual's request had no establishment number: still none
        assert rows[1][-5:-1] == [deleted, kind, "", deleted]
        assert rows[2][-5:-2] == ["2000000006", kind, ""]
        # the decision stays: the officer's reason is the directorate's, not deleted
        assert "المستندات ناقصة" in rows[1]
