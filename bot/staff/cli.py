"""``tawasul staff``: the officers' actions from a terminal, without Telegram.

    tawasul staff list
    tawasul staff show 4512345671
    tawasul staff take 4512345671 --officer noura
    tawasul staff ask 4512345671 ما تاريخ انتهاء الجواز؟   (or: more-info)
    tawasul staff accept 4512345671 [note…]
    tawasul staff reject 4512345671 the reason…
    tawasul staff reopen 4512345671 the reason…
    tawasul staff keep 4512345671   (a reconsideration answered: the rejection stays)
    tawasul staff export --from 2026-11-01 --to 2026-11-30 [--output FILE] [--with-personal-data]
    tawasul staff block 4512345671 the reason…      (the person behind it is not served)
    tawasul staff unblock 4512345671

The note, reason or question is the words after the number, and the options
(``--officer``, ``--lang``, ``--over``) may come before, between or after them.

Every action goes through :class:`bot.staff.desk.StaffDesk`, like the staff group's
buttons, so the person is notified and the card refreshed by the running bot's outbox
dispatcher. Output is plain text in Arabic unless ``--lang en``.

The terminal has no Telegram id: the officer is their name (``--officer``), recorded as
``terminal:<name>``; without it, the operating-system user, recorded as ``os-user:<name>``
and said so on every action, so the history never passes an account name off as a
person's. ``show`` lists where each attached file is under the data directory, so it can
be opened; the person's text is printed with its direction controls made visible.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import io
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final, TextIO

from bot.settings import Settings

if TYPE_CHECKING:
    from bot.staff.actors import Officer
    from bot.staff.views import StaffViews

LOCAL_OFFICER_ID: Final = 0
ACTIONS: Final = (
    "list",
    "show",
    "take",
    "ask",
    "accept",
    "reject",
    "reopen",
    "undo",
    "keep",
    "export",
    "block",
    "unblock",
)

# exit codes: 1 the action was refused (unknown request, not possible now), 2 bad input
REFUSED: Final = 1
BAD_INPUT: Final = 2


def local_officer(name: str | None) -> Officer:
    """The officer at the terminal: the ``--officer`` name, else the operating-system user
    (recorded as such in the history, so nobody mistakes it for a person's own name)."""
    from bot.staff.actors import MAX_NAME, Officer

    if name:
        return Officer(LOCAL_OFFICER_ID, name[:MAX_NAME], origin="terminal")
    return Officer(LOCAL_OFFICER_ID, _default_officer()[:MAX_NAME], origin="os_user")


def _default_officer() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry for the uid (some containers)
        return "local"


#: The namespace attribute naming a verb's free-text argument (its words, in any order).
_TEXT_DEST: Final = "_free_text"


class _VerbParser(argparse.ArgumentParser):
    """An action's parser whose last argument is free text (a note, a reason, a question):
    its words may come before, between or after the options, as an officer types them.

    argparse fills positionals from the first run of words only, so with ``accept N
    --officer X the note`` the optional note was matched empty and ``the note`` left over
    as "unrecognized"; ``parse_intermixed_args`` would fix that but refuses parsers with
    subcommands. The words left over are therefore joined to the text here, in the order
    typed; a left-over option (``--ovr``) stays an error."""

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: Any = None
    ) -> tuple[Any, list[str]]:
        parsed, extras = super().parse_known_args(args, namespace)
        dest = getattr(parsed, _TEXT_DEST, None)
        if dest is None:
            return parsed, extras
        options: list[str] = []
        words: list[str] = []
        for i, word in enumerate(extras):
            if word == "--":  # everything after it is text, even "-5" or "--x"
                words += extras[i + 1 :]
                break
            (options if word.startswith("-") and word != "-" else words).append(word)
        if words:
            setattr(parsed, dest, [*(getattr(parsed, dest) or []), *words])
        return parsed, options


