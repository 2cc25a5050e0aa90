"""The WhatsApp channel's inbound side: :class:`WhatsAppChannel` handles one message from
a person. It records the window and the person's number, downloads media while its URL is
valid (5 minutes), asks the engine, answers the «More» row of long lists itself, and
answers the engine's request for a phone number itself (below).

The phone number: on Telegram the person taps «share my number». On WhatsApp the number
*is* the account: WhatsApp vouches for ``wa_id``, so when the engine asks for a contact
(``Reply.ask_contact``) the channel does not show that question; it feeds the engine a
``Contact(phone="+<wa_id>", is_own=True)`` at once and sends what follows ("thank you,
your number is saved" and the next question). A person who hides their number behind a
WhatsApp username has no wa_id in the payload and none is known: their events carry
``Origin.phone_unverified``, so the phone step asks them to type it and keeps it as not
verified. The others' events carry the number as ``Origin.vouched_phone``: the phone step
asked again (from the summary, or «back») offers it and takes another mobile typed
instead, as not verified. A ``system`` notice that the person changed number moves what the channel keeps
for them, then calls ``renumbered`` for the account and the dialogue.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Final

import httpx
from pywa_async.errors import WhatsAppError
from redis.exceptions import RedisError

from bot.abuse.guard import Screen
from bot.channels.keyed_locks import KeyedLocks
from bot.channels.sent_marks import SentMarks
from bot.channels.whatsapp import (
    CLAIM_TTL_S,
    DEFAULT_MAX_CONCURRENT,
    MENU_TTL_S,
    WA_ID_TTL_S,
    WINDOW_S,
    WhatsAppSender,
    _claim_key,
    _describe,
    _reply_from_json,
    _reply_to_json,
    _wa_id_key,
    last_inbound_key,
    masked,
)
from bot.channels.whatsapp_bursts import Bursts
from bot.channels.whatsapp_inbound import CHANNEL, Inbound, NumberChange
from bot.channels.whatsapp_keys import wa_person_key
from bot.channels.whatsapp_media import fetch_media
from bot.channels.whatsapp_render import MORE_PREFIX, RenderError
from bot.channels.whatsapp_renumber import Renumbered, renumber
from bot.media_intake import MediaIntake
from bot.media_store import MediaStore
from bot.outbox.follow_up_releases import BackgroundReleases
from bot.outbox.receipts import FollowUps
from bot.redis_store.dialogue import claim_once
from conversations.events import Choice, Contact, Event, Media, Origin, Reply
from conversations.i18n import N_
from conversations.store import StoreUnavailable

log = logging.getLogger(__name__)

#: The dialogue engine as the channel sees it (see bot.channels.telegram.Handle).
Handle = Callable[[Event], Awaitable[list[Reply]]]
#: Sends the notifications that waited for the person's window (see
#: bot.outbox.whatsapp_delivery); returns how many went.
DeliverWaiting = Callable[[str], Awaitable[int]]
#: Called with the user key after each answered message (the reminder of an unsent
#: answer, bot.channels.whatsapp_reminders).
AfterTurn = Callable[[str], Awaitable[None]]


#: The channel's name as people know it, for the dialogue's words that name it
#: (``Origin.channel_name``; «واتساب» in Arabic).
CHANNEL_NAME: Final = N_("WhatsApp")

# SET the last-inbound time only forward: a redelivered old message must not move it back.
#: Choices that mean the same at any step, so a tap on an old message is never stale.
_ANYWHERE: Final = frozenset({"back", "help", "cancel", "restart", "new", "status", "confirm"})
_ANYWHERE_PREFIXES: Final = ("ans:", "lang:", "rate:", "note:", "recon:")


def _offer_key(user_key: str) -> str:
    return wa_person_key("offer", user_key)


_SET_MAX = """
local cur = redis.call('GET', KEYS[1])
if (not cur) or tonumber(cur) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]))
  return 1
end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
return 0
"""

# ------------------------------------------------------------------------ inbound


@contextlib.asynccontextmanager
async def redis_away(what: str) -> AsyncIterator[None]:
    """A step of the channel's own that Redis away (past the waits before it) does not
    let stop the person's turn: skipped, with one line naming it."""
    try:
        yield
    except (RedisError, StoreUnavailable) as exc:
        log.warning("WhatsApp turn without %s: Redis unreachable (%s)", what, type(exc).__name__)


