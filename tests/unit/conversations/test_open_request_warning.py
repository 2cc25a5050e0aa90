"""A second request for the same service and identity number while the first is open is
named politely, never refused (found by the fresh-clone tester: nothing said it). Another
identity number (a family member), another service, a decided request or another chat's
request says nothing; what the person typed is never lost."""

from __future__ import annotations

import datetime as dt

import pytest

from conversations.engine import Engine
from conversations.events import Command
from conversations.flows.intake import INTAKE
from conversations.ports import StatusView
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore, TerminalChat

OPEN = "4512345671"
IDENTITY = "2000000006"
FILED = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)
WARNING = "لديك طلب مفتوح لهذه الخدمة برقم الهوية نفسه، رقمه"
DESCRIPTION = "انتهت إقامتي الشهر الماضي ولم أستطع تجديدها"


def _setup(
    status: str = "under_review",
    service: str = "iqama_renew",
    owner: tuple[str, str] = ("test", "u1"),
    gateway: MemoryGateway | None = None,
) -> tuple[Chat, MemoryGateway]:
    gateway = gateway or MemoryGateway()
    view = StatusView(OPEN, service, status, FILED, FILED.date())
    gateway.views[OPEN] = (view, owner, IDENTITY)
    engine = Engine(MemoryStore(), INTAKE, load_catalogue(), gateway, limiter=MemoryLimiter())
    return Chat(engine.handle), gateway


async def _to_identity(chat: Chat, identity: str = IDENTITY, *, english: bool = False) -> None:
    await chat.command("start")
    if english:
        await chat.text("English")
    for typed in ("ابي اجدد اقامتي", "1", "1"):
        await chat.text(typed)
    await chat.text(identity)


async def _to_summary(chat: Chat) -> None:
    await chat.contact("+966501234567")
    await chat.text(DESCRIPTION)
    await chat.media(ref="iqama")
    await chat.tap("done")


async def test_the_same_service_and_identity_number_open_is_named_and_filing_goes_on() -> None:
    chat, gateway = _setup()
    await _to_identity(chat)
    # above the next question, once: the request's number and status, nothing refused
    assert WARNING in chat.said and OPEN in chat.said and "قيد الدراسة" in chat.said
    assert "رقم جوالك" in chat.last[-1].text
    await chat.contact("+966501234567")
    assert WARNING not in chat.said
    await chat.text(DESCRIPTION)
    await chat.media(ref="iqama")
    await chat.tap("done")
    # the summary says it again, with «Track request N» among its choices
    summary = chat.last[-1]
    assert summary.text.index(WARNING) < summary.text.index("يُرجى مراجعة طلبك")
    assert f"st:{OPEN}" in chat.choice_ids
    assert chat.choice_ids[0] == "confirm"  # the other options keep their numbers
    # filing anyway is «Confirm»: a second request, with what was typed
    await chat.tap("confirm")
    [filed] = gateway.submissions
    assert (filed.service_id, filed.identity_number, filed.description) == (
        "iqama_renew", IDENTITY, DESCRIPTION,
    )  # fmt: skip


async def test_tracking_the_open_request_keeps_the_draft() -> None:
    chat, gateway = _setup()
    await _to_identity(chat)
    await _to_summary(chat)
    number = chat.choice_ids.index(f"st:{OPEN}") + 1
    await chat.text(str(number))  # typed as the number the summary shows it under
    # its status, then the draft comes back whole, at its summary
    status, back, summary = chat.last
    assert f"الطلب رقم ⁦{OPEN}⁩" in status.text and "الحالة: قيد الدراسة" in status.text
    assert "نعود إلى الطلب الذي بدأت تعبئته" in back.text
    assert DESCRIPTION in summary.text and "confirm" in chat.choice_ids
    assert not gateway.submissions
    await chat.tap("confirm")
    assert len(gateway.submissions) == 1


@pytest.mark.parametrize(
    "setup",
    [
        {"status": "accepted"},  # decided: nothing open
        {"status": "rejected"},
        {"service": "passport_renew"},  # another service of the same person
        {"owner": ("test", "someone-else")},  # another chat's: never named
    ],
)
async def test_nothing_is_said_when_no_such_request_is_open(setup: dict[str, object]) -> None:
    chat, _gateway = _setup(**setup)  # type: ignore[arg-type]
    await _to_identity(chat)
    assert WARNING not in chat.said
    await _to_summary(chat)
    assert WARNING not in chat.said and f"st:{OPEN}" not in chat.choice_ids


