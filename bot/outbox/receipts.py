"""The receipt card as an outbox delivery, off the update path.

When a request is filed the dialogue answers at once with the text that carries the
request number; the card (a picture of the same) follows. :class:`ReceiptQueue` is the
dialogue's :class:`~conversations.receipt.ReceiptMaker`: it writes two rows to the
person's queue, held back for :data:`HOLD_S`:

- ``kind="notify"`` (dedupe key ``receipt:N:text``): the confirmation text, the durable
  copy of what the turn sends itself;
- ``kind="receipt"`` (dedupe key ``receipt:N``): the card, drawn by the delivery in a
  process pool (:class:`bot.receipt_cards.ReceiptCards`), never on the event loop.

The channel sends the turn's replies and then calls :meth:`ReceiptQueue.release` with the
reply's ``follow_up`` key: the text row is closed as sent (the person has it) and the card
row becomes due now. If the channel could not send the text, both rows become due now, so
the dispatcher sends the text, then the card. If the process dies before either, the hold
runs out and the dispatcher sends both: a filed request's number is never lost with the
turn. The text row is the older of the two in the person's queue, so the card never
overtakes the text; the card row holds back nothing behind it (the dispatcher lets later
rows of a queue pass a ``receipt`` row), and a card that cannot be drawn or sent is
dropped with a log line after :data:`CARD_ATTEMPTS` tries.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import functools
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any, Final, Protocol

from sqlalchemy import Update, and_, bindparam, case, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.engine import SQLITE_BEGIN
from bot.db.models import OutboxMessage, utcnow
from bot.outbox.handlers import (
    DeliveryError,
    DeliveryHandler,
    OutboxRow,
    PermanentFailure,
    RetryAfter,
    Skipped,
    TemporaryFailure,
)
from bot.outbox.queue import RECEIPT, outbox_insert, replies_to_payload
from bot.receipt_cards import ReceiptCards
from conversations.events import Origin, Reply
from conversations.formatting import Digits, present
from conversations.notifications import status_name
from conversations.receipt import Receipt

log = logging.getLogger(__name__)

#: How long the rows wait for the channel's word before the dispatcher sends them anyway
#: (the turn's process died, or was too slow to say).
HOLD_S: Final = 60.0
#: Tries of a card before it is dropped: it is a courtesy, and the text has the number.
CARD_ATTEMPTS: Final = 3


def receipt_key(number: str) -> str:
    return f"receipt:{number}"


def _text_key(key: str) -> str:
    return f"{key}:text"


class FollowUps(Protocol):
    """What a channel calls once it has sent a reply that has a ``follow_up``, and with the
    replies it could not send."""

    async def release(self, key: str, *, delivered: bool) -> None:
        """`delivered`: the reply's text reached the platform, so only what follows it is
        still to send; otherwise the durable copy of the text is sent first."""
        ...

    async def unsent(self, channel: str, target: str, replies: Sequence[Reply]) -> None:
        """Replies the platform refused for now (429s and 5xx past the channel's own
        retries: the Bot API overloaded or away), to be sent by the outbox with its retries
        and rate limits, so that the person is answered once it takes calls again."""
        ...


class ReceiptQueue:
    """The dialogue's ReceiptMaker and the channels' FollowUps, on the outbox table."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        hold_s: float = HOLD_S,
        clock: Callable[[], dt.datetime] = utcnow,
        kick: Callable[[], None] | None = None,
    ) -> None:
        self._sessions = sessions
        self._hold = dt.timedelta(seconds=hold_s)
        self._clock = clock
        #: wakes this process's dispatcher once a card is due (set by the wiring)
        self.kick = kick
        # releases asked for while one transaction runs, written together by the next
        self._waiting: list[tuple[str, bool, asyncio.Future[None]]] = []
        self._writing: asyncio.Task[None] | None = None

    async def send_after(self, receipt: Receipt, confirmation: Reply, origin: Origin) -> str:
        try:
            async with self._transaction() as session:
                key = await self.add(
                    session, receipt, confirmation, origin.channel, origin.user_key
                )
        except IntegrityError:
            # asked again for the same request (a retried turn, a second confirm): one card
            log.info("receipt of request %s already queued", receipt.number)
            key = receipt_key(receipt.number)
        return key

    async def add(
        self,
        session: AsyncSession,
        receipt: Receipt,
        confirmation: Reply,
        channel: str,
        target: str,
        *,
        first: Sequence[dict[str, Any]] = (),
    ) -> str:
        """Adds the two held rows (the confirmation's copy, then the card) to `session`'s
        transaction, which the caller commits: :meth:`send_after`'s own, or the filing's
        (bot.db.requests_repo), so the request and its receipt are written together.
        `first`: other outbox rows of the transaction (bot.outbox.queue.outbox_insert's
        values, with the same keys: the filing's staff card, new_staff_card_row) written
        before these in the same executemany, one statement for all. Each row's id is
        above the one before it, so the text goes before the card. Returns the follow-up
        key. Raises IntegrityError when the request's receipt is already queued."""
        key, rows = self._rows(receipt, confirmation, channel, target)
        await session.execute(outbox_insert(), [*first, *rows])
        return key

    def _rows(
        self, receipt: Receipt, confirmation: Reply, channel: str, target: str
    ) -> tuple[str, list[dict[str, Any]]]:
        """The follow-up key and the values of the two held rows :meth:`add` writes, the
        confirmation's copy first, with the keys of bot.outbox.queue.new_staff_card_row."""
        key = receipt_key(receipt.number)
        held = self._clock() + self._hold
        shown = _presented(confirmation, receipt.locale, receipt.arabic_digits)
        text_row = {
            "kind": "notify",
            "channel": channel,
            "target": target,
            "dedupe_key": _text_key(key),
            "request_id": None,
            "payload": {
                "number": receipt.number,
                "status": "received",
                "status_label": status_name("received", receipt.locale),
                "replies": replies_to_payload([shown]),
            },
            "next_attempt_at": held,
        }
        card_row = {
            "kind": RECEIPT,
            "channel": channel,
            "target": target,
            "dedupe_key": key,
            "request_id": None,
            "payload": {"number": receipt.number, "receipt": receipt_to_payload(receipt)},
            "next_attempt_at": held,
        }
        return key, [text_row, card_row]

    async def release(self, key: str, *, delivered: bool) -> None:
        """Returns once the release is written (raises what writing it raised). Releases
        asked for while another is being written wait for it and are then written
        together, in one transaction (a group commit): under a burst of confirmations
        each one no longer queues for SQLite's write lock on its own (issue 12, the tail
        at 200 at once); alone, a release is written at once as before. Each keeps its
        own fate: a batch that fails is written again one release at a time, so one that
        cannot be written does not take the others with it (issue 11); one that stays
        unwritten leaves its rows held, and they go out when the hold runs out."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        # a caller cancelled meanwhile (shield below) never reads its failure: read here,
        # or the loop reports «Future exception was never retrieved» with a traceback
        done.add_done_callback(_retrieved)
        self._waiting.append((key, delivered, done))
        if self._writing is None or self._writing.done():
            self._writing = asyncio.create_task(self._write_releases())
        await asyncio.shield(done)  # a cancelled caller leaves the others' write alone

    async def _write_releases(self) -> None:
        batch: list[tuple[str, bool, asyncio.Future[None]]] = []
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                try:
                    await self._write(batch)
                except Exception as exc:
                    if len(batch) == 1:
                        _settle(batch[0], exc)
                    else:
                        log.warning(
                            "%d receipts' releases not written together (%s); each alone",
                            len(batch),
                            type(exc).__name__,
                        )
                        await self._write_each(batch)
                else:
                    for entry in batch:
                        _settle(entry, None)
                if self.kick is not None:
                    self.kick()
        finally:
            # cancelled (a stop): the callers waiting are not left waiting for ever
            for _, _, done in [*batch, *self._waiting]:
                if not done.done():
                    done.cancel()

    async def _write_each(self, batch: Sequence[tuple[str, bool, asyncio.Future[None]]]) -> None:
        for entry in batch:
            try:
                await self._write([entry])
            except Exception as exc:
                _settle(entry, exc)
            else:
                _settle(entry, None)

    async def _write(self, batch: Sequence[tuple[str, bool, asyncio.Future[None]]]) -> None:
        # One UPDATE a release (prebuilt: _release_statement), where there were two: the
        # text row closed as sent, then the rows still free made due now; those of a
        # batch in one executemany for each kind, in one transaction.
        now = self._clock()
        async with self._transaction() as session:
            connection = await session.connection()
            for delivered in (True, False):
                params = [
                    {"key": key, "text_key": _text_key(key), "now": now}
                    for key, was, _ in batch
                    if was is delivered
                ]
                if params:
                    # on the Core connection: a list of values given to the ORM session
                    # would be read as a bulk UPDATE by primary key
                    await connection.execute(_release_statement(delivered), params)

    async def unsent(self, channel: str, target: str, replies: Sequence[Reply]) -> None:
        if not replies:
            return
        async with self._transaction() as session:
            session.add(
                OutboxMessage(
                    kind="notify",
                    channel=channel,
                    target=target,
                    payload={"replies": replies_to_payload(replies)},
                    next_attempt_at=self._clock(),
                )
            )
        if self.kick is not None:
            self.kick()

    @contextlib.asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncSession]:
        async with self._sessions() as session, session.begin():
            await session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
            yield session


def _retrieved(done: asyncio.Future[None]) -> None:
    if not done.cancelled():
        done.exception()


def _settle(entry: tuple[str, bool, asyncio.Future[None]], exc: BaseException | None) -> None:
    """A release's caller told how its own release went."""
    done = entry[2]
    if done.done():
        return
    if exc is None:
        done.set_result(None)
    else:
        done.set_exception(exc)


