"""One person's own data, on their request (issue 14, Saudi PDPL): what the service holds
about a chat's account («بياناتي») and its deletion («احذف بياناتي»).

Everything is looked up by (channel, user key): a request filed from another chat is never
read or changed, whatever numbers it shares. Deletion redacts the account's *decided*
requests exactly as the retention job does (:func:`bot.db.retention.redact_requests`); an
open request keeps its data, since the officers still need it, and the person is told.
The account's phone and bound identity numbers go too once no open request needs them, and
its language is set back to the default, and the blocks an officer lifted lose the
person's user key and the reason (one in force stays whole). Every call writes one audit_log row (actor
``resident:<channel>:<user_key>``, as in the status trail) whose details hold counts and
request numbers, never an identity or phone number.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from bot.db.engine import SQLITE_BEGIN
from bot.db.models import (
    Account,
    AccountIdentity,
    AuditEntry,
    Block,
    Rating,
    Request,
    StatusEvent,
)
from bot.db.requests_repo import resident_actor
from bot.db.retention import REDACTED, redact_blocks, redact_requests
from bot.exports import EXPORT_NAME, EXPORT_TTL, sweep_exports
from bot.media_store import MediaStore
from conversations.i18n import DEFAULT_LOCALE
from conversations.my_data import (
    Erased,
    HeldBlock,
    HeldData,
    HeldFile,
    HeldRating,
    HeldRequest,
    Said,
    held_numbers,
)
from domain.status import FINAL
from officers.their_say import NOTE, RECONSIDER

#: The kinds of the person's audit rows, as the JSON copy names them; a row of theirs that
#: moves the status with words (kind None) is their answer to an officer's question.
_SAID_KINDS = {None: "answer", NOTE: "note", RECONSIDER: "reconsideration"}

_FINAL = tuple(str(s) for s in FINAL)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class SqlPersonalData:
    """:class:`conversations.my_data.PersonalData` on the SQL database and media store.
    ``retention_days`` is told to the person (when an open request's data goes);
    ``media_grace`` keeps a file sent again lately (a draft may be about to use it)."""

    sessions: async_sessionmaker[AsyncSession]
    media: MediaStore
    retention_days: int
    media_grace: dt.timedelta
    clock: Callable[[], dt.datetime] = _utcnow
    # where the JSON copies are written (one random directory each); None: text only
    exports: Path | None = None
    # POSIX time to compare with the copies' file times (the file system's own clock)
    wall_clock: Callable[[], float] = time.time

    async def held(self, channel: str, user_key: str, locale: str) -> HeldData:
        async with self.sessions.begin() as session:
            # reads, then writes the audit row: the write lock first (see SQLITE_BEGIN)
            await session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
            account = await _account(session, channel, user_key)
            requests = (
                await session.scalars(
                    select(Request)
                    .where(Request.channel == channel, Request.user_key == user_key)
                    .options(selectinload(Request.attachments))
                    .order_by(Request.submitted_at.desc(), Request.id.desc())
                )
            ).all()
            said = await _their_words(session, [r.id for r in requests], channel, user_key)
            rated = await _their_ratings(session, [r.id for r in requests])
            # a lifted block redacted by an earlier «delete my data» no longer names them
            blocks = (
                await session.scalars(
                    select(Block)
                    .where(Block.channel == channel, Block.user_key == user_key)
                    .order_by(Block.blocked_at, Block.id)
                )
            ).all()
            held = HeldData(
                phones=(account.verified_phone,) if account and account.verified_phone else (),
                identities=tuple(sorted(i.identity_number for i in account.identities))
                if account
                else (),
                locale=locale,
                requests=tuple(_held(r, said.get(r.id, ()), rated.get(r.id, ())) for r in requests),
                # when, never why nor by whom (HeldBlock says why)
                blocks=tuple(
                    HeldBlock(b.blocked_at, b.unblocked_at, b.request_number) for b in blocks
                ),
            )
            session.add(
                AuditEntry(
                    at=self.clock(),
                    actor=resident_actor(channel, user_key),
                    action="data_access",
                    detail={"requests": len(requests)},
                )
            )
        if self.exports is not None:
            path = await asyncio.to_thread(self._export, held)
            held = dataclasses.replace(held, document=str(path))
        return held

    def _export(self, held: HeldData) -> Path:
        """Writes ``held`` as JSON (UTF-8, mode 0600) under a random directory, so the
        channel sends it with a plain name; copies older than EXPORT_TTL go first (the
        channel removes it once sent, the media sweep when it was not: bot.exports)."""
        assert self.exports is not None
        self.exports.mkdir(mode=0o700, parents=True, exist_ok=True)
        sweep_exports(self.exports, before=self.wall_clock() - EXPORT_TTL.total_seconds())
        folder = self.exports / secrets.token_hex(8)
        folder.mkdir(mode=0o700)
        path = folder / EXPORT_NAME
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(_as_json(held), out, ensure_ascii=False, indent=2)
        return path

    async def erase(self, channel: str, user_key: str) -> Erased:
        async with self.sessions() as session:
            rows = (
                await session.execute(
                    select(Request.id, Request.number, Request.status)
                    .where(Request.channel == channel, Request.user_key == user_key)
                    .order_by(Request.number)
                )
            ).all()
        decided = [(r.id, r.number) for r in rows if r.status in _FINAL]
        still_open = tuple((r.number, r.status) for r in rows if r.status not in _FINAL)
        redacted, attachments, files = await redact_requests(
            self.sessions, self.media, decided, now=self.clock(), media_grace=self.media_grace
        )
        async with self.sessions.begin() as session:
            await session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
            # a lifted block no longer needs to name the person; one in force is kept (it
            # keeps an abusive sender out; README, "Personal data")
            theirs = and_(Block.channel == channel, Block.user_key == user_key)
            blocks = await redact_blocks(session, and_(theirs, Block.unblocked_at.is_not(None)))
            blocks_kept = await session.scalar(
                select(func.count(Block.id)).where(theirs, Block.unblocked_at.is_(None))
            )
            account = await _account(session, channel, user_key)
            forgot_account = False
            if account is not None:
                await session.execute(
                    update(Account).where(Account.id == account.id).values(locale=DEFAULT_LOCALE)
                )
                if not still_open:
                    # kept while a request is open: the officers may still need to reach them
                    await session.execute(
                        update(Account).where(Account.id == account.id).values(verified_phone=None)
                    )
                    await session.execute(
                        delete(AccountIdentity).where(AccountIdentity.account_id == account.id)
                    )
                    forgot_account = True
            session.add(
                AuditEntry(
                    at=self.clock(),
                    actor=resident_actor(channel, user_key),
                    action="data_delete",
                    detail={
                        "redacted": redacted,
                        "already_redacted": len(decided) - len(redacted),
                        "kept_open": [n for n, _s in still_open],
                        "attachments": attachments,
                        "files": files,
                        "account_cleared": forgot_account,
                        "blocks_redacted": blocks,
                        "blocks_kept_in_force": int(blocks_kept or 0),
                    },
                )
            )
        # a request redacted before (by the retention or an earlier ask) counts as done
        done = tuple(sorted(n for _i, n in decided))
        return Erased(done, still_open, self.retention_days)


async def _account(session: AsyncSession, channel: str, user_key: str) -> Account | None:
    return await session.scalar(
        select(Account)
        .where(Account.channel == channel, Account.user_key == user_key)
        .options(selectinload(Account.identities))
    )


async def _their_words(
    session: AsyncSession, ids: list[int], channel: str, user_key: str
) -> dict[int, tuple[Said, ...]]:
    """The person's own words on each request (request id: oldest first), from its audit
    trail: the rows this account wrote with words that are not redacted. An officer's
    answer to a reconsideration clears the request's pending reason; the person's words
    stay here (found by the fresh-clone tester: the copy said null once answered)."""
    if not ids:
        return {}
    rows = (
        await session.scalars(
            select(StatusEvent)
            .where(
                StatusEvent.request_id.in_(ids),
                StatusEvent.actor == resident_actor(channel, user_key),
                StatusEvent.reason.is_not(None),
                StatusEvent.reason != REDACTED,
            )
            .order_by(StatusEvent.at, StatusEvent.id)
        )
    ).all()
    found: dict[int, list[Said]] = {}
    for row in rows:
        kind = _SAID_KINDS.get(row.kind)
        if kind is not None and row.reason:
            found.setdefault(row.request_id, []).append(Said(row.at, kind, row.reason))
    return {request: tuple(words) for request, words in found.items()}


async def _their_ratings(
    session: AsyncSession, ids: list[int]
) -> dict[int, tuple[HeldRating, ...]]:
    """Each decision's rating of each request (request id: oldest first)."""
    if not ids:
        return {}
    rows = await session.scalars(
        select(Rating).where(Rating.request_id.in_(ids)).order_by(Rating.rated_at, Rating.id)
    )
    found: dict[int, list[HeldRating]] = {}
    for row in rows:
        found.setdefault(row.request_id, []).append(
            HeldRating(row.rated_at, row.rating, _kept(row.comment))
        )
    return {request: tuple(kept) for request, kept in found.items()}


def _kept(value: str | None) -> str | None:
    """``value`` as the person's copy gives it: None once deleted. The database's marker
    (:data:`bot.db.retention.REDACTED`, an English «[redacted]») is no value of theirs:
    the JSON copy carries null, and the readable answer says the data was deleted. Found
    by the review of session 10: the copy read "identity_number": "[redacted]"."""
    return None if value == REDACTED else value


def _held(
    request: Request, said: tuple[Said, ...], ratings: tuple[HeldRating, ...] = ()
) -> HeldRequest:
    redacted = request.description == REDACTED
    asked = [s.text for s in said if s.kind == "reconsideration"]
    return HeldRequest(
        number=request.number,
        service_id=request.service_id,
        status=request.status,
        submitted_at=request.submitted_at,
        identity_number=_kept(request.identity_number),
        establishment_number=_kept(request.establishment_number),
        phone=_kept(request.phone),
        files=tuple(HeldFile(a.kind, a.mime, a.file_name) for a in request.attachments),
        redacted=redacted,
        satisfaction=request.satisfaction,
        satisfaction_comment=_kept(request.satisfaction_comment),
        # the reason waiting for the officers, else the one they answered
        reconsider_reason=_kept(request.reconsider_reason) or (asked[-1] if asked else None),
        description=None if redacted else request.description,
        reconsider_answered=bool(asked) and not request.reconsider_reason,
        said=said,
        ratings=ratings,
    )


def _as_json(held: HeldData) -> dict[str, object]:
    # the numbers the readable answer lists (bound to the account and on its requests)
    numbers, phones = held_numbers(held)
    return {
        "phones": phones,
        "identity_numbers": numbers,
        "language": held.locale,
        "requests": [
            {
                "number": r.number,
                "service": r.service_id,
                "status": r.status,
                "submitted_at": r.submitted_at.isoformat(),
                "identity_number": r.identity_number,
                "establishment_number": r.establishment_number,
                "phone": r.phone,
                "description": r.description,
                "personal_data_deleted": r.redacted,
                "satisfaction": r.satisfaction,
                "satisfaction_comment": r.satisfaction_comment,
                # every decision's rating, the one that stands last
                "ratings": [
                    {"rated_at": g.at.isoformat(), "rating": g.rating, "comment": g.comment}
                    for g in r.ratings
                ],
                "reconsideration_reason": r.reconsider_reason,
                "reconsideration_answered": r.reconsider_answered,
                "your_messages": [
                    {"at": w.at.isoformat(), "kind": w.kind, "text": w.text} for w in r.said
                ],
                "files": [{"kind": f.kind, "mime": f.mime, "name": f.name} for f in r.files],
            }
            for r in held.requests
        ],
        "blocks": [
            {
                "blocked_at": b.blocked_at.isoformat(),
                "lifted_at": None if b.lifted_at is None else b.lifted_at.isoformat(),
                "request_number": b.request_number,
            }
            for b in held.blocks
        ],
    }
