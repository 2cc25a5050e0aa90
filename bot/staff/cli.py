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
    tawasul staff note 4512345671 the note…   (for officers only: the person never sees it)

The note, reason or question is the words around the number (before it, after it or
both), and the options (``--officer``, ``--lang``, ``--over``) may come anywhere among
them; see :mod:`bot.staff.cli_args`.

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
import getpass
import io
import logging
import sys
from typing import TYPE_CHECKING, Any, Final, TextIO

from bot.settings import Settings
from bot.staff.cli_args import BadWords, add_staff_parser, number_and_text
from bot.staff.cli_database import open_database
from bot.staff.cli_words import bad_words, other_script, wordless

__all__ = ["add_staff_parser", "run_staff"]

if TYPE_CHECKING:
    from bot.staff.views import StaffViews
    from officers.officer import Officer

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
    "note",
)

# exit codes: 1 the action was refused (unknown request, not possible now), 2 bad input
REFUSED: Final = 1
BAD_INPUT: Final = 2


def local_officer(name: str | None) -> Officer:
    """The officer at the terminal: the ``--officer`` name, else the operating-system user
    (recorded as such in the history, so nobody mistakes it for a person's own name)."""
    from officers.officer import MAX_NAME, Officer

    if name:
        return Officer(LOCAL_OFFICER_ID, name[:MAX_NAME], origin="terminal")
    return Officer(LOCAL_OFFICER_ID, _default_officer()[:MAX_NAME], origin="os_user")


def _default_officer() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry for the uid (some containers)
        return "local"


async def run_staff(settings: Settings, args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    """Runs one ``tawasul staff`` action; returns the exit code."""
    if "log_level" not in settings.model_fields_set:
        # a terminal tool: its answer, not the migration's and the desk's INFO lines
        # (before the imports: Alembic logs as it is imported)
        logging.getLogger().setLevel(logging.WARNING)
    # imported here: `tawasul --help` and the other commands need none of this
    from bot.db.engine import make_sessionmaker
    from bot.db.models import utcnow
    from bot.media_store import MediaStore
    from bot.settings import holidays_of
    from bot.staff.desk import StaffDesk
    from bot.staff.views import PLAIN, StaffViews, script_mismatch
    from conversations.ports import SayRefused
    from domain.catalogue import load_catalogue
    from domain.sla import riyadh_date
    from domain.status import FINAL, IllegalTransition, RequestStatus, can_move
    from officers.confirmations import Confirmations
    from officers.failures import (
        AlreadyTaken,
        MissingReason,
        NothingToUndo,
        RequestNotFound,
        TooLateToUndo,
    )

    views = StaffViews(load_catalogue(), locale=args.lang, holidays=holidays_of(settings))
    _ = views.texts.gettext
    confirm = Confirmations(views.texts.gettext, views.texts.ngettext, "terminal")
    err = sys.stderr if out is sys.stdout else out

    if args.staff_action == "export":
        return await _export(settings, args, views, out, err)
    try:
        number, text = number_and_text(args)
    except BadWords as exc:
        print(bad_words(views, exc, args.staff_action), file=err)
        return BAD_INPUT

    too_few = wordless(views, args.staff_action, text)
    if too_few is not None:
        print(too_few, file=err)
        return BAD_INPUT

    engine = await open_database(settings, views.texts, err)
    if engine is None:
        return REFUSED
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
                listed = views.open_list(
                    await desk.open_requests(),
                    PLAIN,
                    today=today,
                    reconsiderations=await desk.reconsiderations(),
                )
                print(listed, file=out)
                return 0
            if action == "show":
                record = await desk.find(number)
                if record is None:
                    raise RequestNotFound(number)
                media = MediaStore(settings.data_dir)
                files = [_file_line(media, a) for a in record.attachments]
                notes = await desk.internal_notes(number)
                print(views.summary(record, PLAIN, today=today, files=files, notes=notes), file=out)
                return 0
            if action == "note":
                await desk.note(number, officer, text)
                print(confirm.noted(number), file=out)
                return 0
            # for the answer: who an --over takes it from (a take says it itself)
            over = None
            if args.over and action != "take":
                over = await _over_from(desk, number, officer)
            if action == "take":
                taken = await desk.take(number, officer, over=args.over)
                done = confirm.taken(number, previous=taken.previous)
            elif action == "ask":
                found = await desk.find(number)
                if (
                    found is not None
                    and not args.anyway
                    and can_move(found.status, RequestStatus.NEEDS_INFO)  # else: why not
                    and script_mismatch(text, found.locale)
                ):
                    # shown back before it is sent, as the staff group does since c0b72ba
                    # (tester 15): the warning after the question left was too late
                    print(other_script(views, found.locale, question=text), file=err)
                    return REFUSED
                await desk.ask(number, officer, text, over=args.over)
                done = confirm.asked(number)
            elif action == "accept":
                await desk.accept(number, officer, text or None, over=args.over)
                done = confirm.accepted(number, officer.name, grace_s=desk.decision_grace_s)
            elif action == "reject":
                found = await desk.find(number)
                if (
                    found is not None
                    and not args.anyway
                    and can_move(found.status, RequestStatus.REJECTED)  # else: why not
                    and script_mismatch(text, found.locale)
                ):
                    # before anything is sent, as the staff group's proposal does (review
                    # 11, §15): the officer decides with the warning in front of them
                    print(other_script(views, found.locale), file=err)
                    return REFUSED
                await desk.reject(number, officer, text, over=args.over)
                done = confirm.rejected(number, officer.name, grace_s=desk.decision_grace_s)
            elif action == "keep":
                # an officer's «why» (the tester's `keep N "reason"`) is told to the person
                await desk.keep_rejected(number, officer, text, over=args.over)
                done = confirm.kept(number)
            elif action == "undo":
                await desk.undo(number, officer, over=args.over)
                done = confirm.undone(number)
            else:
                await desk.reopen(number, officer, text, over=args.over)
                done = confirm.reopened(number, officer.name)
        except AlreadyTaken as exc:
            print(confirm.already_with(number, exc.name), file=err)
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
            print(confirm.not_found(number), file=err)
            return REFUSED
        except NothingToUndo as exc:
            print(confirm.nothing_to_undo(number, views.status(exc.current)), file=err)
            return REFUSED
        except IllegalTransition as exc:
            status = views.status(exc.current)
            if exc.current in FINAL and action != "reopen":
                print(confirm.decided(number, status), file=err)  # reopen comes first
            else:
                print(confirm.cannot_now(number, status), file=err)
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
        print(done, file=out)
        if over:
            print(confirm.taken(number, previous=over), file=out)
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


async def _export(
    settings: Settings, args: argparse.Namespace, views: StaffViews, out: TextIO, err: TextIO
) -> int:
    """``tawasul staff export``: the CSV to ``--output`` or ``out``; the count to ``err``."""
    from bot.db.engine import make_sessionmaker
    from bot.staff.export import read_days, write_export

    _ = views.texts.gettext
    days = read_days(args.first, args.last, views.texts)
    if isinstance(days, str):
        print(days, file=err)  # one line: what is wrong, the form, an example
        return BAD_INPUT
    engine = await open_database(settings, views.texts, err)
    if engine is None:
        return REFUSED
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