def free_text(args: argparse.Namespace) -> str:
    """The action's free text (note, reason, question), its words joined by spaces."""
    dest = getattr(args, _TEXT_DEST, None)
    return " ".join(getattr(args, dest) or []) if dest else ""


def add_staff_parser(sub: Any) -> None:
    """Registers ``staff`` on the ``tawasul`` subparsers (``sub``)."""
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: given after the action it overrides; not given, the staff-level one stays
    common.add_argument("--officer", default=argparse.SUPPRESS, help="your name (audit trail)")
    common.add_argument("--lang", choices=("ar", "en"), default=argparse.SUPPRESS)

    staff = sub.add_parser("staff", help="officers' actions on requests, without Telegram")
    staff.add_argument("--officer", default=None, help="your name (default: the OS user)")
    staff.add_argument("--lang", choices=("ar", "en"), default="ar", help="output language")
    actions = staff.add_subparsers(dest="staff_action", required=True, parser_class=_VerbParser)
    actions.add_parser("list", parents=[common], help="open requests, soonest due first")
    for name, help_ in (
        ("show", "a request's details, with the paths of its files"),
        ("take", "take a request"),
        ("undo", "undo a decision the person has not been told of yet"),
        ("keep", "answer the person's request for reconsideration: the rejection stays"),
        ("unblock", "serve the person behind a request again"),
    ):
        p = actions.add_parser(name, parents=[common], help=help_)
        p.add_argument("number")
        if name != "unblock":
            _over_option(p)
    export = actions.add_parser(
        "export",
        parents=[common],
        help="requests filed between two days and their decisions, as CSV (UTF-8 with BOM)",
    )
    # read in _export, so a bad day is answered in the officer's language
    export.add_argument("--from", dest="first", required=True, help="YYYY-MM-DD")
    export.add_argument("--to", dest="last", required=True, help="YYYY-MM-DD")
    export.add_argument("--output", default=None, help="a file instead of standard output")
    export.add_argument(
        "--with-personal-data",
        action="store_true",
        help="add identity, establishment and phone numbers (recorded in the audit log)",
    )
    for name, help_, words, nargs in (
        ("ask", "ask the person for more information", "question", "+"),
        ("accept", "accept a request (an optional note for the person)", "note", "*"),
        ("reject", "reject a request, with the reason the person will read", "reason", "+"),
        ("reopen", "take a decided request back to review, with a reason", "reason", "+"),
        (
            "block",
            "stop serving the person behind a request (the reason is for the audit)",
            "reason",
            "+",
        ),
    ):
        # «more-info» is what the staff group's button says; the action is the same
        aliases = ["more-info"] if name == "ask" else []
        p = actions.add_parser(name, parents=[common], help=help_, aliases=aliases)
        p.add_argument("number")
        p.add_argument(words, nargs=nargs)
        if name != "block":
            _over_option(p)
        # staff_action: the alias typed is recorded as the action itself
        p.set_defaults(**{_TEXT_DEST: words, "staff_action": name})


