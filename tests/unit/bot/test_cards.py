"""The staff card and the digest: content, escaping, buttons by status, Telegram's limits."""

from __future__ import annotations

import dataclasses
import datetime as dt
from html.parser import HTMLParser

import pytest

from bot.db.requests_repo import AttachmentRecord, RequestRecord, StatusEventRecord
from bot.db.retention import REDACTED
from bot.staff.cards import DIGEST_SIZE, MAX_TEXT, CardRenderer
from bot.staff.views import PLAIN, StaffViews
from domain.catalogue import load_catalogue
from domain.status import RequestStatus
from officers.desk_port import InternalNote

SUBMITTED = dt.datetime(2026, 11, 22, 6, 0, tzinfo=dt.UTC)  # Sunday, 09:00 Riyadh
TODAY = dt.date(2026, 11, 22)
NUMBER = "6418407042"


def record(**changes: object) -> RequestRecord:
    base = RequestRecord(
        number=NUMBER,
        status=RequestStatus.RECEIVED,
        service_id="iqama_renew",
        applicant_kind="individual",
        channel="telegram",
        user_key="5551001",
        identity_number="2000000006",
        identity_kind="resident",
        establishment_number=None,
        phone="+966500000001",
        description="لا أستطيع تجديد الإقامة من أبشر",
        eligibility={},
        locale="ar",
        submitted_at=SUBMITTED,
        due_date=dt.date(2026, 12, 1),
        updated_at=SUBMITTED,
        attachments=(
            AttachmentRecord("photo", "AgAC-file", "image/jpeg", 1000, "ab" * 32, None),
        ),
        events=(
            StatusEventRecord("resident:telegram:5551001", SUBMITTED, None, RequestStatus.RECEIVED, None),
        ),
    )  # fmt: skip
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def cards() -> CardRenderer:
    return CardRenderer(StaffViews(load_catalogue(), locale="ar"))


