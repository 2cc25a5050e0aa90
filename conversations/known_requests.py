"""Whether this chat has filed any request, as its dialogue state already knows it, so
a turn does not ask the database what an earlier turn of the same draft was just told.

Three readings of a resident's turns ask for the chat's requests though nearly every
person filing has none: the main menu's reconsideration line (on /start), a request open
like the draft's (on the identity number) and an officer's waiting question (on the first
photo): one SQL read each, ~30% of the statements of a filing one at a time (issue 12).
When such a read finds none, the state notes when (:attr:`DialogueState.no_requests_at`),
saved with the turn by the store's compare-and-set, so every worker reads the same; for
:data:`KNOWN_FOR` after it those readings answer "none" without the database. A request
filed from the chat clears the note in the turn that files it (:func:`filed`), and a
WhatsApp number change that brings requests to a chat clears it there
(bot.redis_store.dialogue's ``move``); nothing else gives a chat a request. The time
bound covers the one gap left: a filing whose turn failed after the request was written
(its state not saved), until the person confirms again or the hour passes.
"""

from __future__ import annotations

import datetime as dt

from conversations.flow import Ctx
from conversations.ports import StatusView

#: How long a chat's "no requests" stays known without reading them again.
KNOWN_FOR = dt.timedelta(hours=1)


def known_none(ctx: Ctx) -> bool:
    """True when the state says this chat had no request less than KNOWN_FOR ago."""
    at = ctx.state.no_requests_at
    if at is None:
        return False
    try:
        read = dt.datetime.fromisoformat(at)
    except ValueError:
        return False
    return read <= ctx.now < read + KNOWN_FOR


async def my_requests(ctx: Ctx) -> list[StatusView]:
    """The chat's requests, newest first (the gateway's ``my_requests``), or none without
    asking when the state knows there are none; a read that finds none notes it."""
    if known_none(ctx):
        return []
    mine = await ctx.gateway.my_requests(ctx.origin.channel, ctx.origin.user_key)
    ctx.state.no_requests_at = None if mine else ctx.now.isoformat()
    return mine


async def open_request_like(ctx: Ctx, service_id: str, identity: str) -> StatusView | None:
    """The gateway's ``open_request_like``, or None without asking when the state knows
    the chat has no request."""
    if known_none(ctx):
        return None
    return await ctx.gateway.open_request_like(
        ctx.origin.channel, ctx.origin.user_key, service_id, identity
    )


def filed(ctx: Ctx) -> None:
    """A request was filed from this chat in this turn: its requests are read again."""
    ctx.state.no_requests_at = None