async def test_a_family_members_identity_number_is_another_request() -> None:
    chat, _gateway = _setup()
    await _to_identity(chat, "2000000014")
    assert WARNING not in chat.said
    await _to_summary(chat)
    assert WARNING not in chat.said


async def test_changing_to_the_open_requests_identity_number_at_the_summary_names_it() -> None:
    chat, _gateway = _setup()
    await _to_identity(chat, "2000000014")
    await _to_summary(chat)
    await chat.tap("e:id")
    await chat.text(IDENTITY)
    assert WARNING in chat.last[-1].text and f"st:{OPEN}" in chat.choice_ids


async def test_in_english() -> None:
    chat, _gateway = _setup()
    await _to_identity(chat, english=True)
    said = chat.said.replace("\u2066", "").replace("\u2069", "")
    assert f"request {OPEN} for this service, with the same identity number, is still open (status: Under review)" in said  # fmt: skip
    await _to_summary(chat)
    labels = [c.label.replace("\u2066", "").replace("\u2069", "") for c in chat.last[-1].choices]
    assert f"Track request {OPEN}" in labels


class _Unreadable(MemoryGateway):
    async def open_request_like(self, *args: str) -> StatusView | None:
        raise ConnectionError("database away")


async def test_with_the_requests_unreadable_the_draft_goes_on_without_a_word() -> None:
    chat, gateway = _setup(gateway=_Unreadable())
    await _to_identity(chat)
    assert WARNING not in chat.said and "رقم جوالك" in chat.last[-1].text
    await _to_summary(chat)
    await chat.tap("confirm")
    assert len(gateway.submissions) == 1


def _bare(text: str) -> str:
    """Without the isolates around numbers (they keep them left to right in Arabic)."""
    return text.replace("\u2066", "").replace("\u2069", "")


async def test_the_warning_at_the_phone_step_offers_to_track_it_at_once() -> None:
    """Raised in session 11: «متابعة الطلب N» was offered only in the summary, though the
    warning is first read at the phone step; the person had to fill in the rest to follow
    the open request. The warning now carries the button; tapped, the status comes and the
    draft is back at the phone step, nothing lost."""
    chat, gateway = _setup()
    await _to_identity(chat)
    warning, question = chat.last
    assert WARNING in warning.text and "رقم جوالك" in question.text
    assert [(c.id, _bare(c.label)) for c in warning.choices] == [
        (f"st:{OPEN}", f"متابعة الطلب {OPEN}")
    ]
    assert "اختيار «متابعة الطلب" in warning.text and "/status" not in warning.text
    await chat.tap(f"st:{OPEN}")
    status, back, phone = chat.last
    assert f"الطلب رقم ⁦{OPEN}⁩" in status.text and "الحالة: قيد الدراسة" in status.text
    assert "نعود إلى الطلب الذي بدأت تعبئته" in back.text and phone.ask_contact
    await _to_summary(chat)
    await chat.tap("confirm")
    [filed] = gateway.submissions
    assert filed.identity_number == IDENTITY


async def test_the_terminal_is_told_the_command_that_tracks_it() -> None:
    """The terminal lists only the question's own choices, typed: a button on the line
    above could not be chosen there, so the line names «/status N» (on a line of its own,
    as Arabic lines show a command mirrored), which keeps the draft the same way."""
    gateway = MemoryGateway()
    view = StatusView(OPEN, "iqama_renew", "under_review", FILED, FILED.date())
    gateway.views[OPEN] = (view, ("test", "u1"), IDENTITY)
    engine = Engine(MemoryStore(), INTAKE, load_catalogue(), gateway, limiter=MemoryLimiter())
    chat = TerminalChat(engine.handle)
    await _to_identity(chat)
    warning = chat.last[0]
    assert WARNING in warning.text and not warning.choices
    assert _bare(warning.text).endswith(f"\n/status {OPEN}")
    await chat.send(Command(chat.origin(), "status", OPEN))
    assert f"الطلب رقم ⁦{OPEN}⁩" in chat.last[0].text
    assert "نعود إلى الطلب الذي بدأت تعبئته" in chat.said
    await chat.text("0501234567")
    assert "يُرجى وصف طلبك" in chat.said  # the draft went on from its phone step


async def test_in_english_at_the_phone_step() -> None:
    chat, _gateway = _setup()
    await _to_identity(chat, english=True)
    warning = chat.last[0]
    text = warning.text.replace("\u2066", "").replace("\u2069", "")
    assert f"choose «Track request {OPEN}», now or before sending" in text
    assert [c.id for c in warning.choices] == [f"st:{OPEN}"]
