"""A photo or file that meets the dialogue store (Redis) away is not lost quietly.

Telegram sends an album as one update per photo. The first photo's turn acknowledges the
album («Received your files»), so a person whose second photo met Redis restarting had
already seen the acknowledgement, pressed «Done» and confirmed; the apology for the second
photo came too late to be read as being about it, and the request was filed with one photo
of two (issue 11, the load test's Redis fault). Two rules close that:

- a file's turn waits for the store to answer again, up to :data:`STORE_WAIT_S`, and is
  then handled as usual (a turn that met the store away midway, at its save, is run again
  from the start: nothing of it was written, and its claim is still busy, so it is taken
  again; should the save have landed with only its reply lost, the saved replies are
  given): a restart or a failover takes seconds, and the person's later
  messages wait behind this one (one at a time per person in a process, and across
  workers the webhook's per-person line, bot.webhook_turns), so their «Done» is read with
  the photo kept;
- past that, the person is told which message was not received (:func:`file_apology`,
  not the general «your last message»), and the process that told them notes the lost
  file for their next turn (:meth:`StoreOutage.owed_files`): until they send a file again
  or say they go on without it, «Done» and «Confirm» do not file the request
  (conversations.flows.describe, conversations.flows.intake_summary); where an answer to
  an officer or a note is gathered (conversations.gathering), the first «send» says a file
  is missing and the next one sends without it.

The note cannot go into the person's state: that is the store that is away. So it is
written to the engine's :class:`~conversations.ports.LostFiles` (the SQL database,
bot.db.lost_files), which every worker reads while Redis is away, and the next turn of
the person at the documents steps, on whichever worker, takes it into the draft
(:meth:`StoreOutage.durable_owed`): the worker that apologised may have died, or never
handle anything again. Only turns at those steps read it (a process looks at who has a
note at most every half second, and reads a person's row only when named: see
bot.db.lost_files for the turn that look can miss; a note of a
file sent elsewhere, where no draft would have taken it, waits there until the person
reaches them, or a day). When the database refuses too, or the engine has none (unit
tests), the note stays in the memory of the process that gave the apology and is written
into the person's state by the first turn of anyone handled there once the store answers;
a next turn of theirs on another worker before that does not see it, nor any if that
process dies first (the window left then; the person was told all the same).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from typing import Any, Final

from conversations.flow import Ctx, Flow
from conversations.i18n import Texts
from conversations.ports import LostFiles
from conversations.state import DialogueState
from conversations.store import DialogueStore, StoreUnavailable

log = logging.getLogger(__name__)

#: How long a photo or file waits for the dialogue store to answer again before the
#: person is told it was not received. Longer than a Redis restart on its AOF or a
#: Sentinel failover, short enough that the person is not left without a word.
STORE_WAIT_S: Final = 20.0
#: Pauses between tries while the store is away: at first, then at most.
_PAUSE_S: Final = 0.05
_PAUSE_MAX_S: Final = 1.0

#: How often notes of lost files are tried while the store stays away.
_SETTLE_EVERY_S: Final = 0.5
#: The pause before a file's turn that met the store away midway is run again.
RETRY_PAUSE_S: Final = 0.2


class StoreAway(Exception):
    """A file's turn met the store away midway (its save, the download's daily allowance)
    with time left to run it again; nothing of it was written."""


def store_away(exc: BaseException, deadline: float) -> bool:
    """Whether ``exc`` says the store could not be reached (not a refusal nor a bug:
    :class:`~conversations.store.StoreUnavailable`, or a socket's own error) and a file's
    turn may still be run again before ``deadline`` (``time.monotonic()``)."""
    if time.monotonic() + RETRY_PAUSE_S >= deadline:
        return False
    return isinstance(exc, (OSError, StoreUnavailable))


#: The intake steps where a photo joins the draft, and those after them.
FILE_STEPS: Final = ("description", "attachments", "summary")
#: The draft's answer counting the files the person sent that did not reach the draft.
MISSING: Final = "missing_files"


def file_apology(locale: str) -> str:
    """The answer to a photo or file whose turn failed on our side: it names the message,
    says it is not in the request, and asks for it again."""
    _ = Texts(locale).gettext
    return _(
        "Sorry, the photo or file you just sent did not reach us because of a problem on our "
        "side, so it is not in your request. Please send it again in a moment; nothing else "
        "you entered is lost."
    )


def missing_line(ctx: Ctx) -> str:
    """What the documents step says while a file the person sent is known not to have
    reached the draft (the step's «Done» and «Go on without it» are named)."""
    _ = ctx.texts.gettext
    return _(
        "A photo or file you sent did not reach us because of a problem on our side, so your request does not have it yet. Please send it again, then press «Done». If you do not have it any more, press «Go on without it»."
    )


def missing_before_sending(ctx: Ctx) -> str:
    """The same, where words and files are gathered before being sent (an answer to an
    officer, a note): said once, and a second press sends without the file."""
    _ = ctx.texts.gettext
    return _(
        "A photo or file you sent did not reach us because of a problem on our side, so it is not with what you are sending yet. Please send it again, then press the send button. To send without it, press the send button again."
    )


def missing_files(state: DialogueState) -> int:
    """How many files the person sent that the draft is known not to hold."""
    return int(state.answers.get(MISSING, 0))


def file_kept(state: DialogueState) -> None:
    """A file was kept in the draft: one missing file less (the person sent it again)."""
    left = missing_files(state) - 1
    if left > 0:
        state.answers[MISSING] = left
    else:
        state.answers.pop(MISSING, None)


def go_without(state: DialogueState) -> None:
    """The person goes on without the files that did not reach us."""
    state.answers.pop(MISSING, None)


class StoreOutage:
    """The engine's part: waiting for the store on a file's turn, and the lost-file notes.

    ``store_wait_s`` is the engine's setting (:data:`STORE_WAIT_S` by default)."""

    store: DialogueStore
    store_wait_s: float
    flow: Flow
    side_flows: Mapping[str, Flow]
    lost_files: LostFiles | None
    _owed_files: dict[tuple[str, str], int]
    _settle_after: float

    async def claim_waiting(
        self, channel: str, user_key: str, event_id: str, deadline: float
    ) -> tuple[bool, DialogueState]:
        """``store.claim_and_load``, tried again while the store is away, until
        ``deadline`` (``time.monotonic()``); raises the store's last error past that."""
        pause = _PAUSE_S
        warned = False
        while True:
            try:
                return await self.store.claim_and_load(channel, user_key, event_id)
            except Exception:
                if time.monotonic() + pause > deadline:
                    raise
                if not warned:
                    log.warning("dialogue store unreachable on %s: a file waits for it", channel)
                    warned = True
            await asyncio.sleep(pause)
            pause = min(_PAUSE_MAX_S, pause * 2)

    def owe_file(self, channel: str, user_key: str) -> None:
        """Notes, in this process, a file of this person's that the draft did not take
        (the store was away), when :meth:`note_lost_file` cannot note it for every worker."""
        key = (channel, user_key)
        self._owed()[key] = self._owed().get(key, 0) + 1

    async def note_lost_file(self, channel: str, user_key: str) -> None:
        """Notes a file of this person's that the draft did not take, where every worker
        reads it (:attr:`lost_files`); in this process's memory when that fails too."""
        if self.lost_files is not None:
            try:
                await self.lost_files.add(channel, user_key)
                return
            except Exception:
                log.warning("note of a lost file kept in this process: database unreachable")
        self.owe_file(channel, user_key)

    async def durable_owed(self, channel: str, user_key: str, state: DialogueState) -> int:
        """Takes the person's note of lost files from :attr:`lost_files` when ``state``
        has a draft or an answer it belongs to (read only then, and removed only when
        there is one); how many files it counted, to be added to the turn's state (see
        :meth:`owed_files`) and given back (:meth:`give_back`) if the turn is not saved."""
        if self.lost_files is None or self._missing_target(state) is None:
            return 0
        try:
            if not await self.lost_files.waiting(channel, user_key):
                return 0
            return await self.lost_files.take(channel, user_key)
        except Exception:
            log.warning("notes of lost files not read: database unreachable")
            return 0

    async def give_back(self, channel: str, user_key: str, taken: int) -> None:
        """The turn that took ``taken`` notes (:meth:`durable_owed`) was not saved: noted
        again for the next one."""
        if taken and self.lost_files is not None:
            try:
                await self.lost_files.add(channel, user_key, taken)
            except Exception:
                log.warning("notes of lost files kept in this process: database unreachable")
                key = (channel, user_key)
                self._owed()[key] = self._owed().get(key, 0) + taken

    def owed_files(
        self, channel: str, user_key: str, state: DialogueState, *, taken: int = 0
    ) -> int:
        """Adds this process's notes of lost files, and ``taken`` ones read from
        :attr:`lost_files`, to ``state`` (read anew for a turn); how many of this process's
        were added, to be :meth:`paid` once the turn is saved."""
        owed = self._owed().get((channel, user_key), 0)
        if not owed and not taken:
            return 0
        target = self._missing_target(state)
        if target is not None:
            target[MISSING] = int(target.get(MISSING, 0)) + owed + taken
        # elsewhere there is no draft a file would have joined: the note is dropped
        return owed

    def _missing_target(self, state: DialogueState) -> dict[str, Any] | None:
        """The answers that count the person's missing files: an answer to an officer or
        a note being gathered (conversations.gathering), else the draft (put aside while
        another flow runs, or current) at the documents steps; None elsewhere."""
        side = self.side_flows.get(state.flow) if state.flow != self.flow.name else None
        here = side.steps.get(state.step) if side is not None else None
        if here is not None and here.takes_files:
            return state.answers
        step, target = state.step, state.answers
        if side is not None:
            # the draft is put aside while another flow runs: the note goes with it
            draft = state.suspended or {}
            step, target = draft.get("step", ""), draft.get("answers", {})
        return target if step in FILE_STEPS else None

    async def settle_owed(self) -> None:
        """Writes this process's notes of lost files into their persons' states, at the
        start of any turn here once the store answers again: a next turn of theirs taken by
        another worker then sees them too (it can still come first; the window left). Tried
        at most every :data:`_SETTLE_EVERY_S` while the store stays away."""
        if not self._owed() or time.monotonic() < getattr(self, "_settle_after", 0.0):
            return
        for channel, user_key in list(self._owed()):
            try:
                state = await self.store.load(channel, user_key)
                before = state.to_json()
                added = self.owed_files(channel, user_key, state)
                if state.to_json() == before or await self.store.save(channel, user_key, state):
                    # (a note for a person with no draft to hold it is dropped unwritten)
                    self.paid(channel, user_key, added)
            except Exception:
                log.warning("notes of lost files not written yet: dialogue store unreachable")
                self._settle_after = time.monotonic() + _SETTLE_EVERY_S
                return

    def paid(self, channel: str, user_key: str, count: int) -> None:
        """The turn that carried ``count`` notes into the state was saved."""
        key = (channel, user_key)
        left = self._owed().get(key, 0) - count
        if left > 0:
            self._owed()[key] = left
        else:
            self._owed().pop(key, None)

    def _owed(self) -> dict[tuple[str, str], int]:
        owed: dict[tuple[str, str], int] | None = getattr(self, "_owed_files", None)
        if owed is None:
            owed = {}
            self._owed_files = owed
        return owed
