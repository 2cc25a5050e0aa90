"""What the dialogues need from the outside world, as protocols the bot layer implements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Protocol

if TYPE_CHECKING:
    from conversations.events import Reply
    from conversations.receipt import Receipt

# the person's say refused: a domain rule's outcome, raised by the desk too (officers/)
from domain.their_say import SayRefused as SayRefused


@dataclass(frozen=True, slots=True)
class AttachmentInfo:
    kind: str
    ref: str
    mime: str
    size: int
    checksum: str | None = None
    file_name: str | None = None
    # what the person wrote with the file (a photo's caption), shown to the officers
    caption: str | None = None


@dataclass(frozen=True, slots=True)
class Submission:
    """A confirmed draft. `idempotency_key` is fixed when the draft starts, so confirming
    twice (a double tap, a redelivered update, a retried compare-and-set) files one request."""

    idempotency_key: str
    channel: str
    user_key: str
    locale: str
    applicant_kind: str  # "individual" | "establishment"
    service_id: str
    identity_number: str
    identity_kind: str  # "citizen" | "resident" | "border"
    phone: str  # E.164
    description: str
    establishment_number: str | None = None
    # False when the channel could not vouch for the number (typed by a WhatsApp user
    # known only by a username)
    phone_verified: bool = True
    eligibility: dict[str, str] = field(default_factory=dict)
    attachments: tuple[AttachmentInfo, ...] = ()
    #: the receipt to queue with the request, made from what was filed: (the card, the
    #: confirmation text it follows). A gateway that can write it in the filing's own
    #: transaction does, and says so in ``SubmittedRequest.follow_up``; one that cannot
    #: leaves it to the dialogue's ReceiptMaker.
    receipt: Callable[[SubmittedRequest], tuple[Receipt, Reply]] | None = field(
        default=None, compare=False, repr=False
    )


@dataclass(frozen=True, slots=True)
class SubmittedRequest:
    number: str
    service_id: str
    submitted_at: dt.datetime
    due_date: dt.date
    created: bool  # False when the idempotency key had already filed this request
    #: the follow-up key (``Reply.follow_up``) of the receipt queued in the filing's own
    #: transaction (``Submission.receipt``); None when none was
    follow_up: str | None = None


@dataclass(frozen=True, slots=True)
class MoreInfoAnswer:
    """The person's answer to an officer's question; joins the request it answers."""

    number: str
    channel: str
    user_key: str
    text: str
    attachments: tuple[AttachmentInfo, ...] = ()


class NotAwaitingAnswer(LookupError):
    """The person's own request asks nothing of them now. The words shown are the same as
    for :class:`NotTheirs`, so a number cannot be probed."""


@dataclass(frozen=True, slots=True)
class Note:
    """A note or document the person adds to their open request, unasked."""

    number: str
    channel: str
    user_key: str
    text: str
    attachments: tuple[AttachmentInfo, ...] = ()


class NotTheirs(NotAwaitingAnswer):
    """The request does not exist or was filed from another chat (one error for both):
    the look-up counts as an attempt on someone else's number."""


#: History entries of a :class:`StatusView` that are not a new status.
RECONSIDERATION_ASKED: Final = "reconsider"
DECISION_KEPT: Final = "kept"


@dataclass(frozen=True, slots=True)
class StatusView:
    """What a request's owner may see of it: no identity or phone number in it (an
    establishment's worker's number only masked, ``holder``)."""

    number: str
    service_id: str
    status: str
    submitted_at: dt.datetime
    due_date: dt.date
    reason: str | None = None
    question: str | None = None
    # (when, what) oldest first: what is a new status's value, or RECONSIDERATION_ASKED /
    # DECISION_KEPT for a reconsideration the person asked and its rejection kept (no
    # change of status, yet both are steps of the request the person knows of)
    history: tuple[tuple[dt.datetime, str], ...] = ()
    # a rejection the person was told of and may still ask, once, to be reconsidered
    # (domain.their_say.may_reconsider)
    reconsiderable: bool = False
    #: whom it is for, as the person answered «لمن هذا الطلب؟» (the option's id, "self",
    #: "family"...; None when the service does not ask), and who filed it: what tells two
    #: requests for one service apart in a list (conversations.status_rows)
    for_whom: str | None = None
    applicant_kind: str = "individual"
    #: an establishment's request: its worker's identity number masked
    #: (domain.identity.mask_identity); empty otherwise
    holder: str = ""

    @property
    def reconsidering(self) -> bool:
        """Whether a reconsideration the person asked for waits for the officers: the
        rejection's last step is the asking (tester 13, §5)."""
        return (
            self.status == "rejected"
            and bool(self.history)
            and self.history[-1][1] == RECONSIDERATION_ASKED
        )