class Visible(HTMLParser):
    """Telegram's reading of an HTML text: the characters shown and the tags used."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text += data


def visible(html: str) -> Visible:
    parser = Visible()
    parser.feed(html)
    parser.close()
    return parser


def callbacks(card: object) -> list[str]:
    return [b.data for row in card.buttons for b in row]  # type: ignore[attr-defined]


def test_a_new_card_shows_what_an_officer_needs(cards: CardRenderer) -> None:
    card = cards.card(record(), today=TODAY)
    shown = visible(card.html).text
    assert shown.startswith("🆕")
    for expected in (
        NUMBER,
        "تجديد هوية مقيم",  # the service in Arabic
        "فرد",  # applicant kind
        "2000000006",
        "+966500000001",
        "لا أستطيع تجديد الإقامة من أبشر",
        "1 ديسمبر 2026",  # Gregorian due date
        "جمادى الآخرة 1448",  # and Hijri
        "جديد",  # the status in plain Arabic
    ):
        assert expected in shown, expected
    # each button says the version it was offered for: one audit row so far
    assert callbacks(card) == [
        f"st:take:{NUMBER}:1",
        f"st:ask:{NUMBER}:1",
        f"st:ok:{NUMBER}:1",
        f"st:no:{NUMBER}:1",
        f"st:bl:{NUMBER}:1",
    ]


def test_user_text_is_shown_as_typed_never_as_markup(cards: CardRenderer) -> None:
    typed = 'اضغط <b>هنا</b> <a href="https://evil.example">رابط</a> & <script>x</script>'
    card = cards.card(
        record(
            description=typed,
            status=RequestStatus.NEEDS_INFO,
            assigned_to="officer:7",
            assigned_name="<i>نورة</i> & co",
            pending_question="أرسل <u>الجواز</u> & الإقامة",
        ),
        today=TODAY,
    )
    parsed = visible(card.html)
    assert typed in parsed.text
    assert "<i>نورة</i> & co" in parsed.text
    assert "أرسل <u>الجواز</u> & الإقامة" in parsed.text
    # only the card's own formatting tags, none from what people typed
    assert set(parsed.tags) <= {"b", "blockquote", "code"}
    assert "evil.example" not in " ".join(parsed.tags)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, ["take", "ask", "ok", "no", "bl"]),
        (
            {"status": RequestStatus.UNDER_REVIEW, "assigned_to": "officer:7"},
            ["ask", "ok", "no", "bl"],
        ),
        ({"status": RequestStatus.NEEDS_INFO, "assigned_to": "officer:7"}, ["ok", "no", "bl"]),
        ({"status": RequestStatus.ACCEPTED, "assigned_to": "officer:7"}, ["re", "bl"]),
        ({"status": RequestStatus.REJECTED, "assigned_to": "officer:7"}, ["re", "bl"]),
    ],
)
def test_buttons_follow_the_status(
    cards: CardRenderer, changes: dict[str, object], expected: list[str]
) -> None:
    card = cards.card(record(**changes), today=TODAY)
    assert [data.split(":")[1] for data in callbacks(card)] == expected
    assert all(len(data.encode()) <= 64 for data in callbacks(card))


def test_the_question_and_the_reason_are_on_the_card(cards: CardRenderer) -> None:
    asked = cards.card(
        record(status=RequestStatus.NEEDS_INFO, pending_question="أرفق صورة الجواز"),
        today=TODAY,
    )
    assert "أرفق صورة الجواز" in visible(asked.html).text
    rejected = cards.card(
        record(status=RequestStatus.REJECTED, decision_reason="المستندات غير مكتملة"),
        today=TODAY,
    )
    shown = visible(rejected.html).text
    assert shown.startswith("❌") and "المستندات غير مكتملة" in shown


def test_a_huge_request_still_fits_one_message(cards: CardRenderer) -> None:
    # "&" becomes "&amp;": five times longer once escaped, the worst case for the limit
    long_event = StatusEventRecord(
        "officer:7", SUBMITTED, None, RequestStatus.UNDER_REVIEW, "&" * 1000
    )
    card = cards.card(
        record(
            description="&" * 5000,
            status=RequestStatus.NEEDS_INFO,
            pending_question="<" * 1000,
            decision_reason="&" * 1000,
            events=(long_event,) * 5,
        ),
        today=TODAY,
    )
    assert len(card.html) <= MAX_TEXT
    shown = visible(card.html).text
    assert NUMBER in shown and "+966500000001" in shown  # the essentials survive the cut


def test_a_digest_lists_new_requests_with_a_take_button_each(cards: CardRenderer) -> None:
    numbers = [f"64184070{i:02d}" for i in range(DIGEST_SIZE)]
    digest = cards.digest([record(number=n) for n in numbers], today=TODAY)
    shown = visible(digest.html).text
    assert "10 طلبات جديدة" in shown
    assert all(n in shown for n in numbers)
    assert callbacks(digest) == [f"st:take:{n}:1" for n in numbers]
    assert len(digest.html) <= MAX_TEXT
    with pytest.raises(ValueError):
        cards.digest([record()] * (DIGEST_SIZE + 1), today=TODAY)


def test_digest_counts_read_naturally_in_arabic(cards: CardRenderer) -> None:
    two = visible(cards.digest([record(), record()], today=TODAY).html).text
    assert "طلبان جديدان" in two
    three = visible(cards.digest([record()] * 3, today=TODAY).html).text
    assert "3 طلبات جديدة" in three


def test_the_card_shows_the_facts_to_decide_with(cards: CardRenderer) -> None:
    noura = "officer:7001:نورة"
    khalid = "officer:7002:خالد"
    card = cards.card(
        record(
            locale="en",
            eligibility={"location": "outside"},
            related=("5123456782",),
            status=RequestStatus.ACCEPTED,
            assigned_to="officer:7002",
            assigned_name="خالد",
            events=(
                StatusEventRecord("resident:telegram:5551001", SUBMITTED, None, RequestStatus.RECEIVED, None),
                StatusEventRecord(noura, SUBMITTED, RequestStatus.RECEIVED, RequestStatus.UNDER_REVIEW, None),
                StatusEventRecord(khalid, SUBMITTED, RequestStatus.UNDER_REVIEW, RequestStatus.UNDER_REVIEW, "نورة"),
                StatusEventRecord(khalid, SUBMITTED, RequestStatus.UNDER_REVIEW, RequestStatus.ACCEPTED, None),
            ),
        ),
        today=TODAY,
    )  # fmt: skip
    # the people's words are isolated (FSI … PDI); read without the marks
    shown = visible(card.html).text.replace("\u2068", "").replace("\u2069", "")
    assert "أين صاحب الإقامة الآن؟: خارج المملكة" in shown  # the eligibility answer
    assert "لغة صاحب الطلب: الإنجليزية" in shown  # the person's language
    assert "5123456782" in shown  # another open request of the same identity number
    history = shown[shown.index("سجل الطلب") :]
    for line in (
        "صاحب الطلب: تقديم الطلب",
        "نورة: تولّي الطلب",  # a noun: right whoever acted (no officer's gender is kept)
        "خالد: تولّي الطلب بدلًا من نورة",
        "خالد: قبول الطلب",
    ):
        assert line in history, line
    assert "taken" not in shown  # no English in the history
    # the one who decided is responsible
    assert "الموظف المسؤول: خالد" in shown


def test_a_card_past_its_due_date_says_so(cards: CardRenderer) -> None:
    late = cards.card(record(due_date=dt.date(2026, 11, 26)), today=dt.date(2026, 12, 2))
    assert "⏰" in visible(late.html).text


def test_the_persons_say_is_on_the_card_escaped_and_it_still_fits(cards: CardRenderer) -> None:
    note = StatusEventRecord(
        "resident:telegram:5551001", SUBMITTED, RequestStatus.REJECTED,
        RequestStatus.REJECTED, "<b>صورة</b> التأمين", kind="note",
    )  # fmt: skip
    asked = record(
        status=RequestStatus.REJECTED,
        decision_reason="المستندات ناقصة",
        reconsider_reason="أرفقت <i>التأمين</i>",
        satisfaction=1,
        satisfaction_comment="تأخر & لم يرد أحد",
        events=(note,),
    )
    card = cards.card(asked, today=TODAY)
    shown = visible(card.html)
    assert "<b>صورة</b> التأمين" in shown.text and "أرفقت <i>التأمين</i>" in shown.text
    assert "1 من 5" in shown.text and "تأخر & لم يرد أحد" in shown.text
    assert set(shown.tags) <= {"b", "code", "blockquote", "a"}
    # the proposal to reopen, instead of «undo or reopen»
    assert [c.split(":")[1] for c in callbacks(card)] == ["rr", "kr", "bl"]
    huge = dataclasses.replace(
        asked,
        reconsider_reason="&" * 1000,
        satisfaction_comment="<" * 1000,
        events=(dataclasses.replace(note, reason="&" * 1000),) * 5,
    )
    assert len(cards.card(huge, today=TODAY).html) <= MAX_TEXT


def test_a_redacted_request_reads_deleted_in_the_officers_language() -> None:
    """Found by the fresh-clone tester: a request whose personal data the retention job had
    deleted showed «رقم الهوية: [redacted]» (and the phone, description, the person's words
    and the officers' notes likewise) in an Arabic card and in ``tawasul staff show``."""
    note = StatusEventRecord(
        "resident:telegram:5551001", SUBMITTED, RequestStatus.REJECTED,
        RequestStatus.REJECTED, REDACTED, kind="note",
    )  # fmt: skip
    gone = record(
        status=RequestStatus.REJECTED, decision_reason="المستندات ناقصة",
        identity_number=REDACTED, phone=REDACTED, description=REDACTED,
        establishment_number=REDACTED, reconsider_reason=REDACTED,
        satisfaction=2, satisfaction_comment=REDACTED, attachments=(), events=(note,),
    )  # fmt: skip
    notes = [InternalNote("officer:7001:نورة", SUBMITTED, REDACTED)]
    for locale, word in (("ar", "(محذوف)"), ("en", "(deleted)")):
        views = StaffViews(load_catalogue(), locale=locale)
        for text in (
            visible(CardRenderer(views).card(gone, today=TODAY).html).text,
            views.summary(gone, PLAIN, today=TODAY, notes=notes),
        ):
            assert "redacted" not in text, text
            assert word in text
            assert "المستندات ناقصة" in text  # the officers' own reason stays


def test_a_blocked_sender_is_shown_on_the_card_with_a_lift_button(cards: CardRenderer) -> None:
    # The tester's report of session 12 (§16): after /block, the card drawn later had no
    # word of it and still offered «⛔ حظر صاحب الطلب», which then said «محظور من قبل».
    blocked = record(
        status=RequestStatus.REJECTED,
        decision_reason="ناقص",
        sender_blocked_by="officer:7001:نورة <b>العتيبي</b>",
        sender_block_reason="رسائل <i>مسيئة</i> & تهديد",
    )
    for status in (RequestStatus.RECEIVED, RequestStatus.REJECTED):
        card = cards.card(dataclasses.replace(blocked, status=status), today=TODAY)
        shown = visible(card.html).text
        assert "صاحب الطلب محظور بقرار من نورة <b>العتيبي</b>." in shown
        assert "السبب: \u2068رسائل <i>مسيئة</i> & تهديد\u2069" in shown
        assert f"يُضغط «رفع الحظر» أدناه، أو يُرسَل الأمر:\n/unblock {NUMBER}" in shown
        assert "<i>" not in card.html and "<b>العتيبي" not in card.html  # escaped
        assert not [d for d in callbacks(card) if d.startswith("st:bl:")]
        # and the block is lifted from the card too (session 12's notes: only
        # «/unblock N» was named)
        assert [b.label for row in card.buttons for b in row if b.data.startswith("st:ub:")] == [
            "🔓 رفع الحظر"
        ]
        assert all(card.buttons)
    # not blocked: no such line, and the button is there
    card = cards.card(record(), today=TODAY)
    assert "محظور" not in visible(card.html).text
    assert f"st:bl:{NUMBER}:1" in callbacks(card)
    assert not [d for d in callbacks(card) if d.startswith("st:ub:")]
