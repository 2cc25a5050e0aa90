"""The terminal chat: the resident dialogue on stdin/stdout, one line per message.

It reads line by line so a test or a person can script it: ``/photo PATH…`` attaches
files (several paths, each sent as its own file; a path with spaces in quotes or typed
alone), ``/contact PHONE`` shares a number (the terminal is the person's own, so it counts
as their own number), an empty line is answered with the question again, end of input
(Ctrl-D) or Ctrl-C ends the chat with a goodbye.
"""

from __future__ import annotations

import asyncio
import dataclasses
import mimetypes
import shlex
import sys
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from bot.abuse.guard import Screen
from bot.channels.console_lines import read_line
from bot.media_intake import STORE_REF, inspect
from bot.media_store import MediaStore
from bot.outbox.handlers import OutboxRow, RetryAfter
from bot.outbox.queue import replies_from_payload
from bot.outbox.receipts import FollowUps
from conversations.events import (
    Choice,
    Command,
    Contact,
    Event,
    Media,
    MediaKind,
    Origin,
    Reply,
    Text,
)
from conversations.flows.describe import PENDING
from conversations.i18n import DEFAULT_LOCALE, Texts
from conversations.state import DialogueState
from conversations.store import DialogueStore
from conversations.their_say import NOTE, RATE, RECONSIDER
from domain.attachments import worth_inspecting

CHANNEL = "console"
#: The buttons every question carries (conversations.engine's navigation).
NAVIGATION = frozenset({"back", "help", "cancel"})
Handler = Callable[[Event], Awaitable[list[Reply]]]
#: A notification's buttons the terminal shows as commands: ``/rate N 5``, ``/note N``,
#: ``/reconsider N`` (the ids of :mod:`conversations.their_say`).
_SAY_COMMANDS = {"/rate": RATE, "/note": NOTE, "/reconsider": RECONSIDER}


@dataclass(frozen=True)
class NoSuchFile:
    """``/photo PATH`` named no file: said in the terminal, in the person's language."""

    path: str


@dataclass(frozen=True)
class Attachments:
    """``/photo PATH…``: one item per path, in the order typed; a path that names no file
    is a :class:`NoSuchFile` in its place, so the others are sent all the same."""

    items: tuple[Media | NoSuchFile, ...]


def photo_paths(text: str) -> list[str]:
    """The paths typed after ``/photo``: split as a shell does (``a.jpg "my passport.jpg"``
    is two), unless the whole text names a file (a path with spaces typed alone, without
    quotes, as the terminal always took it). An unclosed quote splits on blanks.

    :mod:`shlex` rather than a splitter of our own: quotes and backslash escapes are the
    shell's rules, which a person pasting a path from a terminal already follows."""
    if not text:
        return []
    if _is_file(Path(text).expanduser()):
        return [text]
    try:
        return shlex.split(text)
    except ValueError:  # «No closing quotation»
        return text.split()


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name too long for the file system, say: no file by that name
        return False


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
        paths = photo_paths(stripped.removeprefix("/photo").strip())
        return Attachments(
            tuple(
                _attach(
                    dataclasses.replace(
                        origin, event_id=f"{origin.event_id}{f'-{i}' if i else ''}"
                    ),
                    path,
                    media,
                )
                for i, path in enumerate(paths)
            )
        )
    if stripped.startswith("/answer"):
        # the «Answer» button of a notification, which a terminal cannot show as a button
        return Choice(origin, "ans:" + stripped.removeprefix("/answer").strip())
    for command, prefix in _SAY_COMMANDS.items():
        if stripped.split(maxsplit=1)[0] == command:
            # a notification's rating or «Ask to reconsider» button, typed
            return Choice(origin, prefix + ":".join(stripped.split()[1:]))
    if stripped.startswith("/contact"):
        return Contact(origin, stripped.removeprefix("/contact").strip(), is_own=True)
    if stripped.startswith("/") and len(stripped) > 1 and stripped[1].isascii():
        name, _, args = stripped[1:].partition(" ")
        return Command(origin, name.lower(), args.strip())
    return Text(origin, line.rstrip("\n"))


def _attach(origin: Origin, path_text: str, media: MediaStore) -> Media | NoSuchFile:
    path = Path(path_text).expanduser()
    if not _is_file(path):
        return NoSuchFile(path_text)
    data = path.read_bytes()
    declared = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    # the bytes decide what the file is, as on the other channels (bot.media_intake)
    inspected = inspect(data)
    if inspected is None:
        kind: MediaKind = "photo" if declared.startswith("image/") else "document"
        if not worth_inspecting(declared):
            return Media(origin, kind, str(path), declared, len(data), file_name=path.name)
        # named like a photo or a PDF, and its bytes are not one: damaged or truncated
        return Media(
            origin,
            kind,
            ref=str(path),
            mime="application/octet-stream",
            size=len(data),
            file_name=path.name,
            problem="unreadable",
        )
    kind = "photo" if inspected.mime.startswith("image/") else "document"
    checksum = media.save(inspected.data)
    name = path.stem + ".jpg" if inspected.converted else path.name
    return Media(
        origin,
        kind,
        ref=f"{STORE_REF}{checksum}",
        mime=inspected.mime,
        size=len(inspected.data),
        checksum=checksum,
        file_name=name,
    )


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