class RequestGateway(Protocol):
    async def submit(self, submission: Submission) -> SubmittedRequest: ...

    async def pending_question(self, number: str, channel: str, user_key: str) -> str:
        """The officer's open question on this person's request. Raises NotTheirs when
        the request is missing or someone else's, NotAwaitingAnswer when it asks nothing.
        Costs the same queries whether a request someone else owns exists or not."""
        ...

    async def answer_more_info(self, answer: MoreInfoAnswer) -> None: ...

    async def status_for_owner(self, number: str, channel: str, user_key: str) -> StatusView | None:
        """The request if this chat filed it; None otherwise (no matter why), after the
        same queries whether a request someone else owns exists or not."""
        ...

    async def status_with_identity(self, number: str, identity_number: str) -> StatusView | None:
        """The request if it was filed with this identity number; None otherwise, after
        the same queries whether the number exists or not. Asked for by a chat that did
        not file it: without the officers' free text (``reason`` and ``question`` None),
        which only the filing chat is shown (conversations.flows.status_answer)."""
        ...

    async def my_requests(self, channel: str, user_key: str) -> list[StatusView]: ...

    async def open_request_like(
        self, channel: str, user_key: str, service_id: str, identity_number: str
    ) -> StatusView | None:
        """The newest request filed from this chat for ``service_id`` with this identity
        number that is still open as the person knows it (not accepted or rejected, as
        they were told); None when there is none. Never another chat's request."""
        ...

    # ---- the person's say (issue 13); each raises SayRefused when it cannot be taken ----

    async def may_say(self, what: str, number: str, channel: str, user_key: str) -> None:
        """Checks, before asking for words, that a "note", "recon" or "comment" could be
        taken for this person's request now."""
        ...

    async def rate(self, number: str, channel: str, user_key: str, rating: int) -> None: ...

    async def comment(self, number: str, channel: str, user_key: str, text: str) -> None: ...

    async def add_note(self, note: Note) -> None: ...

    async def reconsider(
        self,
        number: str,
        channel: str,
        user_key: str,
        reason: str,
        files: tuple[AttachmentInfo, ...] = (),
    ) -> None:
        """The reason, and the photos or files the person sent with it."""
        ...

    async def add_to_reconsideration(
        self, number: str, channel: str, user_key: str, files: tuple[AttachmentInfo, ...]
    ) -> None:
        """Files sent just after the reason join the reconsideration still waiting;
        SayRefused ("closed") once the officers have answered it."""
        ...


@dataclass(frozen=True, slots=True)
class Attempt:
    """The answer to :meth:`AttemptLimiter.take`: ``granted`` with ``left`` attempts still
    to come under every key, or refused for ``wait_s`` seconds."""

    granted: bool
    left: int = 0
    wait_s: int = 0


class AttemptLimiter(Protocol):
    """Look-ups of request numbers by someone who may not own them, counted per key
    (an account, a request number) for every worker at once."""

    async def take(self, *keys: str) -> Attempt:
        """One attempt under every key, taken atomically *before* the look-up it pays
        for; refused (nothing taken) when any key has none left."""
        ...

    async def refund(self, *keys: str) -> None:
        """Gives back the attempt of a look-up that proved the person's right."""
        ...

    async def blocked_for(self, *keys: str) -> int:
        """Seconds until any of ``keys`` may try again; 0 when none is blocked."""
        ...


class FilingPaused(Exception):
    """A new request cannot be filed now: the chat (``per="account"``) or the identity
    number (``per="identity"``) filed ``count`` requests in the last day, the most allowed.
    ``wait_s``: seconds until one more may be filed. Nothing was written."""

    def __init__(self, per: str, count: int, wait_s: int) -> None:
        super().__init__(per, count, wait_s)
        self.per = per
        self.count = count
        self.wait_s = wait_s


class LostFiles(Protocol):
    """Notes of photos or files that did not reach a person's draft because the dialogue
    store was away (conversations.store_outage), kept where every worker reads them while
    it is away (bot.db.lost_files). Every method may raise the backend's errors."""

    async def add(self, channel: str, user_key: str, files: int = 1) -> None:
        """``files`` more files of this person were lost."""
        ...

    async def waiting(self, channel: str, user_key: str) -> int:
        """How many are noted for this person (a read only; a note another process
        wrote a moment ago may be seen by the next turn only, bot.db.lost_files)."""
        ...

    async def take(self, channel: str, user_key: str) -> int:
        """Removes the person's note; how many it counted (0 when taken already)."""
        ...
