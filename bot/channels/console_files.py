"""The terminal chat's ``/photo PATH…``: the paths typed, each file read, inspected and
kept in the media store as a channel keeps a download (bot.media_intake), a path that names
no file said so without losing the others, and the hint printed after the line.
Split from :mod:`bot.channels.console`, one idea a file."""

from __future__ import annotations

import dataclasses
import mimetypes
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from bot.media_intake import STORE_REF, inspect
from bot.media_store import MediaStore
from conversations.events import Media, MediaKind, Origin
from conversations.i18n import Texts
from domain.attachments import worth_inspecting


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
    if is_file(Path(text).expanduser()):
        return [text]
    try:
        return shlex.split(text)
    except ValueError:  # «No closing quotation»
        return text.split()


def is_file(path: Path) -> bool:
    """Whether ``path`` names a file; False for a name the file system cannot hold."""
    try:
        return path.is_file()
    except OSError:  # a name too long for the file system, say: no file by that name
        return False


def attachments(text: str, origin: Origin, media: MediaStore) -> Attachments:
    """``/photo`` and the paths after it (``text``): one event per file, the first with
    ``origin``'s event id, the next ones with ids made from it. Two files or more are one
    album, with its count (``Media.album_size``, ``album_photos``), as WhatsApp hands over
    the photos chosen together: the dialogue answers it once, «وصلتني ٣ صور» (found in
    session 11: ``/photo a b c`` got «وصلتني الصورة» three times)."""
    items = tuple(
        attach(
            dataclasses.replace(origin, event_id=f"{origin.event_id}{f'-{i}' if i else ''}"),
            path,
            media,
        )
        for i, path in enumerate(photo_paths(text))
    )
    files = [item for item in items if isinstance(item, Media)]
    if len(files) < 2:
        return Attachments(items)
    photos = sum(item.kind == "photo" for item in files)
    album = f"cli-{origin.event_id}"
    return Attachments(
        tuple(
            dataclasses.replace(item, album_id=album, album_size=len(files), album_photos=photos)
            if isinstance(item, Media)
            else item
            for item in items
        )
    )


def attach(origin: Origin, path_text: str, media: MediaStore) -> Media | NoSuchFile:
    """The file at ``path_text`` as the event a channel passes on once it has the bytes:
    inspected and kept in the media store; a :class:`NoSuchFile` when no file is there."""
    path = Path(path_text).expanduser()
    if not is_file(path):
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


def photo_hint(event: Attachments, stdout: TextIO, locale: str) -> None:
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