def _over_option(parser: argparse.ArgumentParser) -> None:
    # the desk's one rule (bot.staff.desk_core.DeskCore._claim): the same for every action
    parser.add_argument(
        "--over",
        action="store_true",
        help="act on a request another officer has: it becomes yours, and they are told",
    )


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
    from bot.media_store import MediaStore
    from bot.settings import holidays_of
    from bot.staff.desk import (
        AlreadyTaken,
        MissingReason,
        RequestNotFound,
        StaffDesk,
        TooLateToUndo,
    )
    from bot.staff.views import PLAIN, StaffViews, script_mismatch
    from conversations.ports import SayRefused
    from domain.catalogue import load_catalogue
    from domain.request_number import InvalidRequestNumber, parse_request_number
    from domain.sla import riyadh_date
    from domain.status import IllegalTransition

    views = StaffViews(load_catalogue(), locale=args.lang, holidays=holidays_of(settings))
    _ = views.texts.gettext
    err = sys.stderr if out is sys.stdout else out

    if args.staff_action == "export":
        return await _export(settings, args, views, out, err)
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
            decision_grace_s=settings.decision_grace_s,
        )
        officer = local_officer(args.officer)
        if officer.origin == "os_user" and action_changes(args.staff_action):
            print(
                _(
                    "Acting as the operating-system user «%(name)s»; the history records it so. Give your name with --officer NAME."
                )
                % {"name": officer.name},
                file=err,
            )
        today = riyadh_date(utcnow())
        action = args.staff_action
        if action in ("block", "unblock"):
            from bot.staff.cli_blocks import run_blocking

            return await run_blocking(
                settings, args, make_sessionmaker(engine), officer, views, out
            )
        try:
            if action == "list":
                print(views.open_list(await desk.open_requests(), PLAIN, today=today), file=out)
                return 0
            if action == "show":
                record = await desk.find(number)
                if record is None:
                    raise RequestNotFound(number)
                media = MediaStore(settings.data_dir)
                files = [_file_line(media, a) for a in record.attachments]
                print(views.summary(record, PLAIN, today=today, files=files), file=out)
                return 0
            # for the answer: who an --over takes it from (a take says it itself)
            over = None
            if args.over and action != "take":
                over = await _over_from(desk, number, officer)
            if action == "take":
                taken = await desk.take(number, officer, over=args.over)
                done = (
                    _("You have taken request %(number)s over from %(officer)s; they are told.")
                    if taken.previous
                    else _("You have taken request %(number)s.")
                )
                done = done.replace("%(officer)s", taken.previous or "")
            elif action == "ask":
                record = await desk.ask(number, officer, free_text(args), over=args.over)
                done = _(
                    "Question sent to the person for request %(number)s. The clock is paused until they answer."
                )
                if script_mismatch(free_text(args), record.locale):
                    done += " " + _(
                        "Note: the person reads %(language)s, and your question is not in it."
                    ).replace("%(language)s", views.language(record.locale))
            elif action == "accept":
                await desk.accept(number, officer, free_text(args) or None, over=args.over)
                done = _("Request %(number)s accepted.") + " " + _told(views, desk.decision_grace_s)
            elif action == "reject":
                await desk.reject(number, officer, free_text(args), over=args.over)
                done = _("Request %(number)s rejected.") + " " + _told(views, desk.decision_grace_s)
            elif action == "keep":
                await desk.keep_rejected(number, officer, over=args.over)
                done = _("Request %(number)s stays rejected; the person is told.")
            elif action == "undo":
                await desk.undo(number, officer, over=args.over)
                done = _("The decision on request %(number)s is undone; the person was not told.")
            else:
                await desk.reopen(number, officer, free_text(args), over=args.over)
                done = _("Request %(number)s reopened and back under review.")
        except AlreadyTaken as exc:
            print(
                _(
                    "Request %(number)s is already with %(officer)s. To act on it all the same, add --over: it becomes yours, and they are told."
                )
                % {"number": number, "officer": exc.name or _("an officer")},
                file=err,
            )
            return REFUSED
        except TooLateToUndo:
            print(
                _(
                    "Too late to undo request %(number)s: the person has been told. Reopen it instead."
                )
                % {"number": number},
                file=err,
            )
            return REFUSED
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
        except SayRefused:
            print(
                _("Request %(number)s has no request for reconsideration to answer.")
                % {"number": number},
                file=err,
            )
            return REFUSED
        except MissingReason:
            print(_("A question or a reason is required."), file=err)
            return BAD_INPUT
        print(done % {"number": number}, file=out)
        if over:
            print(
                _("You have taken request %(number)s over from %(officer)s; they are told.")
                % {"number": number, "officer": over},
                file=out,
            )
        return 0
    finally:
        await engine.dispose()