@functools.cache
def _release_statement(delivered: bool) -> Update:
    """The release of a receipt's two held rows (bind ``key``, ``text_key``, ``now``),
    built once. Every row of the two that no dispatcher holds and that is still queued
    becomes due ``now``; with `delivered`, the text row, if nobody has tried it yet, is
    instead closed as sent in the turn (and keeps its time). SQL evaluates every SET of a
    row against the row as it was, so the CASEs read the row before this UPDATE, as the
    two statements this replaces did."""
    now = bindparam("now", type_=OutboxMessage.__table__.c.next_attempt_at.type)
    free = and_(
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.delivery_status == "queued",
        or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
    )
    statement = update(OutboxMessage).where(
        OutboxMessage.dedupe_key.in_((bindparam("key"), bindparam("text_key"))), free
    )
    if not delivered:
        return statement.values(next_attempt_at=now).execution_options(synchronize_session=False)
    sent_here = and_(OutboxMessage.dedupe_key == bindparam("text_key"), OutboxMessage.attempts == 0)
    return statement.values(
        next_attempt_at=case((sent_here, OutboxMessage.next_attempt_at), else_=now),
        sent_at=case((sent_here, now), else_=OutboxMessage.sent_at),
        delivery_status=case((sent_here, "sent"), else_=OutboxMessage.delivery_status),
        last_error=case((sent_here, "sent in the turn"), else_=OutboxMessage.last_error),
    ).execution_options(synchronize_session=False)


