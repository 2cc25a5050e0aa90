"""What a flow is made of: steps that ask and steps that answer, as small functions.

A step's ``ask`` says what the person sees on arriving at the step; its ``answer`` reads
one inbound event and tells the engine where to go next. Steps change ``ctx.state.answers``
and nothing else; the engine owns navigation, history and persistence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from conversations.events import Event, Option, Origin
from conversations.formatting import Digits
from conversations.i18n import Texts
from conversations.ports import RequestGateway
from conversations.receipt import ReceiptMaker
from conversations.state import DialogueState
from domain.catalogue import Catalogue


@dataclass
class Ctx:
    state: DialogueState
    origin: Origin
    catalogue: Catalogue
    gateway: RequestGateway
    now: dt.datetime
    # how quantities and dates are written in Arabic (TAWASUL_ARABIC_DIGITS)
    arabic_digits: Digits = "arab"
    receipts: ReceiptMaker | None = None

    @property
    def texts(self) -> Texts:
        return Texts(self.state.locale)

    @property
    def locale(self) -> str:
        return self.state.locale


@dataclass(frozen=True, slots=True)
class Prompt:
    text: str
    choices: tuple[Option, ...] = ()
    ask_contact: bool = False


@dataclass(frozen=True, slots=True)
class Next:
    """Go to ``step`` and ask it; ``say`` comes first (e.g. "Saved.")."""

    step: str
    say: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Retry:
    """Stay on this step: say what was wrong, offer the same choices again."""

    hint: str


@dataclass(frozen=True, slots=True)
class Stay:
    """Stay on this step; say ``say`` (possibly nothing, e.g. the 2nd photo of an album)."""

    say: tuple[str, ...] = ()
    with_choices: bool = True


@dataclass(frozen=True, slots=True)
class Finish:
    """The flow is over: the draft is cleared and ``say`` closes it."""

    say: tuple[str, ...]
    choices: tuple[Option, ...] = field(default=())
    # a delivery that follows the closing message once it is sent (the receipt card)
    follow_up: str | None = None
    # buttons of an earlier message (``spent_on``, a Choice.message) that this closing
    # makes useless: see Reply.spent_on
    spent: tuple[str, ...] = ()
    spent_on: str | None = None
    # the requests still to file that the person named (DialogueState.next_requests)
    later: tuple[tuple[str, ...], ...] = ()


Outcome = Next | Retry | Stay | Finish


@dataclass(frozen=True, slots=True)
class Step:
    ask: Callable[[Ctx], Prompt]
    answer: Callable[[Ctx, Event], Awaitable[Outcome]]
    # the first step has nowhere to go back to
    can_go_back: bool = True
    # a step that asks for the person's own words, where even a bare "3" may be the answer
    # («how many live with you?»): typed numbers are their text, not the buttons' numbers
    # (channels show such buttons unnumbered)
    free_text: bool = False
    # a step where photos and files join the request: channels download files only then
    # (and a file's caption reaches the step even with a file the step will refuse)
    takes_files: bool = False
    # a step that asks several questions in turn (a service's eligibility questions):
    # «رجوع» first goes back among them; True when it did (the step asked again)
    back: Callable[[Ctx], bool] | None = None


@dataclass(frozen=True, slots=True)
class Flow:
    name: str
    first: str
    steps: dict[str, Step]
    greeting: Callable[[Ctx], str]
    help: Callable[[Ctx], str]
