"""Every question of every flow, and its help, renders within WhatsApp's and Telegram's
limits, in Arabic and English.

The dialogue is explored rather than scripted: from each state reached, every choice it
offers is tapped and a few typical messages are typed (a need in words, identity and
establishment numbers, a description, a photo, a shared number, the person's request number
and someone else's, «حالة طلبي», the answer button of an officer's question), so a new step
or a new option is covered without touching this test. At each new state the person also
asks for help in both languages. Every reply met on the way must render without the
plain-text fallback, and the exploration must have reached every step of every flow.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import itertools
from collections import deque
from collections.abc import Callable

import pytest

from bot.channels import telegram_render, whatsapp_render
from bot.channels.whatsapp_render import (
    MAX_BUTTON_TITLE,
    MAX_BUTTONS,
    MAX_ROW_DESCRIPTION,
    MAX_ROW_TITLE,
    MAX_ROWS,
    OutButtons,
    OutList,
    render_reply,
    validate,
)
from conversations.engine import Engine
from conversations.events import Choice, Contact, Event, Media, Option, Origin, Reply, Text
from conversations.flows.intake import INTAKE
from conversations.flows.more_info import MORE_INFO
from conversations.i18n import Texts
from conversations.ports import StatusView, Submission, SubmittedRequest
from conversations.state import DialogueState
from domain.catalogue import load_catalogue
from domain.identity import InvalidIdentityNumber, parse_establishment_number
from tests.unit.conversations.fakes import MemoryGateway, MemoryLimiter, MemoryStore
from tests.unit.conversations.test_my_data import FakePersonalData
from tests.unit.conversations.test_status import RESIDENT, THEIRS, _view

CHANNEL, USER = "whatsapp", "u1"
MINE = "5038329651"
ASKED = "4000000002"  # a well-formed request number: a forged one is refused (issue 15.6)
NOW = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
#: Enough for the whole dialogue many times over; a bound so a loop cannot hang the test.
BUDGET = 6000


def _establishment() -> str:
    for tail in itertools.count():
        candidate = f"7{tail:09d}"
        try:
            return parse_establishment_number(candidate)
        except InvalidIdentityNumber:
            continue
    raise AssertionError("unreachable")


@functools.cache
def _typed() -> tuple[str, ...]:
    return (
        "ابي اجدد اقامتي",
        "خدمة لا يعرفها أحد",
        RESIDENT,
        "1000000008",
        _establishment(),
        "انتهت إقامتي ولا أستطيع تجديدها من أبشر بسبب خطأ في النظام",
        MINE,
        THEIRS,
        "حالة طلبي",
    )


class FilingGateway(MemoryGateway):
    """A request filed on the way is the person's too: with their first one, the look-up
    shows two to choose from (one alone is answered at once, without a list)."""

    async def submit(self, submission: Submission) -> SubmittedRequest:
        filed = await super().submit(submission)
        view = StatusView(filed.number, filed.service_id, "received", filed.submitted_at,
                          filed.due_date, history=((filed.submitted_at, "received"),))  # fmt: skip
        self.views[filed.number] = (view, (CHANNEL, USER), submission.identity_number)
        return filed


class Explorer:
    def __init__(self) -> None:
        gateway = FilingGateway()
        gateway.views[MINE] = (_view(MINE, "under_review"), (CHANNEL, USER), RESIDENT)
        # someone else's request: its look-up asks for the owner's identity number, the only
        # way to the status flow's identity step since an identity number typed at the number
        # step is no longer looked up as a request number (3987cd4)
        gateway.views[THEIRS] = (_view(THEIRS, "under_review"), (CHANNEL, "u2"), "1000000008")
        gateway.questions[(ASKED, CHANNEL, USER)] = "أرفق صورة الجواز من فضلك"
        self.store = MemoryStore()
        self.engine = Engine(
            self.store,
            INTAKE,
            load_catalogue(),
            gateway,
            clock=lambda: NOW,
            limiter=MemoryLimiter(),
            # help offers «بياناتي» too where the service answers it, as in `tawasul run`
            personal_data=FakePersonalData(),
        )
        self.ids = itertools.count()
        self.replies = 0

    def origin(self) -> Origin:
        return Origin(CHANNEL, USER, f"e{next(self.ids)}")

    def snapshot(self) -> tuple[dict[tuple[str, str], str], dict[tuple[str, str], str]]:
        return dict(self.store.states), dict(self.store.locales)

    def restore(self, snap: tuple[dict[tuple[str, str], str], dict[tuple[str, str], str]]) -> None:
        self.store.states, self.store.locales = dict(snap[0]), dict(snap[1])

    async def state(self) -> DialogueState:
        return await self.store.load(CHANNEL, USER)

    async def send(self, make: Callable[[Origin], Event]) -> list[Reply]:
        replies = await self.engine.handle(make(self.origin()))
        for reply in replies:
            check(reply)
        self.replies += len(replies)
        return replies

    def candidates(self, state: DialogueState) -> list[Callable[[Origin], Event]]:
        events: list[Callable[[Origin], Event]] = [
            (lambda o, c=choice_id: Choice(o, c)) for choice_id, _label in state.offered
        ]
        events += [(lambda o, t=text: Text(o, t)) for text in _typed()]
        events += [
            lambda o: Contact(o, "+966501234567", True),
            lambda o: Media(o, "photo", "p1", "image/jpeg", 50_000, None, "ab" * 32),
            lambda o: Choice(o, f"ans:{ASKED}"),
        ]
        return events


def check(reply: Reply) -> None:
    """`reply` rendered as WhatsApp and Telegram would send it, within their limits."""
    locale = reply.locale or "ar"
    for message in render_reply(reply, Texts(locale), token="t0k3n"):
        validate(message)
        if isinstance(message, OutButtons):
            assert len(message.buttons) <= MAX_BUTTONS
            assert all(len(b.title) <= MAX_BUTTON_TITLE for b in message.buttons)
            assert len({b.title for b in message.buttons}) == len(message.buttons)
        if isinstance(message, OutList):
            assert len(message.rows) <= MAX_ROWS
            assert all(len(r.title) <= MAX_ROW_TITLE for r in message.rows)
            assert all(len(r.description) <= MAX_ROW_DESCRIPTION for r in message.rows)
            assert len({r.id for r in message.rows}) == len(message.rows)
    # Telegram: the limits its renderer enforces (callback data, text length, keyboards)
    ids = [o.id for o in reply.choices]
    assert len(set(ids)) == len(ids), f"repeated choices {ids}"
    telegram_render.render_reply(1, reply)


@pytest.mark.parametrize("locale", ["ar", "en"])
async def test_every_step_of_every_flow_with_help_renders(locale: str) -> None:
    explorer = Explorer()
    explorer.store.locales[(CHANNEL, USER)] = locale
    await explorer.send(lambda o: Text(o, "هلا"))
    seen: set[tuple[str, str, tuple[str, ...], bool]] = set()
    steps: set[tuple[str, str]] = set()
    queue = deque([explorer.snapshot()])
    transitions = 0
    while queue and transitions < BUDGET:
        snap = queue.pop()
        explorer.restore(snap)
        state = await explorer.state()
        # which answers are held too: a number kept early (the establishment's at the first
        # question) skips its step, so the same question without it leads elsewhere
        offered = tuple(sorted(i for i, _ in state.offered))
        key = (state.flow, state.step, offered, "establishment" in state.answers)
        if key in seen:
            continue
        seen.add(key)
        steps.add((state.flow, state.step))
        # help, in both languages, at this step
        for language, word in (("ar", "مساعدة"), ("en", "help"), ("ar", "؟")):
            explorer.restore(snap)
            explorer.store.locales[(CHANNEL, USER)] = language
            await explorer.send(lambda o, w=word: Text(o, w))
        for make in explorer.candidates(state):
            explorer.restore(snap)
            await explorer.send(make)
            transitions += 1
            queue.append(explorer.snapshot())
    every = {("intake", s) for s in INTAKE.steps} | {("more_info", s) for s in MORE_INFO.steps}
    every |= {("status", s) for s in explorer.engine.side_flows["status"].steps}
    every |= {("intake", "done")}
    assert every <= steps, f"never reached: {sorted(every - steps)}"
    assert transitions < BUDGET, "the exploration did not finish"
    assert explorer.replies > 1000


def test_help_at_the_first_question_offers_status_once_and_renders_as_buttons() -> None:
    # «هلا» then «مساعدة»: the first question offers «حالة طلبي» and so does help
    reply = Reply(
        "هل تقدّم الطلب بصفتك فردًا أم منشأة؟",
        choices=(
            Option("ind", "فرد"),
            Option("est", "منشأة"),
            Option("status", "حالة طلبي"),
            Option("restart", "ابدأ من جديد"),
            Option("status", "حالة طلبي"),
            Option("lang:en", "English"),
            Option("help", "مساعدة"),
            Option("cancel", "إلغاء"),
        ),
    )
    [message] = render_reply(reply, Texts("ar"))
    assert isinstance(message, OutList)
    assert [r.id for r in message.rows] == ["ind", "est", "status", "restart", "lang:en"]
    assert "«مساعدة»" in message.body and "«إلغاء»" in message.body


def test_a_reply_that_cannot_be_rendered_is_sent_as_numbered_text() -> None:
    # no text for the interactive body: WhatsApp would refuse it, the person gets text
    options = (Option("a", "نعم"), Option("b", "لا"))
    broken = dataclasses.replace(Reply("x", choices=options), text="")
    with pytest.raises(whatsapp_render.RenderError):
        render_reply(broken, Texts("ar"))
    [message] = whatsapp_render.render_safely(broken, Texts("ar"))
    assert isinstance(message, whatsapp_render.OutText)
    assert "1. نعم" in message.body and "2. لا" in message.body