class WhatsAppChannel:
    """Turns inbound messages into events for `handle` and sends its replies.

    Messages of one person are handled one at a time in this process, in the order the
    web app queued them; across processes the engine's compare-and-set keeps answers
    from being lost and its SET NX on the wamid keeps a redelivery from being handled
    twice.
    """

    def __init__(
        self,
        handle: Handle,
        sender: WhatsAppSender,
        media_store: MediaStore | MediaIntake,
        *,
        max_concurrent: int = DEFAULT_MAX_CONCURRENT,
        clock: Callable[[], float] = time.time,
        deliver_waiting: DeliverWaiting | None = None,
        renumbered: Renumbered | None = None,
        after_turn: AfterTurn | None = None,
        follow_ups: FollowUps | None = None,
        screen: Screen | None = None,
        sent_marks: SentMarks | None = None,
    ) -> None:
        self._screen = screen
        # how many of a turn's replies went out, for a replay (bot.channels.sent_marks)
        self._sent_marks = sent_marks
        self._after_turn = after_turn
        self._handle = handle
        # the receipt's card released after its text, off the turn (follow_up_releases)
        self._releases = BackgroundReleases(follow_ups) if follow_ups is not None else None
        self._deliver_waiting = deliver_waiting
        self._renumbered = renumbered
        self.sender = sender
        # the checks around downloads (a bare store: every photo and document is fetched)
        self._media_store = MediaIntake.of(media_store)
        self._slots = asyncio.Semaphore(max_concurrent)
        self._locks: KeyedLocks[str] = KeyedLocks()
        self._clock = clock
        self._set_max = sender.redis.register_script(_SET_MAX)
        # files chosen together: one album, acknowledged once with its count
        self.bursts = Bursts(sender.redis, clock=clock)

    async def arriving(self, item: Inbound) -> Inbound:
        """``item`` as it arrives, before it waits its turn behind the sender's earlier
        messages (bot.web): a photo or file joins its album then, so that an album's
        first file, waiting for the rest before the dialogue sees it, counts them all
        (bot.channels.whatsapp_bursts)."""
        if isinstance(item.event, Media) and item.event.origin.edits is None:
            media = await self.bursts.join(
                item.sender.user_key, item.wamid, item.event, item.timestamp
            )
            return dataclasses.replace(item, event=media)
        return item

    async def on_message(self, item: Inbound) -> None:
        user_key = item.sender.user_key
        if (
            item.change is None
            and isinstance(item.event, Media)
            and item.event.origin.edits is None
        ):
            # the album's wait (seconds) holds none of the process's handling slots
            settled = await self.bursts.settle(user_key, item.event)
            item = dataclasses.replace(item, event=settled)
        async with self._locks.hold(user_key), self._slots:
            if item.change is not None:
                await self._renumber(item, item.change)
                return
            if self._screen is not None:
                # blocks and limits, before any work on the message (bot.abuse.guard)
                # a burst of files is one message for the limit (bot.abuse.guard)
                album = item.event.album_id if isinstance(item.event, Media) else None
                verdict = await self._screen(CHANNEL, user_key, item.wamid, album)
                if not verdict.admit:
                    if verdict.replies:
                        # to the number in this message: nothing is kept for a refused
                        # person, not even their number (see _remember)
                        to = item.sender.wa_id
                        await self._send_turn(user_key, list(verdict.replies), to=to)
                    counted = (
                        await self.bursts.refused(user_key, item.event, verdict.why or "")
                        if isinstance(item.event, Media)
                        else None
                    )
                    if counted is None:
                        return
                    # a file of an album others of which were let through: counted, not
                    # kept, so the album is answered (bot.channels.whatsapp_bursts)
                    item = dataclasses.replace(item, event=counted)
                elif isinstance(item.event, Media):
                    async with redis_away("the admission of a file"):
                        await self.bursts.admit(user_key, item.event)
            # Redis away past the waits: these steps of the channel's own are skipped, so
            # that the turn answers (a file's own apology, the lost file noted for every
            # worker: conversations.store_outage) rather than the worker's general one
            async with redis_away("the window"):
                await self._remember(item)
            await self._waiting(user_key)
            pending: list[Reply] = []
            async with redis_away("the replies waiting for the window"):
                pending = await self.sender.take_pending(user_key)
            if pending:
                await self.sender.deliver(user_key, pending)
                if item.quick_reply:
                    return  # "show me" on the template: the waiting replies are the answer
            event = item.event
            if event is None:
                return
            if isinstance(event, Choice) and event.id.startswith(MORE_PREFIX):
                await self._more(item, event.id)
                return
            if isinstance(event, Choice) and await self._stale(item, event.id):
                return
            if isinstance(event, Media) and event.origin.edits is None and not event.problem:
                # passed on as it came when Redis (the daily allowance) is away: the
                # turn then waits for the store, as a file's turn does
                async with redis_away("the file's download"):
                    event = await fetch_media(self.sender.wa, event, item.sha256, self._media_store)
            wa_id = item.sender.wa_id
            if wa_id is None:
                async with redis_away("the number kept"):
                    wa_id = await self._known_wa_id(user_key)
            # the channel's name comes with the event: the dialogue names no channel itself
            named = dataclasses.replace(event.origin, channel_name=CHANNEL_NAME)
            if wa_id:
                # the account's number: the phone step asked again offers it beside a typed one
                origin = dataclasses.replace(named, vouched_phone="+" + wa_id)
            else:
                # a username without a number: nothing to vouch for, the person types it
                origin = dataclasses.replace(named, phone_unverified=True)
            event = dataclasses.replace(event, origin=origin)
            replies = await self._handle(event)
            replies = await self._answer_contact(item, replies)
            await self._send_turn(user_key, replies, to=wa_id, turn=event.origin)
            await self._offered(user_key, replies)
            if self._after_turn is not None:
                try:
                    await self._after_turn(user_key)
                except Exception:
                    log.exception("after-turn bookkeeping for %s failed", masked(user_key))

    async def _offered(self, user_key: str, replies: Sequence[Reply]) -> None:
        """Remembers what this turn offered (every choice id, and the last reply with
        choices, to ask again), so a tap on an older message can be recognised."""
        asked = [r for r in replies if r.choices]
        if not asked:
            return  # nothing offered (an apology, a duplicate): the last offer still holds
        ids = sorted({o.id for r in asked for o in r.choices})
        offer = {"ids": ids, "reply": _reply_to_json(asked[-1])}
        await self.sender.redis.set(
            _offer_key(user_key), json.dumps(offer, ensure_ascii=False), ex=MENU_TTL_S
        )

    async def _stale(self, item: Inbound, choice_id: str) -> bool:
        """A button or row of an older message, no longer on offer: says so and asks the
        current question again instead of letting another step read it. True when
        answered here. Choices that work at any step (help, status, answering an officer,
        the language...) are never stale."""
        if choice_id in _ANYWHERE or choice_id.startswith(_ANYWHERE_PREFIXES):
            return False
        user_key = item.sender.user_key
        raw = await self.sender.redis.get(_offer_key(user_key))
        if raw is None:
            return False  # nothing known (a day later): the dialogue decides
        offer = json.loads(raw)
        if choice_id in offer["ids"]:
            return False
        claimed = await claim_once(self.sender.redis, _claim_key(item.wamid), CLAIM_TTL_S)
        if claimed:
            _ = (await self.sender.texts_for(user_key)).gettext
            said = _("That button is from an earlier message. Here is where we are now:")
            await self.sender.deliver(user_key, [Reply(said), _reply_from_json(offer["reply"])])
        return True

    async def _send_turn(
        self,
        user_key: str,
        replies: list[Reply],
        *,
        to: str | None = None,
        turn: Origin | None = None,
    ) -> None:
        """The turn's replies, each on its own: one that fails does not take the next
        with it; a reply with a follow-up (the receipt card) releases it once sent, or
        hands its text to the outbox to send again when it could not be sent here, in a
        task the turn does not wait for (:meth:`settled`; bot.outbox.follow_up_releases).
        `turn`: the message they answer; a replay of it skips the replies sent before its
        worker was stopped (bot.channels.sent_marks), as Telegram's does."""
        marks = self._sent_marks if turn is not None else None
        skip = await marks.already(turn) if marks is not None and turn is not None else 0
        for index, reply in enumerate(replies):
            if index < skip:
                continue  # sent before the turn was cut (a replay)
            try:
                await self.sender.deliver(user_key, [reply], to=to)
                delivered = True
            except (WhatsAppError, httpx.HTTPError, RenderError) as exc:
                delivered = False
                log.warning("a reply to %s failed (%s)", masked(user_key), _describe(exc))
            if reply.follow_up is not None and self._releases is not None:
                self._releases.soon(reply.follow_up, delivered=delivered)
            if marks is not None and turn is not None:
                await marks.sent(turn, index + 1, len(replies))

    async def settled(self) -> None:
        """Until every receipt's follow-up released after a turn is written (or has
        failed, which is logged): a stop's drain waits for it."""
        if self._releases is not None:
            await self._releases.settled()

    async def _waiting(self, user_key: str) -> None:
        """Notifications that waited for the window go first, before any answer."""
        if self._deliver_waiting is None:
            return
        try:
            await self._deliver_waiting(user_key)
        except Exception:
            # the database is away for a moment: the rows stay queued for the dispatcher,
            # and the person still gets an answer to what they wrote
            log.exception("waiting notifications for %s not delivered now", masked(user_key))

    async def _remember(self, item: Inbound) -> None:
        """The window opens with the person's message (its own time, never later than
        now); their number is kept for sending and for the phone step."""
        now = self._clock()
        at = min(float(item.timestamp), now) if item.timestamp > 0 else now
        user_key = item.sender.user_key
        await self._set_max(keys=[last_inbound_key(user_key)], args=[int(at), 2 * WINDOW_S])
        if item.sender.wa_id:
            await self.sender.redis.set(_wa_id_key(user_key), item.sender.wa_id, ex=WA_ID_TTL_S)

    async def _renumber(self, item: Inbound, change: NumberChange) -> None:
        """The person moved to another number (bot.channels.whatsapp_renumber)."""
        await renumber(self.sender.redis, item.wamid, change, self._renumbered)

    async def _more(self, item: Inbound, choice_id: str) -> None:
        claimed = await claim_once(self.sender.redis, _claim_key(item.wamid), CLAIM_TTL_S)
        if not claimed:
            return
        user_key = item.sender.user_key
        if await self.sender.send_more(user_key, choice_id) is None:
            # a list of a day ago (or a forged id): say so rather than stay silent
            _ = (await self.sender.texts_for(user_key)).gettext
            stale = _("That list is out of date. Please answer the last question I asked.")
            await self.sender.deliver(user_key, [Reply(stale)])

    async def _answer_contact(self, item: Inbound, replies: list[Reply]) -> list[Reply]:
        """Answer the engine's "share your number" with the person's WhatsApp number."""
        out: list[Reply] = []
        answered = False
        for reply in replies:
            if not reply.ask_contact:
                out.append(reply)
                continue
            wa_id = item.sender.wa_id or await self._known_wa_id(item.sender.user_key)
            if wa_id is None or answered:
                # no number to vouch for (a username), or it was refused: ask in words
                if answered:
                    log.warning(
                        "phone step refused the WhatsApp number of %s", masked(item.sender.user_key)
                    )
                out.append(Reply(reply.text, choices=reply.choices, media=reply.media))
                continue
            answered = True
            origin = Origin(
                CHANNEL, item.sender.user_key, f"{item.wamid}:contact", channel_name=CHANNEL_NAME
            )
            contact = Contact(origin=origin, phone="+" + wa_id, is_own=True)
            out.extend(await self._handle(contact))
        # A reply of the follow-up that asks again (the number was refused) is shown as words.
        return [
            Reply(r.text, choices=r.choices, media=r.media) if r.ask_contact else r for r in out
        ]

    async def _known_wa_id(self, user_key: str) -> str | None:
        raw = await self.sender.redis.get(_wa_id_key(user_key))
        if raw is None:
            return None
        return raw.decode() if isinstance(raw, bytes) else str(raw)
