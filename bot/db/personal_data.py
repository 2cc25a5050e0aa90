"""One person's own data, on their request (issue 14, Saudi PDPL): what the service holds
about a chat's account («بياناتي») and its deletion («احذف بياناتي»).

Everything is looked up by (channel, user key): a request filed from another chat is never
read or changed, whatever numbers it shares. Deletion redacts the account's *decided*
requests exactly as the retention job does (:func:`bot.db.retention.redact_requests`); an
open request keeps its data, since the officers still need it, and the person is told.
The account's phone and bound identity numbers go too once no open request needs them, and
its language is set back to the default. Every call writes one audit_log row (actor
``resident:<channel>:<user_key>``, as in the status trail) whose details hold counts and
request numbers, never an identity or phone number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from bot.db.models import Account, AccountIdentity, AuditEntry, Request
from bot.db.requests_repo import resident_actor
from bot.db.retention import REDACTED, redact_requests
from bot.media_store import MediaStore
from conversations.i18n import DEFAULT_LOCALE
from conversations.my_data import Erased, HeldData, HeldFile, HeldRequest
from domain.status import FINAL

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

    async def held(self, channel: str, user_key: str) -> HeldData:
        async with self.sessions.begin() as session:
            account = await _account(session, channel, user_key)
            requests = (
                await session.scalars(
                    select(Request)
                    .where(Request.channel == channel, Request.user_key == user_key)
                    .options(selectinload(Request.attachments))
                    .order_by(Request.submitted_at.desc(), Request.id.desc())
                )
            ).all()
            held = HeldData(
                phones=(account.verified_phone,) if account and account.verified_phone else (),
                identities=tuple(sorted(i.identity_number for i in account.identities))
                if account
                else (),
                locale=account.locale if account else None,
                requests=tuple(_held(r) for r in requests),
            )
            session.add(
                AuditEntry(
                    at=self.clock(),
                    actor=resident_actor(channel, user_key),
                    action="data_access",
                    detail={"requests": len(requests)},
                )
            )
        return held

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


def _held(request: Request) -> HeldRequest:
    return HeldRequest(
        number=request.number,
        service_id=request.service_id,
        status=request.status,
        submitted_at=request.submitted_at,
        identity_number=request.identity_number,
        establishment_number=request.establishment_number,
        phone=request.phone,
        files=tuple(HeldFile(a.kind, a.mime, a.file_name) for a in request.attachments),
        redacted=request.description == REDACTED,
    )
