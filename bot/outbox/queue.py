"""Writing deliveries into the outbox, inside the caller's transaction.

Rows are written in the same transaction as the change they report, so a crash between
"saved" and "sent" loses nothing: the dispatcher finds the row and sends it.
Payload shapes (the dispatcher's handlers read them):
- person, ``kind="notify"``, ``channel`` = the person's channel, ``target`` = user_key:
  ``{"number", "status", "replies": [{"text", "choices": [[id, label, description], ...]}]}``;
  a reply also keeps ``"ask_contact": true`` (the share-my-number control), ``"locale"``
  and ``"numbered": false`` when it has them, so that a turn's reply sent later by the
  outbox looks as it would have in the turn.
- staff group, ``kind="staff_card"``, ``channel="staff"``: ``{"number"}`` — the card is
  rendered from the request as it stands when sent, so several changes make one edit.
- staff group, ``kind="staff_text"``, ``channel="staff"``: ``{"html"}`` (digest, reminders);
  optional ``"department"`` sends it to that department's forum topic, ``"reply_to"`` (and
  ``"thread"``) as a reply to that message (a card) in its topic.
- staff group, ``kind="staff_album"``, ``channel="staff"``: ``{"number", "first"?, "count"?}``
  — the request's ``count`` attachments from the ``first``-th (in filing order) under its
  card. The delivery queues one itself right after a card's first send, so the card and its
  album are separate sends that each go out exactly once; :func:`staff_album` queues one for
  each batch of files added later (an answer, a note). The range is fixed when the row is
  queued: a row read "from ``first`` to the end" at delivery time, so a batch still queued
  when the next arrived posted the next one's files too (found by the fresh-clone tester).
  A row without ``count`` (queued before it existed) still goes to the end.
- person, ``kind="receipt"``: ``{"number", "receipt": {...}}`` — the receipt card, after
  the confirmation text (see :mod:`bot.outbox.receipts`); it holds back no later row.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Insert, Table, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import OutboxMessage, Request, utcnow
from conversations.events import Option, Reply

STAFF = "staff"
#: Kind of a receipt card row: a courtesy that never holds back the rows behind it.
RECEIPT = "receipt"


@functools.cache
def outbox_insert() -> Insert:
    """An outbox row, its columns' values given at execution (the rest take the table's
    defaults, as an ``OutboxMessage`` added to a session does): built once, for the rows
    every filing writes."""
    return insert(cast(Table, OutboxMessage.__table__))


def replies_to_payload(replies: Sequence[Reply]) -> list[dict[str, Any]]:
    """The replies as JSON for a row's payload; only what differs from a plain reply is
    written beyond the text and choices (rows written before these keys read the same)."""
    out: list[dict[str, Any]] = []
    for r in replies:
        item: dict[str, Any] = {
            "text": r.text,
            "choices": [[o.id, o.label, o.description] for o in r.choices],
        }
        if r.ask_contact:
            item["ask_contact"] = True
        if r.locale is not None:
            item["locale"] = r.locale
        if not r.numbered:
            item["numbered"] = False
        out.append(item)
    return out


def replies_from_payload(payload: dict[str, Any]) -> list[Reply]:
    return [
        Reply(
            item["text"],
            choices=tuple(Option(*choice) for choice in item.get("choices", [])),
            ask_contact=bool(item.get("ask_contact", False)),
            locale=item.get("locale"),
            numbered=bool(item.get("numbered", True)),
        )
        for item in payload.get("replies", [])
    ]


def notify_person(
    session: AsyncSession,
    request: Request,
    replies: Sequence[Reply],
    *,
    status: str,
    status_label: str | None = None,
    not_before: dt.datetime | None = None,
    survey: bool = False,
) -> None:
    """Queues the person's notification; ``not_before`` holds it back (a decision the
    officer may still undo); ``survey`` marks a notice that asks how satisfied the person
    is (an undo of it makes the question due again)."""
    session.add(
        OutboxMessage(
            kind="notify",
            channel=request.channel,
            target=request.user_key,
            request_id=request.id,
            payload={
                "number": request.number,
                "status": status,
                # for a WhatsApp template outside the 24-hour window
                "status_label": status_label or status,
                "replies": replies_to_payload(replies),
                **({"survey": True} if survey else {}),
            },
            next_attempt_at=not_before or utcnow(),
        )
    )


def new_staff_card_row(request_id: int, number: str) -> dict[str, Any]:
    """The values of a new request's staff card row for :func:`outbox_insert`, with the
    keys every filing row has (``dedupe_key`` among them), so the filing writes its card
    and its receipt's rows in one executemany (bot.db.requests_repo)."""
    return {
        "kind": "staff_card",
        "channel": STAFF,
        "target": STAFF,
        "dedupe_key": None,
        "request_id": request_id,
        "payload": {"number": number},
        "next_attempt_at": utcnow(),
    }


async def refresh_staff_card(session: AsyncSession, request: Request, *, new: bool = False) -> None:
    """Queues one (re)render of the request's staff card; one pending row is enough.

    A row a dispatcher holds right now does not count: it may already have read the
    request as it was before this change, so the change needs a row of its own. The row
    found is locked until this transaction ends (PostgreSQL), so a dispatcher cannot claim
    it and read the request in between: it skips the row and takes it next round.
    `new`: the request was made in this transaction, so it has no row yet and none is
    looked for (a statement less in every filing); its row is written at once.
    """
    if new:
        # a new request's row, the filing's: one prebuilt INSERT, not the ORM's unit of
        # work (issue 12: the filing's statements built once)
        await session.execute(outbox_insert(), new_staff_card_row(request.id, request.number))
        return
    now = utcnow()
    pending = await session.scalar(
        select(OutboxMessage.id)
        .where(
            OutboxMessage.kind == "staff_card",
            OutboxMessage.request_id == request.id,
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.delivery_status == "queued",
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
        )
        .with_for_update()
    )
    if pending is not None:
        return
    session.add(
        OutboxMessage(
            kind="staff_card",
            channel=STAFF,
            target=STAFF,
            request_id=request.id,
            payload={"number": request.number},
            next_attempt_at=utcnow(),
        )
    )


def staff_text(
    session: AsyncSession,
    html: str,
    *,
    dedupe_key: str | None = None,
    reply_to: int | None = None,
    thread: int | None = None,
    department: str | None = None,
) -> None:
    """A message to the staff group: as a reply to ``reply_to`` (a card's message id, in
    its ``thread``) when given, else in the department's topic, else in the general one."""
    payload: dict[str, Any] = {"html": html}
    if reply_to is not None:
        payload["reply_to"] = reply_to
        payload["thread"] = thread
    elif department is not None:
        payload["department"] = department
    session.add(
        OutboxMessage(
            kind="staff_text",
            channel=STAFF,
            target=STAFF,
            payload=payload,
            dedupe_key=dedupe_key,
            next_attempt_at=utcnow(),
        )
    )


def staff_album(session: AsyncSession, request: Request, *, first: int, count: int) -> None:
    """Queue the request's ``count`` attachments from the ``first``-th (in filing order)
    for the staff group, under the request's card: e.g. the files of the person's answer,
    with ``first`` = how many the request had before. Sent after any card row queued
    before."""
    session.add(
        OutboxMessage(
            kind="staff_album",
            channel=STAFF,
            target=STAFF,
            request_id=request.id,
            payload={"number": request.number, "first": first, "count": count},
            next_attempt_at=utcnow(),
        )
    )