def _presented(reply: Reply, locale: str, digits: Digits) -> Reply:
    """The reply as the engine would have shown it (see Engine._present)."""
    choices = tuple(
        dataclasses.replace(o, label=present(o.label, locale, digits)) for o in reply.choices
    )
    return Reply(present(reply.text, locale, digits), choices=choices, locale=locale)


def receipt_to_payload(receipt: Receipt) -> dict[str, Any]:
    return {
        "number": receipt.number,
        "service_id": receipt.service_id,
        "filed": receipt.filed.isoformat(),
        "due": receipt.due.isoformat(),
        "working_days": receipt.working_days,
        "locale": receipt.locale,
        "arabic_digits": receipt.arabic_digits,
    }


def receipt_from_payload(payload: Any) -> Receipt:
    """Raises PermanentFailure when the payload is not a receipt (a bug, never a retry)."""
    try:
        raw = payload["receipt"]
        return Receipt(
            number=str(raw["number"]),
            service_id=str(raw["service_id"]),
            filed=dt.date.fromisoformat(raw["filed"]),
            due=dt.date.fromisoformat(raw["due"]),
            working_days=int(raw["working_days"]),
            locale=str(raw["locale"]),
            arabic_digits=raw.get("arabic_digits", "arab"),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise PermanentFailure(f"not a receipt payload ({type(exc).__name__})") from None


class CardSend(Protocol):
    """A channel's way to send one picture (a local PNG) to the person of a row."""

    async def __call__(self, row: OutboxRow, path: str) -> str | None: ...


class WithReceipts:
    """A person channel's handler that also delivers its ``receipt`` rows: the card is
    drawn (in the cards' process pool) and sent by `send`; every other row goes to
    `inner`. Failures of a card are tried :data:`CARD_ATTEMPTS` times, then dropped."""

    def __init__(self, inner: DeliveryHandler, cards: ReceiptCards, send: CardSend) -> None:
        self.inner = inner
        self.cards = cards
        self.send = send

    async def deliver(self, row: OutboxRow) -> str | None:
        if row.kind != RECEIPT:
            return await self.inner.deliver(row)
        receipt = receipt_from_payload(row.payload)
        path = await self.cards.make(receipt)
        if path is None:
            raise PermanentFailure("the receipt card could not be drawn; dropped")
        try:
            return await self.send(row, path)
        except (RetryAfter, Skipped):
            raise  # pacing, or nobody to send to: neither is the card failing
        except Exception as exc:
            reason = exc.reason if isinstance(exc, DeliveryError) else type(exc).__name__
            if isinstance(exc, PermanentFailure) or row.attempts + 1 >= CARD_ATTEMPTS:
                log.warning(
                    "receipt card of a %s request dropped after %d tries: %s",
                    row.channel, row.attempts + 1, reason,
                )  # fmt: skip
                raise PermanentFailure(f"card dropped: {reason}") from None
            raise TemporaryFailure(f"card: {reason}") from None
