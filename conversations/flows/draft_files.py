"""The files a request's draft keeps (photos and PDFs of the documents), as the
description and documents steps both take them: the refusal of a file in words, the same
bytes kept once, an album answered once, and an album that goes past the limit answered
with what was kept."""

from __future__ import annotations

from typing import Any, Literal

from conversations.events import Media
from conversations.flow import Ctx
from conversations.flows.file_counts import (
    REFUSED,
    album_counted,
    album_counted_early,
    album_kept,
    count_file,
    past_limit,
    refused_line,
    sent_together,
)
from conversations.flows.file_repeats import sent_before
from domain.attachments import MAX_FILE_BYTES, MAX_FILES, RejectReason, check_attachment


def files(ctx: Ctx) -> list[dict[str, Any]]:
    """The files of the draft, as the dialogue state keeps them."""
    kept: list[dict[str, Any]] = ctx.state.answers.setdefault("attachments", [])
    return kept


def file_refusal(ctx: Ctx, reason: str, *, photo: bool = False, early: bool = False) -> str:
    """Why a file was not taken, in words (by the reason of take_file); a repeat in the
    words of what it is, a photo (``photo``) or a file. ``early``: before the documents
    step (conversations.flows.early_files), where there is no «Done» to press."""
    _ = ctx.texts.gettext
    if reason == "count" and early:
        # found by tester 13 (§7): «اضغط «تم» للمتابعة» at the first menu and at the
        # identity number's step, where «تم» means nothing («يجب أن يتكون الرقم…»)
        return ctx.texts.ngettext(
            "I have kept %(max)d file, the most one request can take; it will count among the documents, and anything more was not added.",
            "I have kept %(max)d files, the most one request can take; they will count among the documents, and anything more was not added.",
            MAX_FILES,
        ) % {"max": MAX_FILES}
    if reason == "unreadable":
        return _(
            "I couldn't read this file: it may be damaged or not really a photo or PDF. Please send it again, as a photo or a PDF file."
        )
    if reason == "duplicate":
        return sent_before(ctx, photo, "documents")
    if reason == "type":
        return _("This type of file can't be accepted. Please send a photo or a PDF file.")
    if reason == "size":
        return _("This file is larger than %(mb)d MB. Please send a smaller photo or file.") % {
            "mb": MAX_FILE_BYTES // (1024 * 1024)
        }
    if reason == "quota":
        return _(
            "You have sent as many files today as one day allows. Please send the rest tomorrow, or press «Done» to go on with what you have sent."
        )
    return ctx.texts.ngettext(
        "You have already sent %(max)d file, the most one request can take. Press «Done» to continue.",
        "You have already sent %(max)d files, the most one request can take. Press «Done» to continue.",
        MAX_FILES,
    ) % {"max": MAX_FILES}


def take_file(ctx: Ctx, event: Media) -> RejectReason | Literal["duplicate", "refused"] | None:
    """Adds the file to the draft; why it can't be, instead, when it can't. The same
    bytes sent again (the same checksum: a photo sent twice, an album forwarded again)
    are kept once, so the officer does not open one document three times. A file the
    abuse screen refused (file_counts.REFUSED) is never kept: it is only counted."""
    if event.problem == REFUSED:
        return "refused"
    kept = files(ctx)
    if event.checksum and any(f.get("checksum") == event.checksum for f in kept):
        return "duplicate"
    reason = check_attachment(event.kind, event.mime, event.size, len(kept), problem=event.problem)
    if reason is not None:
        return reason
    kept.append(
        {
            "kind": event.kind,
            "ref": event.ref,
            "mime": event.mime,
            "size": event.size,
            "checksum": event.checksum,
            "file_name": event.file_name,
            # the words sent with the file stay with it, for the officer
            "caption": event.caption,
        }
    )
    return None


def album_once(ctx: Ctx, album_id: str | None, tag: str) -> bool:
    """True the first time this album says ``tag``: an album gets one answer, not one per photo."""
    if album_id is None:
        return True
    key = f"{album_id}:{tag}"
    if key in ctx.state.albums:
        return False
    ctx.state.albums = [*ctx.state.albums[-19:], key]
    return True


def album_fresh(ctx: Ctx, album_id: str | None) -> bool:
    """True when nothing of this album has been answered yet (a file alone is always
    fresh): its first file, which :func:`past_the_limit` speaks for."""
    return album_id is None or not any(key.startswith(f"{album_id}:") for key in ctx.state.albums)


def past_the_limit(ctx: Ctx, event: Media) -> str | None:
    """What to say instead of the album's count when ``event``, the first file of an album
    just kept, comes with more files than the draft has room for (:data:`MAX_FILES`): how
    many arrived, how many are kept, and that a request takes at most ten. None when they
    all fit or the count is unknown (a Telegram album; the files past the limit are then
    refused one answer for the album, :func:`file_refusal`'s "count").

    Found in session 11: an album of 11 was answered «وصلتني ١١ صورة» while the draft kept
    10, and 5 photos sent after 8 «وصلتني ٥ صور» while it kept 2. The refusal of the files
    past the limit is marked said here, so the album gets this one answer."""
    counts = sent_together(event)
    if counts is None:
        return None
    count, photos = counts
    room = MAX_FILES - (len(files(ctx)) - 1)
    if count <= room:
        return None
    album_once(ctx, event.album_id, "count")
    return past_limit(ctx, count, photos, room)


def answer_counted(ctx: Ctx, event: Media, reason: str | None, *, early: bool) -> tuple[str, ...]:
    """What is said for one file of a counted album (conversations.flows.file_counts.
    counted: WhatsApp's, Telegram's, the terminal's), taken into the draft or refused for
    ``reason``, by the documents step or, ``early``, by the first questions: after the
    album's last file, once, what was kept, repeated or past the limit
    (file_counts.album_counted); before that, a refusal of another kind (a file too
    large...) once for the album, and the limit only when the draft was full before the
    album came.

    Found by tester 10b: a photo sent again within a WhatsApp album of two got «أرسلت هذا
    الملف من قبل…» at its own turn and «وصلتني صورتان» at the other's."""
    return count_album_file(ctx, event, reason, early=early)[0]


def count_album_file(
    ctx: Ctx, event: Media, reason: str | None, *, early: bool
) -> tuple[tuple[str, ...], bool]:
    """:func:`answer_counted`'s lines, and whether ``event`` was its album's last file."""
    tag = "kept-early" if early else "ok"
    said: list[str] = []
    told = reason in ("duplicate", REFUSED) or (
        reason == "count" and album_kept(ctx, event.album_id) > 0
    )
    if reason is not None and not told and album_once(ctx, event.album_id, f"{tag}:{reason}"):
        said.append(file_refusal(ctx, reason, early=early))
    count = count_file(ctx, event, reason)
    if count is not None and album_once(ctx, event.album_id, tag):
        answer = album_counted_early(ctx, count) if early else album_counted(ctx, count)
        # the files the abuse screen refused, in the album's one answer
        answer = "\n".join(filter(None, [answer, refused_line(ctx, count)]))
        said += [answer] if answer else []
    return tuple(said), count is not None