async def kept_input(store: DialogueStore, user_key: str) -> bool:
    """Whether the person has given something of their own that is kept for when they come
    back: numbers, words or files in a request being filled in (or put aside for a look-up
    or an answer), or in an answer to an officer or a note being written. Choices from the
    menus alone (the kind of applicant, a service group, a service) are not «what you
    entered» (found by the fresh-clone tester); nor is a status look-up. False when the
    store cannot be read (nothing is promised)."""
    try:
        state = await store.load(CHANNEL, user_key)
    except Exception:
        return False
    if state.suspended and _holds_input(state.suspended.get("answers") or {}):
        return True
    return state.step not in ("", "done") and _holds_input(state.answers)


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
    kept: Callable[[], Awaitable[bool]] | None = None,
    interrupted: asyncio.Event | None = None,
) -> bool:
    """Reads lines until end of input (Ctrl-D) or until ``interrupted`` is set (Ctrl-C,
    see :func:`bot.channels.console_lines.ctrl_c_sets`), printing the bot's replies;
    ``first`` is handled before anything is read. A turn under way when ``interrupted`` is
    set is finished first; a wait for a line is not. ``screen`` is the check every channel
    makes before handling a message (a block put by an officer; bot.abuse.guard); ``kept``
    says whether the person has something kept to come back to. Ends with a goodbye in the
    person's language, which says their input is kept only when it is. True when it ended
    because of ``interrupted``."""
    pending: Event | None = first
    # the question last asked, printed again for an empty line (Enter alone)
    asked: Reply | None = None
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
        if event is None:
            # Enter alone once got no answer at all, as if the chat had stopped; the last
            # question again is the answer, alone: it asks already, and «please type your
            # answer» above «please choose one of 4 options» was two prompts for one line
            # (found by the fresh-clone tester)
            _ = Texts(locale).gettext
            if asked is not None:
                again = render(asked, Texts(asked.locale or locale))
            else:
                again = _("Please type your answer.")
            print(again, file=stdout)
            print(file=stdout, flush=True)
            continue
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
            _photo_hint(event, stdout, locale)


def _photo_hint(event: Attachments, stdout: TextIO, locale: str) -> None:
    """After a ``/photo`` line: how to type it when it named no path, and when a path
    named no file, that nothing else was lost and how to send that one again."""
    _ = Texts(locale).gettext
    if not event.items:
        hint = _("Type the path of the file after the command, for example:\n/photo ~/passport.jpg")
    elif any(isinstance(item, NoSuchFile) for item in event.items):
        hint = _(
            "Nothing you sent is lost. To send the missing file, check its path and type again:\n/photo PATH (a path with spaces goes in quotes)"
        )
    else:
        return
    print(hint, file=stdout)
    print(file=stdout, flush=True)


def _set(flag: asyncio.Event | None) -> bool:
    return flag is not None and flag.is_set()


async def _goodbye(stdout: TextIO, locale: str, kept: Callable[[], Awaitable[bool]] | None) -> None:
    _ = Texts(locale).gettext
    if kept is not None and await kept():
        goodbye = _("Goodbye. What you entered is kept: start the chat again to go on.")
    else:
        # found by the fresh-clone tester: «ما أدخلته محفوظ» with nothing typed
        goodbye = _("Goodbye. Start the chat again whenever you need us.")
    print(goodbye, file=stdout, flush=True)


class ConsoleDelivery:
    """The outbox handler for people chatting in a terminal: their notifications (a
    decision taken in ``tawasul staff``) are printed in the chat as they arrive."""

    def __init__(self, user_key: str, stdout: TextIO = sys.stdout) -> None:
        self.user_key = user_key
        self.stdout = stdout

    async def deliver(self, row: OutboxRow) -> str | None:
        if row.target != self.user_key:
            # another terminal's person: leave it for the chat that is theirs
            raise RetryAfter(30)
        for reply in replies_from_payload(dict(row.payload)):
            lines = [reply.text]
            lines += [_as_command(c.id, c.label) for c in reply.choices if _as_command(c.id, "")]
            print("\n".join(lines), file=self.stdout)
            print(file=self.stdout, flush=True)
        return None


def _as_command(choice_id: str, label: str) -> str:
    """A notification's button as the command that does the same in a terminal; "" for
    a button that has none."""
    if choice_id.startswith("ans:"):
        return f"  /answer {choice_id.removeprefix('ans:')}  ({label})"
    for command, prefix in _SAY_COMMANDS.items():
        if choice_id.startswith(prefix):
            return f"  {command} {' '.join(choice_id.removeprefix(prefix).split(':'))}  ({label})"
    return ""


class ConsoleCardSend:
    """The receipt card in a terminal: where its picture was saved (a terminal cannot
    show it)."""

    def __init__(self, user_key: str, stdout: TextIO = sys.stdout) -> None:
        self.user_key = user_key
        self.stdout = stdout

    async def __call__(self, row: OutboxRow, path: str) -> str | None:
        if row.target != self.user_key:
            raise RetryAfter(30)
        locale = str(row.payload.get("receipt", {}).get("locale", DEFAULT_LOCALE))
        print(render(Reply("", media=(path,)), Texts(locale)).strip(), file=self.stdout)
        print(file=self.stdout, flush=True)
        return None
