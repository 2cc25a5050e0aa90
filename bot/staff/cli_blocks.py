"""``tawasul staff block NUMBER REASON`` and ``tawasul staff unblock NUMBER``: the block
list (:mod:`bot.abuse.blocks`) from a terminal, written to SQL and to the Redis the
workers check, as the staff group's ``/block`` does."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, TextIO

from bot.settings import Settings
from bot.staff.cli import BAD_INPUT, REFUSED
from officers.confirmations import Confirmations

if TYPE_CHECKING:
    from bot.staff.views import StaffViews
    from officers.officer import Officer


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
    from bot.staff.desk import refresh_sender_cards
    from officers.failures import MissingReason, RequestNotFound

    _ = views.texts.gettext
    confirm = Confirmations(views.texts.gettext, views.texts.ngettext, "terminal")
    err = sys.stderr if out is sys.stdout else out
    number, reason = number_and_text(args)  # checked by the caller
    async with open_redis(
        settings.redis_url, settings.data_dir / "redis", sentinels=settings.redis_sentinel_target
    ) as redis:
        blocks = BlockList(sessions, redis)
        try:
            if args.staff_action == "block":
                outcome = await blocks.block(number, officer, reason)
                done = confirm.blocked(number, officer.name, changed=outcome.changed)
            else:
                outcome = await blocks.unblock(number, officer)
                done = confirm.unblocked(number, officer.name, changed=outcome.changed)
        except RequestNotFound:
            print(confirm.not_found(number), file=err)
            return REFUSED
        except MissingReason:
            print(_("A question or a reason is required."), file=err)
            return BAD_INPUT
    if outcome.changed:
        # the cards in the staff group say so at once, as after /block (the workers'
        # dispatchers take the rows)
        await refresh_sender_cards(sessions, number)
    print(done, file=out)
    return 0
