"""The terminal chat: the resident dialogue on stdin/stdout, one line per message.

It reads line by line so a test or a person can script it: ``/photo PATH…`` attaches
files (several paths, each sent as its own file; a path with spaces in quotes or typed
alone), ``/contact PHONE`` shares a number (the terminal is the person's own, so it counts
as their own number), an empty line is answered with the question again, end of input
(Ctrl-D) or Ctrl-C ends the chat with a goodbye.

The files of ``/photo`` are read in :mod:`bot.channels.console_files`, a line is waited for
in :mod:`bot.channels.console_lines`, and what reaches the person outside a turn (the
officers' decisions, the receipt card) is printed by :mod:`bot.channels.console_delivery`.
"""

from __future__ import annotations

import asyncio
import sys
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TextIO

from bot.abuse.guard import Screen
from bot.channels.console_files import Attachments, NoSuchFile, attachments, photo_hint
from bot.channels.console_lines import read_line
from bot.media_store import MediaStore
from bot.outbox.receipts import FollowUps
from conversations.events import (
    Choice,
    Command,
    Contact,
    Event,
    Origin,
    Reply,
    Text,
)
from conversations.flows.description_text import PENDING
from conversations.flows.intake_draft import EARLY_ANSWERS
from conversations.flows.refusals import service_refused
from conversations.i18n import DEFAULT_LOCALE, Texts
from conversations.state import DialogueState
from conversations.store import DialogueStore
from conversations.their_say import NOTE, RATE, RECONSIDER

CHANNEL = "console"
#: The buttons every question carries (conversations.engine's navigation).
NAVIGATION = frozenset({"back", "help", "cancel"})
Handler = Callable[[Event], Awaitable[list[Reply]]]
#: A notification's buttons the terminal shows as commands: ``/rate N 5``, ``/note N``,
#: ``/reconsider N`` (the ids of :mod:`conversations.their_say`). Typed, they are commands
#: like any other, read by conversations.say_commands as on every channel.
SAY_COMMANDS = {"/rate": RATE, "/note": NOTE, "/reconsider": RECONSIDER}


def render(reply: Reply, texts: Texts) -> str:
    """A reply as the terminal shows it: the text, then its choices as a numbered list,
    then where its pictures are (a terminal cannot show them)."""
    _ = texts.gettext
    lines = [reply.text]
    choices = [c for c in reply.choices if not (reply.ask_contact and c.id == "share_contact")]
    if reply.ask_contact:
        lines.append(
            _("(In the terminal, type /contact followed by your number, e.g. /contact 0501234567)")
        )
    if reply.numbered:
        # the navigation every question carries is named, not numbered (as on WhatsApp):
        # its number would change from screen to screen of one question (under help, more
        # options come before it), while the question's own options keep theirs
        own = [c for c in choices if c.id not in NAVIGATION]
        lines += [f"  {i}) {choice.label}" for i, choice in enumerate(own, start=1)]
        lines += [f"  • {choice.label}" for choice in choices if choice.id in NAVIGATION]
    else:
        # typed numbers are the person's text here: the choices are typed by name
        lines += [f"  • {choice.label}" for choice in choices]
    for ref in reply.media:
        # a picture (the receipt card) or a document (the «my data» JSON copy)
        saved = (
            _("(picture saved at %(path)s)") if _is_picture(ref) else _("(file saved at %(path)s)")
        )
        lines.append(saved % {"path": ref})
    return "\n".join(lines)


def _is_picture(ref: str) -> bool:
    return ref.lower().endswith((".png", ".jpg", ".jpeg", ".webp"))


def to_event(
    line: str, user_key: str, media: MediaStore, event_id: str | None = None
) -> Event | Attachments | None:
    """Turns a typed line into an event (``event_id`` its id, a new one when None); None
    for an empty line; ``/photo`` gives :class:`Attachments`, one event per file (the
    first with ``event_id``, the next ones with ids made from it)."""
    # no button shares a number here; one typed is the person's own (the phone step asks so)
    origin = Origin(CHANNEL, user_key, event_id or uuid.uuid4().hex, phone_typed=True)
    stripped = line.strip()
    if not stripped:
        return None
    if stripped.startswith("/photo"):
        return attachments(stripped.removeprefix("/photo").strip(), origin, media)
    if stripped.startswith("/answer"):
        # the «Answer» button of a notification, which a terminal cannot show as a button
        return Choice(origin, "ans:" + stripped.removeprefix("/answer").strip())
    if stripped.startswith("/contact"):
        return Contact(origin, stripped.removeprefix("/contact").strip(), is_own=True)
    if stripped.startswith("/") and len(stripped) > 1 and stripped[1].isascii():
        name, _, args = stripped[1:].partition(" ")
        return Command(origin, name.lower(), args.strip())
    return Text(origin, line.rstrip("\n"))