async def _over_from(desk: Any, number: str, officer: Officer) -> str | None:
    """Who an ``--over`` takes the request from (read before acting, for the answer), or
    None when nobody else has it."""
    record = await desk.find(number)
    if record is None or record.assigned_to in (None, officer.actor):
        return None
    return record.assigned_name or "?"


def action_changes(action: str) -> bool:
    return action not in ("list", "show", "export")


def _day(text: str, views: StaffViews, err: TextIO) -> dt.date | None:
    """The day typed after --from or --to, in any digits; None once the officer has been
    told, in their language, what is wrong with it."""
    from domain.days import InvalidDay, parse_day
    from domain.normalize import strip_invisible

    _ = views.texts.gettext
    try:
        return parse_day(text)
    except InvalidDay as exc:
        if exc.reason == "calendar":
            problem = _(
                "«%(text)s» is not a day of the calendar: please check the month and the day."
            )
        else:
            problem = _(
                "«%(text)s» is not a day: write it as YYYY-MM-DD (year-month-day), for example 2026-11-01."
            )
        print(problem % {"text": strip_invisible(text)}, file=err)  # fmt: skip
        return None


async def _export(
    settings: Settings, args: argparse.Namespace, views: StaffViews, out: TextIO, err: TextIO
) -> int:
    """``tawasul staff export``: the CSV to ``--output`` or ``out``; the count to ``err``."""
    from bot.db.engine import make_engine, make_sessionmaker
    from bot.db.migrate import upgrade
    from bot.staff.export import ExportRange, write_export

    _ = views.texts.gettext
    first, last = _day(args.first, views, err), _day(args.last, views, err)
    if first is None or last is None:
        return BAD_INPUT
    try:
        days = ExportRange(first, last)
    except ValueError:
        print(_("The last day is before the first: please check --from and --to."), file=err)
        return BAD_INPUT
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    await upgrade(settings.sqlalchemy_url)
    engine = make_engine(settings.sqlalchemy_url)
    try:
        options = {
            "officer": local_officer(args.officer),
            "personal": args.with_personal_data,
            "destination": args.output or "stdout",
        }
        sessions = make_sessionmaker(engine)
        if args.output:
            # the CLI's umask makes the file the owner's only: it may hold personal data.
            # Blocking writes are fine here: a one-shot command, nothing else on its loop.
            with open(args.output, "w", encoding="utf-8", newline="") as handle:  # noqa: ASYNC230
                count = await write_export(sessions, views, handle, days, **options)
        else:
            if isinstance(out, io.TextIOWrapper):
                out.reconfigure(encoding="utf-8")  # whatever the terminal's locale says
            count = await write_export(sessions, views, out, days, **options)
    finally:
        await engine.dispose()
    text: str = views.texts.ngettext(
        "%(count)d request exported.", "%(count)d requests exported.", count
    )
    print(text.replace("%(count)d", str(count)), file=err)
    return 0


def _file_line(media: Any, attachment: Any) -> str:
    """Where an attached file can be opened: its path in the media store when it is kept
    there, else the channel's reference (fetched by the running bot)."""
    name = attachment.file_name or attachment.kind
    checksum = attachment.checksum
    if checksum and media.exists(checksum):
        return f"{name} ({attachment.mime}, {attachment.size} B): {media.path_for(checksum)}"
    return f"{name} ({attachment.mime}, {attachment.size} B): {attachment.kind} {attachment.ref}"


def _told(views: StaffViews, seconds: int) -> str:
    """When the person hears of a decision, from the grace actually set
    (TAWASUL_DECISION_GRACE_S), and how to take it back meanwhile."""
    if seconds <= 0:
        return str(views.texts.gettext("The person is being told."))
    text: str = views.texts.ngettext(
        "The person is told in %(seconds)d second unless you undo it (tawasul staff undo).",
        "The person is told in %(seconds)d seconds unless you undo it (tawasul staff undo).",
        seconds,
    )
    return text.replace("%(seconds)d", str(seconds))
