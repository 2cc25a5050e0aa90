"""The engine: (state, inbound event) -> (new state, replies), with the store around it.

It owns what every step shares: claiming the event id, the words and buttons that work
everywhere (cancel, back, help, restart), turning a typed number or label into the choice
it names, polite answers to things a step cannot use, and compare-and-set retries.

This module holds the engine's settings and parts; the work is done by its mixins, one
idea a file: a turn around the store (conversations.turns), which part reads a message
(conversations.routing), moving between steps (conversations.moves), languages, drafts,
personal data, officers' questions, rules questions, status needs, ratings and notes, and
the store's outages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from conversations.events import Event
from conversations.flow import Ctx, Flow, Step
from conversations.flows import status as status_flow
from conversations.flows.more_info import MORE_INFO
from conversations.flows.their_say import SAY_FLOW
from conversations.formatting import Digits
from conversations.my_data import PersonalData
from conversations.ports import AttemptLimiter, LostFiles, RequestGateway
from conversations.receipt import ReceiptMaker
from conversations.state import DialogueState
from conversations.store import DialogueStore
from conversations.store_outage import STORE_WAIT_S
from conversations.turns import Prepare, Turns, apology
from domain.catalogue import Catalogue

# the names other modules import from here, since before the split
__all__ = ["Engine", "Prepare", "apology"]


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Engine(Turns):
    """The dialogue engine: ``handle`` one inbound event, ``wants_files`` before a
    download (conversations.turns). Its fields are the flows it runs, the ports it talks
    to and its settings."""

    store: DialogueStore
    flow: Flow
    catalogue: Catalogue
    gateway: RequestGateway
    clock: Callable[[], dt.datetime] = field(default=_utcnow)
    # how quantities and dates are written in Arabic (TAWASUL_ARABIC_DIGITS)
    arabic_digits: Digits = "arab"
    # draws the receipt card once a request is filed; without one the text says it all
    receipts: ReceiptMaker | None = None
    # flows entered from a button rather than from the start (answering an officer)
    side_flows: Mapping[str, Flow] = field(
        default_factory=lambda: {MORE_INFO.name: MORE_INFO, SAY_FLOW.name: SAY_FLOW}
    )
    # failed status look-ups; without one, status questions are answered to owners only
    limiter: AttemptLimiter | None = None
    # «بياناتي» / «احذف بياناتي» (conversations.my_data); without it those words are not read
    personal_data: PersonalData | None = None
    # how long a photo's or file's turn waits for the store (Redis) to answer again
    # (conversations.store_outage)
    store_wait_s: float = STORE_WAIT_S
    # notes of files lost while the store was away, read by every worker (SQL); without
    # it they stay in this process (conversations.store_outage)
    lost_files: LostFiles | None = None

    def __post_init__(self) -> None:
        if self.limiter is not None:
            status = status_flow.build_status_flow(self.limiter)
            self.side_flows = {**self.side_flows, status.name: status}

    def _flow(self, state: DialogueState) -> Flow:
        return self.side_flows.get(state.flow, self.flow)

    def _ctx(self, state: DialogueState, event: Event) -> Ctx:
        return Ctx(
            state,
            event.origin,
            self.catalogue,
            self.gateway,
            self.clock(),
            arabic_digits=self.arabic_digits,
            receipts=self.receipts,
        )

    def _step(self, state: DialogueState) -> Step | None:
        return self._flow(state).steps.get(state.step)
