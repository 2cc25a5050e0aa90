"""The staff buttons' callback data, and the usual reject reasons they offer.

``st:<action>:<number>:<version>`` or, for a reason picked from the reject menu,
``st:nr:<number>:<version>:<choice>``. ``version`` is the request's version the button was
offered for (:func:`version`), so a button pressed after the request
changed is refused rather than acting on a request that is no longer what the officer saw.
Short ASCII: the longest is ``st:nr:4512345671:12345:cancel`` (29 bytes), far under
Telegram's 64.

Actions: ``take``; ``ask``; ``ok`` accept; ``no`` reject (opens the reasons menu);
``re`` undo a decision the person has not been told of yet, or reopen it; ``nr`` a reason;
``nq`` a ready question (``st:nq:<number>:<version>:<question id>``, ``other`` or ``cancel``).
``rr`` / ``kr`` reopen or keep rejected a request the person asked to be reconsidered.
``bl`` block the person behind the request (asks for the reason); ``ub`` lift that block
(``st:ub:<number>:<version>:<mark>``, the mark naming the block the card showed:
:func:`block_mark`).
``ps`` / ``px`` send or cancel what an officer replied to a menu, shown back to them
(``st:ps:<number>:<version>:<token>``, the token naming it in Redis: :mod:`bot.staff.proposals`).
Buttons from before versions (``st:<action>:<number>``) parse with ``version=None`` and
are answered as out of date.
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final

from bot.db.requests_repo import RequestRecord
from conversations.i18n import DEFAULT_LOCALE
from domain.request_number import InvalidRequestNumber, parse_request_number
from officers.their_say import QUIET_KINDS

PREFIX: Final = "st"
#: callback_data is 1-64 bytes.
MAX_CALLBACK_DATA: Final = 64
#: The longest version written (a request with a million changes is no request).
MAX_VERSION: Final = 99999

TAKE: Final = "take"
ASK: Final = "ask"
ACCEPT: Final = "ok"
REJECT: Final = "no"
REOPEN: Final = "re"
REASON: Final = "nr"
#: block the person behind the request (asks for the reason)
BLOCK: Final = "bl"
#: lift the block on the person behind the request (at the first press; said under the card)
UNBLOCK: Final = "ub"
#: a question picked from the ready questions (or "other", "cancel"), by the question's id
QUESTION: Final = "nq"
#: The answers to a person's request for reconsideration (issue 13): reopen, keep rejected.
REOPEN_ASKED: Final = "rr"
KEEP_REJECTED: Final = "kr"
#: Send, or cancel, the reason or question an officer replied to a menu (bot.staff.proposals).
SEND_PROPOSED: Final = "ps"
DROP_PROPOSED: Final = "px"

_SIMPLE_ACTIONS: Final = frozenset(
    {TAKE, ASK, ACCEPT, REJECT, REOPEN, REOPEN_ASKED, KEEP_REJECTED, BLOCK}
)
#: a ready question's id as a button carries it (see bot/staff/data/ready_questions.json)
_QUESTION_ID: Final = re.compile(r"[a-z0-9_]{1,20}")
#: a proposal's token as a button carries it (bot.staff.proposals)
_TOKEN: Final = re.compile(r"[0-9a-f]{8,20}")
#: the block a «Lift the block» button was drawn for (:func:`block_mark`)
_MARK: Final = re.compile(r"[0-9a-f]{8}")


def block_mark(blocked_by: str, reason: str) -> str:
    """A short mark of the block a card shows (who blocked, and why), carried by its «Lift
    the block» button, so a press on a card drawn before the block changed (lifted and
    laid again by someone else, or for another reason) lifts nothing it did not show.
    Eight hex digits (CRC-32): telling two blocks of one person apart, not a secret."""
    shown = (blocked_by + "\n" + reason).encode()
    return format(zlib.crc32(shown), "08x")


def version(record: RequestRecord) -> int:
    """The request's version as buttons carry it: every change writes one audit row. The
    person's notes (and files sent for a reconsideration) are not changes an officer
    decides differently on (they are posted under the card), so they leave the buttons
    valid."""
    return sum(1 for e in record.events if e.kind not in QUIET_KINDS)


@dataclass(frozen=True, slots=True)
class StaffAction:
    action: str  # take, ask, ok, no, re, nr, nq, bl
    number: str
    version: int | None = None  # None: a button from before versions
    # for nr: a reason index, "other" or "cancel"; for nq: a ready question's id, or those
    choice: str | None = None


def action_data(action: str, number: str, version: int, choice: int | str | None = None) -> str:
    data = f"{PREFIX}:{action}:{number}:{version}"
    if choice is not None:
        data += f":{choice}"
    if not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
        raise ValueError(f"callback data {data!r} does not fit Telegram's 64 bytes")
    return data


def reason_callback(number: str, version: int, choice: int | str) -> str:
    return action_data(REASON, number, version, choice)


def parse_callback(data: str | None) -> StaffAction | None:
    """The action a button carries; None for anything malformed (a forged or garbled
    button is never guessed at)."""
    if not data:
        return None
    parts = data.split(":")
    if not 3 <= len(parts) <= 5 or parts[0] != PREFIX:
        return None
    action, raw_number = parts[1], parts[2]
    # the canonical form only: an ASCII, checksummed number exactly as the card wrote it
    try:
        number = parse_request_number(raw_number)
    except InvalidRequestNumber:
        return None
    if number != raw_number:
        return None
    rest = parts[3:]
    if action == REASON:
        # st:nr:<number>:<version>:<choice>, or st:nr:<number>:<choice> from before versions
        if not rest:
            return None
        choice = rest[-1]
        if not (choice in ("other", "cancel") or (choice.isascii() and choice.isdigit())):
            return None
        rest = rest[:-1]
    elif action == QUESTION:
        # st:nq:<number>:<version>:<question id>; always with a version
        if len(rest) != 2 or not _QUESTION_ID.fullmatch(rest[1]):
            return None
        choice = rest[1]
        rest = rest[:-1]
    elif action == UNBLOCK:
        # st:ub:<number>:<version>:<mark>; without the mark: a card drawn before marks
        choice = None
        if len(rest) == 2:
            if not _MARK.fullmatch(rest[1]):
                return None
            choice = rest[1]
            rest = rest[:-1]
    elif action in (SEND_PROPOSED, DROP_PROPOSED):
        # st:ps:<number>:<version>:<token>; always with a version
        if len(rest) != 2 or not _TOKEN.fullmatch(rest[1]):
            return None
        choice = rest[1]
        rest = rest[:-1]
    elif action not in _SIMPLE_ACTIONS:
        return None
    if len(rest) > 1:
        return None
    version: int | None = None
    if rest:
        if not (rest[0].isascii() and rest[0].isdigit() and len(rest[0]) <= 5):
            return None
        version = int(rest[0])
    chosen = action in (REASON, QUESTION, SEND_PROPOSED, DROP_PROPOSED, UNBLOCK)
    return StaffAction(action, number, version, choice if chosen else None)


@dataclass(frozen=True, slots=True)
class RejectReason:
    id: str
    texts: dict[str, str]

    def text(self, locale: str) -> str:
        return self.texts.get(locale) or self.texts[DEFAULT_LOCALE]


@cache
def reject_reasons() -> tuple[RejectReason, ...]:
    """The usual reasons, in every language, from ``bot/staff/data/reject_reasons.json``."""
    raw: Any = json.loads(
        resources.files("bot.staff")
        .joinpath("data/reject_reasons.json")
        .read_text(encoding="utf-8")
    )
    return tuple(
        RejectReason(str(item["id"]), {k: str(v) for k, v in item.items() if k != "id"})
        for item in raw["reasons"]
    )
