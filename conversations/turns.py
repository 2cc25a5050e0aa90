"""One turn around the dialogue store: claim the event id, load the state, read the
message (conversations.routing), save with compare-and-set, and answer even when
something fails on our side.

A turn is claimed and loaded in one step, so a redelivered update is handled once; the
save marks the claim done in the same write, and is retried from a fresh read when
another worker wrote the person's state meanwhile (:data:`CAS_ATTEMPTS` times). A turn
that fails is released (a redelivery may be handled again) and answered with an apology:
nothing of it was written, so nothing the person gave before is lost. A photo's or
file's turn that meets the store away waits for it (conversations.store_outage).

Mixed into :class:`conversations.engine.Engine`; split from it to keep one idea a file.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from conversations import edits, languages
from conversations.events import Command, Event, Media, Origin, Reply, Text
from conversations.flow import Ctx
from conversations.flows.early_files import takes_early
from conversations.flows.file_counts import REFUSED, counting
from conversations.flows.more_info import waiting_questions
from conversations.i18n import Texts
from conversations.open_requests import with_open_request
from conversations.reading import START_STEPS
from conversations.replays import replayed, replies_from_json, replies_to_json
from conversations.routing import Routing
from conversations.stale_buttons import stamped
from conversations.state import DialogueState
from conversations.status_needs import at_number_prompt
from conversations.store_outage import (
    RETRY_PAUSE_S,
    StoreAway,
    StoreOutage,
    file_apology,
    store_away,
)
from conversations.stray_files import recent_reconsideration

if TYPE_CHECKING:
    import datetime as dt

    from conversations.ports import RequestGateway
    from domain.catalogue import Catalogue

# the turn's lines keep the name they were logged under before the engine was split, so
# log filters and alerts on it keep matching
log = logging.getLogger("conversations.engine")

#: How many times a turn is read again and re-run when another worker saved the
#: person's state between this turn's read and its save.
CAS_ATTEMPTS = 8

#: A channel's download of a photo or file the person sent: the event, and whether the
#: dialogue would use it now, in; the event as kept (checksum, real type) out.
Prepare = Callable[[Media, bool], Awaitable[Media]]


class Turns(Routing, StoreOutage):
    """Mixed into :class:`conversations.engine.Engine`: ``handle`` and ``wants_files``."""

    if TYPE_CHECKING:
        # the Engine's settings (conversations.engine)
        catalogue: Catalogue
        gateway: RequestGateway
        clock: Callable[[], dt.datetime]

    async def handle(self, event: Event, *, prepare: Prepare | None = None) -> list[Reply]:
        """One inbound event: the replies to send, in order. ``prepare`` is the channel's
        download of a photo or file (`Media`), called once the turn's state is loaded with
        whether the dialogue would use the file now, so that deciding costs no Redis read
        of its own (see :meth:`wants_files` for channels that decide before). A photo's or
        file's turn that meets the store away, at its start or midway, is run again once
        the store answers, for ``store_wait_s`` at most (conversations.store_outage)."""
        # notes of files lost here while the store was away (conversations.store_outage)
        await self.settle_owed()
        if not isinstance(event, Media):
            return await self._handle(event, prepare, None)
        until = time.monotonic() + self.store_wait_s
        again = False
        while True:
            try:
                return await self._handle(event, prepare, until, again=again)
            except StoreAway:
                again = True
                await asyncio.sleep(RETRY_PAUSE_S)

    async def _handle(
        self, event: Event, prepare: Prepare | None, until: float | None, *, again: bool = False
    ) -> list[Reply]:
        """:meth:`handle` once; ``until`` (a photo's or file's turn): raises StoreAway
        when the store went away midway and there is time to run the turn again."""
        origin = event.origin
        try:
            claimed, state = await self._claim(origin, until)
        except Exception:
            # the store (Redis) is away: the same apology as any failure on our side, in
            # the language the update itself says (the person's is kept in the store);
            # nothing was written
            log.exception("dialogue store unreachable on %s", origin.channel)
            said = event.text if isinstance(event, Text) else None
            return [await self._failed(event, languages.unstored_locale(origin.language, said))]
        if not claimed:
            # run again after the store went away midway: its save may have landed
            unsent = _unsent(state, origin.event_id, replay=again)
            if unsent is not None:
                log.info("%s turn replayed after its process stopped: replies sent again",
                         origin.channel)  # fmt: skip
                return unsent
            # the event id is not logged: a WhatsApp message id encodes the phone number
            log.info("duplicate %s event ignored", origin.channel)
            return []
        return await self._run_claimed(state, event, prepare, until)

    async def _claim(self, origin: Origin, until: float | None) -> tuple[bool, DialogueState]:
        """Claims the event id and loads the person's state, in one store call."""
        if until is not None:
            # a photo of an album must not be lost behind its acknowledged first one
            # (conversations.store_outage): it waits for the store a while
            return await self.claim_waiting(origin.channel, origin.user_key, origin.event_id, until)
        return await self.store.claim_and_load(origin.channel, origin.user_key, origin.event_id)

    async def _run_claimed(
        self, state: DialogueState, event: Event, prepare: Prepare | None, until: float | None
    ) -> list[Reply]:
        """The claimed turn, tried again from a fresh read while the save loses the
        compare-and-set; on failure the claim is released and the person answered."""
        origin = event.origin
        taken = 0
        try:
            if origin.edits is not None:
                state = await edits.await_original(self.store, origin, state)
            if prepare is not None and isinstance(event, Media):
                # an edited photo never counts as a new file (conversations.edits)
                wanted = origin.edits is None and await self._wants_files(state, origin)
                event = await prepare(event, wanted)
            # files of theirs lost on any worker while the store was away
            # (conversations.store_outage)
            taken = await self.durable_owed(origin.channel, origin.user_key, state)
            for _attempt in range(CAS_ATTEMPTS):
                # and those this process could not note for every worker
                owed = self.owed_files(origin.channel, origin.user_key, state, taken=taken)
                presented, saved = await self._try_turn(state, event)
                if saved:
                    self.paid(origin.channel, origin.user_key, owed)
                    return presented
                state = await self.store.load(origin.channel, origin.user_key)
                if origin.event_id in state.handled:
                    # a replay of a turn whose first handling was not dead after all: it
                    # saved first and answered; this one says nothing
                    log.info("%s event handled meanwhile elsewhere", origin.channel)
                    await self.give_back(origin.channel, origin.user_key, taken)
                    return []
            raise RuntimeError("dialogue state kept changing under us")
        except Exception as exc:
            # the person is never met with silence: nothing they gave is lost (the state
            # was not written), and a redelivery of this update may be handled again
            log.exception("turn failed on %s", origin.channel)
            await self.give_back(origin.channel, origin.user_key, taken)
            with contextlib.suppress(Exception):
                await self.store.release(origin.channel, origin.user_key, origin.event_id)
            if until is not None and store_away(exc, until):
                raise StoreAway from exc
            return [await self._failed(event, state.locale)]

    async def _try_turn(self, state: DialogueState, event: Event) -> tuple[list[Reply], bool]:
        """The turn on ``state`` as read, and its compare-and-set save: the replies as
        the person will see them, and whether the save won."""
        origin = event.origin
        locale, chosen = state.locale, state.locale_chosen
        # a share-my-number control on screen: asked for by the last turn. A contact
        # shared at another step (Telegram's attachment menu) leaves none to take away
        # (found by the fresh-clone tester: a stray «✅» carried its removal)
        shown = state.contact_keyboard
        # each reply's buttons stamped with the question they answer (stale_buttons)
        replies = stamped(state, await self._turn(state, event))
        if not (isinstance(event, Command) and event.name == "resume"):
            # the chat reopening (/resume) is not a message of the person's: a rating
            # question shown as it opened is still the last thing they answer (fresh-clone
            # tester 16 §4: «ممتاز» went to the draft's phone step, no rating kept)
            state.last_turn_at = self.clock().isoformat()
        state.contact_keyboard = replies[-1].ask_contact if replies else shown
        # a language chosen in this turn becomes the account's, in the same write
        # (chosen in so many words: kept as such, conversations.store.locale_value)
        chose = state.locale != locale or state.locale_chosen != chosen
        forget, state.forget_locale = state.forget_locale, False
        state.mark_handled(origin.event_id)
        # a reply may say which language it was written in (before a «delete my data»
        # that set the state's back to the default)
        presented = [self._present(r, r.locale or state.locale) for r in replies]
        if presented and shown:
            presented[0] = dataclasses.replace(presented[0], contact_keyboard_shown=True)
        state.last_replies = [origin.event_id, replies_to_json(presented)]
        return presented, await self._save(origin, state, forget=forget, chose=chose)

    async def _save(
        self, origin: Origin, state: DialogueState, *, forget: bool, chose: bool
    ) -> bool:
        """Compare-and-set of the turn's state, marking its claim done in the same write.
        Only a forgetting turn passes forget_locale (stores that never forget need not
        know the word)."""
        if forget:
            return await self.store.save(
                origin.channel, origin.user_key, state, forget_locale=True, done=origin.event_id
            )
        return await self.store.save(
            origin.channel, origin.user_key, state, remember_locale=chose, done=origin.event_id
        )

    async def _failed(self, event: Event, locale: str) -> Reply:
        """The answer to a turn that failed on our side (nothing of it was written). A
        photo or file is named, and noted as missing from the draft for the person's next
        turn on any worker (conversations.store_outage): a later «Done» must not file
        without it."""
        if isinstance(event, Media):
            await self.note_lost_file(event.origin.channel, event.origin.user_key)
            return self._present(Reply(file_apology(locale)), locale)
        return self._present(Reply(apology(locale)), locale)

    async def _turn(self, state: DialogueState, event: Event) -> list[Reply]:
        """One message; an edit only when it edits the current step's answer (see
        conversations.edits)."""
        if isinstance(event, Media) and event.problem == REFUSED:
            if not counting(state.answers, event.album_id):
                # refused by the abuse screen, and no album of the draft waits for it
                return []
        if edits.is_old_edit(state, event):
            ctx = self._ctx(state, event)
            if state.step in START_STEPS:
                return [Reply(edits.old_edit_hint(ctx))]
            return [self._reply(ctx, edits.old_edit_hint(ctx), with_choices=True)]
        edits.saw(state, event.origin)
        edits.take_back(state, event)
        # the person's first words choose the language, else their app's language
        line = self._follow_writing(state, event)
        if line is None and self._follow_platform(state, event):
            line = languages.OTHER_LANGUAGE_HINT[state.locale]
        replies = await self._read(state, event)
        replies = await self._held_again(self._ctx(state, event), replies)
        # wherever the main menu is shown, a rejection that may be reconsidered is named
        replies = await self._with_reconsider_hint(self._ctx(state, event), replies)
        # a request of the draft's service and identity number still open is named
        if state.flow == self.flow.name:
            replies = await with_open_request(self._ctx(state, event), replies, self._ask)
        edits.settle(state)
        if line is not None:
            replies = languages.with_way_back(replies, state.locale, line)
        return replies

    async def wants_files(self, channel: str, user_key: str) -> bool:
        """Whether a photo or file from this person would be used now: they are at a step
        that takes files, or an officer waits for their answer (a file sent at any step
        may be that answer). Channels download files only then. A read of its own: a
        channel that downloads inside the turn (``handle``'s ``prepare``) saves it."""
        state = await self.store.load(channel, user_key)
        return await self._wants_files(state, Origin(channel, user_key, ""))

    async def _wants_files(self, state: DialogueState, origin: Origin) -> bool:
        step = self._step(state)
        if (step is not None and step.takes_files) or takes_early(state, self.flow.name):
            # before a service is chosen a file is kept for the request (early_files)
            return True
        if at_number_prompt(state) and self._draft_takes_files(state):
            return True  # the draft put aside for a look-up takes it (status_exits)
        if state.flow != self.flow.name and not at_number_prompt(state):
            return False
        ctx = Ctx(state, origin, self.catalogue, self.gateway, self.clock())
        if state.step in START_STEPS and recent_reconsideration(ctx) is not None:
            return True  # a photo just after a request to reconsider joins it
        return bool(await waiting_questions(ctx))


def _unsent(state: DialogueState, event_id: str, *, replay: bool = False) -> list[Reply] | None:
    """The replies of the saved turn `event_id` when it is being replayed (``replay``: run
    again here) and is still the person's last turn (see conversations.replays); None
    otherwise. An older turn's replies would answer a question the person has moved past,
    so they are not kept."""
    last = state.last_replies
    if not (replay or replayed()) or not last or last[0] != event_id:
        return None
    return replies_from_json(last[1])


def apology(locale: str) -> str:
    """The answer to a message we failed to handle on our side (the database or Redis
    away): nothing was written, the person is asked to send it again."""
    _ = Texts(locale).gettext
    return _(
        "Sorry, something went wrong on our side and your last message was not "
        "handled. Nothing you entered before it is lost: please send it again in a moment."
    )
