"""``tawasul staff block NUMBER REASON`` and ``tawasul staff unblock NUMBER``: the block
list (:mod:`bot.abuse.blocks`) from a terminal, written to SQL and to the Redis the
workers check, as the staff group's ``/block`` does."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, TextIO

from bot.settings import Settings
from bot.staff.cli import BAD_INPUT, REFUSED

if TYPE_CHECKING:
    from bot.staff.actors import Officer
    from bot.staff.views import StaffViews


async def run_blocking(
    settings: Settings,
    args: argparse.Namespace,
    sessions: Any,
    officer: Officer,
    views: StaffViews,
    out: TextIO,
) -> int:
    """``block`` and ``unblock``: in SQL (the truth and the audit) and in the Redis the
    workers check (the configured one, or the embedded one under the data directory)."""
    from bot.abuse.blocks import BlockList
    from bot.redis_conn import open_redis
    from bot.staff.cli_args import number_and_text
    from bot.staff.desk import MissingReason, RequestNotFound

    _ = views.texts.gettext
    err = sys.stderr if out is sys.stdout else out
    number, reason = number_and_text(args)  # checked by the caller
    async with open_redis(
        settings.redis_url, settings.data_dir / "redis", sentinels=settings.redis_sentinel_target
    ) as redis:
        blocks = BlockList(sessions, redis)
        try:
            if args.staff_action == "block":
                outcome = await blocks.block(number, officer, reason)
                done = (
                    _(
                        "The person behind request %(number)s is blocked: their messages are no longer handled, and they are told so once. tawasul staff unblock %(number)s lifts it."
                    )
                    if outcome.changed
                    else _("The person behind request %(number)s is already blocked.")
                )
            else:
                outcome = await blocks.unblock(number, officer)
                done = (
                    _(
                        "The person behind request %(number)s is unblocked; their messages are handled again."
                    )
                    if outcome.changed
                    else _("The person behind request %(number)s is not blocked.")
                )
        except RequestNotFound:
            print(_("No request has the number %(number)s.") % {"number": number}, file=err)
            return REFUSED
        except MissingReason:
            print(_("A question or a reason is required."), file=err)
            return BAD_INPUT
    print(done % {"number": number}, file=out)
    return 0
