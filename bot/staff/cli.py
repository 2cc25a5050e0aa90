"""``tawasul staff``: the officers' actions from a terminal, without Telegram.

    tawasul staff list
    tawasul staff show 4512345671
    tawasul staff take 4512345671 --officer noura
    tawasul staff ask 4512345671 ما تاريخ انتهاء الجواز؟
    tawasul staff accept 4512345671 [note…]
    tawasul staff reject 4512345671 the reason…
    tawasul staff reopen 4512345671 the reason…

Every action goes through :class:`bot.staff.desk.StaffDesk`, like the staff group's
buttons, so the person is notified and the card refreshed by the running bot's outbox
dispatcher. Output is plain text in Arabic unless ``--lang en``.

The terminal has no Telegram id: the officer is the local id 0, and the name (``--officer``,
by default the OS user) goes into the audit trail's actor string, so two people using
the terminal stay apart in the history.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from functools import cache
from typing import TYPE_CHECKING, Any, Final, TextIO

from bot.settings import Settings

if TYPE_CHECKING:
    from bot.staff.desk import Officer

LOCAL_OFFICER_ID: Final = 0
ACTIONS: Final = ("list", "show", "take", "ask", "accept", "reject", "reopen")

# exit codes: 1 the action was refused (unknown request, not possible now), 2 bad input
REFUSED: Final = 1
BAD_INPUT: Final = 2


@cache
def _local_officer_class() -> type[Officer]:
    # defined on first use: `tawasul --help` and the other commands never import the desk
    from bot.staff.desk import Officer

    class LocalOfficer(Officer):
        """An officer at the terminal: id 0 for every one of them, told apart by name."""

        __slots__ = ()

        @property
        def actor(self) -> str:
            return f"officer:{self.id}:{self.name}"

    return LocalOfficer


def local_officer(name: str) -> Officer:
    return _local_officer_class()(LOCAL_OFFICER_ID, name[:120])


def _default_officer() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry for the uid (some containers)
        return "local"


def add_staff_parser(sub: Any) -> None:
    """Registers ``staff`` on the ``tawasul`` subparsers (``sub``)."""
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: given after the action it overrides; not given, the staff-level one stays
    common.add_argument("--officer", default=argparse.SUPPRESS, help="your name (audit trail)")
    common.add_argument("--lang", choices=("ar", "en"), default=argparse.SUPPRESS)

    staff = sub.add_parser("staff", help="officers' actions on requests, without Telegram")
    staff.add_argument("--officer", default=None, help="your name (default: the OS user)")
    staff.add_argument("--lang", choices=("ar", "en"), default="ar", help="output language")
    actions = staff.add_subparsers(dest="staff_action", required=True)
    actions.add_parser("list", parents=[common], help="open requests, soonest due first")
    for name, help_ in (("show", "a request's details"), ("take", "take a request")):
        p = actions.add_parser(name, parents=[common], help=help_)
        p.add_argument("number")
    for name, help_, words, nargs in (
        ("ask", "ask the person for more information", "question", "+"),
        ("accept", "accept a request (an optional note for the person)", "note", "*"),
        ("reject", "reject a request, with the reason the person will read", "reason", "+"),
        ("reopen", "take a decided request back to review, with a reason", "reason", "+"),
    ):
        p = actions.add_parser(name, parents=[common], help=help_)
        p.add_argument("number")
        p.add_argument(words, nargs=nargs)


async def run_staff(settings: Settings, args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    """Runs one ``tawasul staff`` action; returns the exit code."""
    if "log_level" not in settings.model_fields_set:
        # a terminal tool: its answer, not the migration's and the desk's INFO lines
        # (before the imports: Alembic logs as it is imported)
        logging.getLogger().setLevel(logging.WARNING)
    # imported here: `tawasul --help` and the other commands need none of this
    from bot.db.engine import make_engine, make_sessionmaker
    from bot.db.migrate import upgrade
    from bot.db.models import utcnow
    from bot.settings import holidays_of
    from bot.staff.desk import MissingReason, RequestNotFound, StaffDesk
    from bot.staff.views import PLAIN, StaffViews
    from domain.catalogue import load_catalogue
    from domain.request_number import InvalidRequestNumber, parse_request_number
    from domain.sla import riyadh_date
    from domain.status import IllegalTransition

    views = StaffViews(load_catalogue(), locale=args.lang, holidays=holidays_of(settings))
    _ = views.texts.gettext
    err = sys.stderr if out is sys.stdout else out

    number = ""
    if args.staff_action != "list":
        try:
            number = parse_request_number(args.number)
        except InvalidRequestNumber:
            print(_("That is not a request number: please check it."), file=err)
            return BAD_INPUT

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    await upgrade(settings.sqlalchemy_url)
    engine = make_engine(settings.sqlalchemy_url)
    try:
        desk = StaffDesk(
            make_sessionmaker(engine),
            load_catalogue(),
            holidays=holidays_of(settings),
            arabic_digits=settings.arabic_digits,
        )
        officer = local_officer(args.officer or _default_officer())
        today = riyadh_date(utcnow())
        action = args.staff_action
        try:
            if action == "list":
                print(views.open_list(await desk.open_requests(), PLAIN, today=today), file=out)
                return 0
            if action == "show":
                record = await desk.find(number)
                if record is None:
                    raise RequestNotFound(number)
                print(views.summary(record, PLAIN, today=today), file=out)
                return 0
            if action == "take":
                await desk.take(number, officer)
                done = _("You have taken request %(number)s.")
            elif action == "ask":
                await desk.ask(number, officer, " ".join(args.question))
                done = _(
                    "Question sent to the person for request %(number)s. The clock is paused until they answer."
                )
            elif action == "accept":
                await desk.accept(number, officer, " ".join(args.note) or None)
                done = _("Request %(number)s accepted; the person is being told.")
            elif action == "reject":
                await desk.reject(number, officer, " ".join(args.reason))
                done = _("Request %(number)s rejected; the person is being told.")
            else:
                await desk.reopen(number, officer, " ".join(args.reason))
                done = _("Request %(number)s reopened and back under review.")
        except RequestNotFound:
            print(_("No request has the number %(number)s.") % {"number": number}, file=err)
            return REFUSED
        except IllegalTransition as exc:
            print(
                _("Request %(number)s is «%(status)s»: this cannot be done now.")
                % {"number": number, "status": views.status(exc.current)},
                file=err,
            )
            return REFUSED
        except MissingReason:
            print(_("A question or a reason is required."), file=err)
            return BAD_INPUT
        print(done % {"number": number}, file=out)
        return 0
    finally:
        await engine.dispose()