async def opening(store: DialogueStore, user_key: str) -> Event:
    """What the chat sends for the person as it opens, so the bot speaks first: ``/start``
    (the welcome) for someone new here, else ``/resume`` (a word of welcome back and the
    question they were at, see conversations.moves) so a returning person is not given the
    whole welcome and help again, and a draft is never reset."""
    origin = Origin(CHANNEL, user_key, uuid.uuid4().hex, phone_typed=True)
    try:
        state = await store.load(CHANNEL, user_key)
    except Exception:
        # the store is away: the engine answers the same with its apology
        return Command(origin, "start", "")
    if state.version == 0:
        # no conversation stored (never, or gone with its TTL)
        return Command(origin, "start", "")
    return Command(origin, "resume", "")


async def kept_draft(store: DialogueStore, user_key: str) -> str:
    """What the person has kept for when they come back: "input" when they gave something
    of their own (numbers, words or files in a request being filled in, or put aside for a
    look-up or an answer; an answer to an officer or a note being written); "choices" when
    a request holds a service chosen without anything typed (the draft of choices that
    «إلغاء» and /start ask about, and that is resumed: conversations.drafts); "service"
    when no service is chosen yet but answers are kept (read from the person's words, or a
    shared location), with which the choice of the service is resumed; "refused" when the
    service chosen was refused (:func:`conversations.flows.refusals.service_refused`) and
    nothing typed is kept; "" otherwise: the kind of applicant or a service group alone, a status look-up (found
    by the fresh-clone tester: «ما أدخلته محفوظ» after menu choices alone), or the store
    cannot be read (nothing is promised). Found by review 13 (§9): leaving on a draft of
    choices said «يمكنك بدء المحادثة من جديد», though the draft was kept and resumed."""
    try:
        state = await store.load(CHANNEL, user_key)
    except Exception:
        return ""
    drafts: list[dict[str, Any]] = []
    if state.suspended:
        drafts.append(state.suspended.get("answers") or {})
    if state.step not in ("", "done"):
        drafts.append(state.answers)
    if any(_holds_input(answers) for answers in drafts):
        return "input"
    if any(answers.get("service") and not service_refused(answers) for answers in drafts):
        return "choices"
    if any(service_refused(answers) for answers in drafts):
        # the service chosen was refused (for citizens only, a nationality it does not
        # serve): no request is begun, another service can be chosen (sessions 14-15)
        return "refused"
    if any(answers.get(EARLY_ANSWERS) for answers in drafts):
        # answers read from the person's words or a shared location, no service chosen:
        # no request is begun, the choice of the service goes on (tester 14, §7: «الطلب
        # الذي بدأته محفوظ» for a story at the first menu, no service chosen)
        return "service"
    return ""


async def kept_input(store: DialogueStore, user_key: str) -> bool:
    """Whether the person has given something of their own that is kept (see
    :func:`kept_draft`, "input")."""
    return await kept_draft(store, user_key) == "input"


#: Where the flows keep what is typed or sent before it is: a description written in parts
#: (conversations.flows.describe), an answer to an officer or a note (conversations.gathering).
_GATHERED = (PENDING, "texts", "files")


def _holds_input(answers: dict[str, Any]) -> bool:
    return DialogueState(answers=answers).has_data() or any(answers.get(k) for k in _GATHERED)


async def chat(
    handle: Handler,
    media: MediaStore,
    *,
    user_key: str = "local",
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    locale: str = DEFAULT_LOCALE,
    first: Event | None = None,
    follow_ups: FollowUps | None = None,
    screen: Screen | None = None,
    kept: Callable[[], Awaitable[str]] | None = None,
    interrupted: asyncio.Event | None = None,
) -> bool:
    """Reads lines until end of input (Ctrl-D) or until ``interrupted`` is set (Ctrl-C,
    see :func:`bot.channels.console_lines.ctrl_c_sets`), printing the bot's replies;
    ``first`` is handled before anything is read. A turn under way when ``interrupted`` is
    set is finished first; a wait for a line is not. ``screen`` is the check every channel
    makes before handling a message (a block put by an officer; bot.abuse.guard); ``kept``
    says what the person has kept to come back to (:func:`kept_draft`). Ends with a goodbye in the
    person's language, which says their input is kept only when it is. True when it ended
    because of ``interrupted``."""
    pending: Event | None = first
    # the last reply printed: a /start typed right after the opening welcome is answered by it
    asked: Reply | None = None
    # the welcome and the first question the chat opened with are the last thing printed
    opened = isinstance(first, Command) and first.name == "start"
    while True:
        line = ""
        event_id = uuid.uuid4().hex
        if pending is not None:
            event_id = pending.origin.event_id
        else:
            read = None if _set(interrupted) else await read_line(stdin, interrupted)
            if not read:
                if read is None:
                    # Ctrl-C: the goodbye on a line of its own, after the terminal's «^C»
                    print(file=stdout)
                await _goodbye(stdout, locale, kept)
                return read is None
            line = read
        if screen is not None:
            # the terminal is a channel like the others: a person an officer blocked gets
            # the one notice, then nothing of theirs is handled (found by the tester). The
            # line is screened before the chat looks at it, so an empty line or a missing
            # /photo of theirs gets the block's answer too, not the chat's own words
            verdict = await screen(CHANNEL, user_key, event_id)
            if not verdict.admit:
                pending = None
                for reply in verdict.replies:
                    locale = reply.locale or locale
                    print(render(reply, Texts(locale)), file=stdout)
                    print(file=stdout, flush=True)
                continue
        event: Event | Attachments | None = (
            pending if pending is not None else to_event(line, user_key, media, event_id)
        )
        pending = None
        if (
            opened
            and event is not first
            and isinstance(event, Command)
            and event.name == "start"
            and asked is not None
            and asked.choices
        ):
            # a /start typed right after the welcome the chat opened with: the first
            # question is just above, and printing it again read as the chat repeating
            # itself (tester 12, §20)
            _ = Texts(locale).gettext
            print(_("We are at the start already: the first question is just above."), file=stdout)
            print(file=stdout, flush=True)
            continue
        if event is not first:
            opened = False
        if event is None:
            # Enter alone once got no answer at all, as if the chat had stopped (found by
            # the fresh-clone tester); then the last reply printed again, complaint and all
            # («ما كتبته ليس رقم جوال.» for nothing written: tester 14, §9). It is an empty
            # message, which the engine answers with the question waiting, alone
            event = Text(Origin(CHANNEL, user_key, event_id, phone_typed=True), "")
        items = event.items if isinstance(event, Attachments) else (event,)
        for item in items:
            if isinstance(item, NoSuchFile):
                _ = Texts(locale).gettext
                print(_("(no such file: %(path)s)") % {"path": item.path}, file=stdout)
                continue
            for reply in await handle(item):
                # the terminal's own words follow the language the person chose
                locale = reply.locale or locale
                print(render(reply, Texts(locale)), file=stdout)
                print(file=stdout, flush=True)
                asked = reply
                if reply.follow_up is not None and follow_ups is not None:
                    await follow_ups.release(reply.follow_up, delivered=True)
        if isinstance(event, Attachments):
            photo_hint(event, stdout, locale)


def _set(flag: asyncio.Event | None) -> bool:
    return flag is not None and flag.is_set()


async def _goodbye(stdout: TextIO, locale: str, kept: Callable[[], Awaitable[str]] | None) -> None:
    _ = Texts(locale).gettext
    what = "" if kept is None else await kept()
    if what == "input":
        goodbye = _("Goodbye. What you entered is kept: start the chat again to go on.")
    elif what == "choices":
        # a service chosen: the draft is kept and resumed (review 13, §9)
        goodbye = _("Goodbye. The request you began is kept: start the chat again to go on.")
    elif what == "service":
        goodbye = _("Goodbye. Start the chat again to go on choosing the service you need.")
    elif what == "refused":
        goodbye = _(
            "Goodbye. Start the chat again to choose another service whenever you need one."
        )
    else:
        # found by the fresh-clone tester: «ما أدخلته محفوظ» with nothing typed
        goodbye = _("Goodbye. Start the chat again whenever you need us.")
    print(goodbye, file=stdout, flush=True)
