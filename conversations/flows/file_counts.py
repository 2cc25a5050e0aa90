"""How the documents step, and the first questions, acknowledge files: a lone photo or
file in the same words on every channel, an album with its count when the channel knows it.

Found by the fresh-clone tester on WhatsApp: one photo was answered «وصلتني ملفاتك» (every
WhatsApp file is put in an album, bot.channels.whatsapp_bursts, as several chosen together
arrive one message each), and several without saying how many. A channel that waits for
the whole album before passing it on gives its count (``Media.album_size``): one photo is
«وصلتني الصورة», several are counted in the catalogue's plural forms (six in Arabic).
A photo sent alone on Telegram or in the terminal is the same «وصلتني الصورة» (it said
«وصلني ملف واحد» there while WhatsApp said «وصلتني الصورة»). A Telegram album is counted
by its channel too (bot.channels.telegram_albums); one handed over without a count (a
channel built without that) is answered at its first photo, «وصلتني ملفاتك».

An album whose count is known is answered once its last file is handled, with what was
kept (:func:`count_file`): found by tester 10b, a photo sent again inside a WhatsApp album
of two got «أرسلت هذا الملف من قبل…» (its own turn) and then «وصلتني صورتان» (the album's
count, said at the other photo's turn), though one photo only was new. The counts live in
the draft (the dialogue store, Redis), so the album's files may be handled on any worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from conversations.events import Media
from conversations.flow import Ctx
from conversations.flows.file_repeats import all_repeats, one_twice, repeat_lines
from domain.attachments import MAX_FILES

#: The draft's answers key of the albums being counted: album id → [files handled, kept,
#: photos kept, repeats of files sent before the album, over the limit, photos of those
#: repeats, repeats of a file of the album itself, photos of those, files the draft held
#: before the album, files the abuse screen refused] (each repeat kept once). Lists saved
#: with fewer numbers (before the repeats, or the refused, were told apart) read as zeros
#: for the missing ones.
ALBUM_COUNTS: Final = "album_counts"
#: ``Media.problem`` of an album's file the abuse screen refused (too many messages a
#: minute) that the channel still hands over, undownloaded, so that the album, counted
#: with it, is answered (bot.channels.telegram_albums, bot.channels.whatsapp_bursts).
REFUSED: Final = "refused"
#: Albums counted at once (an album whose last file never reaches the dialogue, refused
#: by the abuse screen, must not stay forever).
_COUNTED_MAX: Final = 4
_FIELDS: Final = 10


@dataclass(frozen=True, slots=True)
class AlbumCount:
    """What became of an album's ``size`` files (``size_photos`` of them photos, as the
    channel counted them): ``kept`` files (``photos`` of them photos), ``repeats``, files
    the draft held before the album (``repeat_photos`` of them photos), ``twice``, files
    that came again within the album itself (``twice_photos`` of them photos), each kept
    once, and ``over``, files past the most a request takes (domain.attachments.MAX_FILES).
    ``refused``: files the abuse screen refused (:data:`REFUSED`). Files refused for
    another reason (too large, unreadable...) are in none of these."""

    size: int
    size_photos: int
    kept: int
    photos: int
    repeats: int
    over: int
    repeat_photos: int = 0
    twice: int = 0
    twice_photos: int = 0
    refused: int = 0


def counted(event: Media) -> bool:
    """Whether ``event`` is a file of an album whose count the channel gave (WhatsApp's,
    a Telegram album's, the terminal's /photo with several files; two files or more): it
    is answered once, after its last file (:func:`count_file`)."""
    return event.album_id is not None and (event.album_size or 0) > 1


def album_kept(ctx: Ctx, album_id: str | None) -> int:
    """How many files of the album (:func:`counted`) the draft has kept so far."""
    return int(ctx.state.answers.get(ALBUM_COUNTS, {}).get(str(album_id), [0, 0])[1])


def counting(answers: dict[str, object], album_id: str | None) -> bool:
    """Whether the draft (``answers``) is counting album ``album_id``: a file of it was
    handled and some are still to come. A file the abuse screen refused (:data:`REFUSED`)
    is counted only then; elsewhere it is dropped unanswered, as the screen drops it."""
    albums = answers.get(ALBUM_COUNTS)
    return isinstance(albums, dict) and str(album_id) in albums


def _earlier_in_album(ctx: Ctx, event: Media, before: int) -> bool:
    """Whether the file ``event`` repeats was kept from its own album (at or after the
    ``before``-th file of the draft), not sent before it."""
    kept = ctx.state.answers.get("attachments", [])
    for index, file in enumerate(kept):
        if event.checksum and file.get("checksum") == event.checksum:
            return index >= before
    return False


def count_file(ctx: Ctx, event: Media, reason: str | None) -> AlbumCount | None:
    """Notes what became of one file of a :func:`counted` album (``reason``: None when
    kept, "duplicate" for a repeat, "count" past the limit, else why it was refused); the
    album's counts once this is its last file, None while some are still to come. Each
    file is handled once (the engine's claim on its event id), so the files handled are
    counted exactly. A repeat is told apart by where its twin came from: the draft before
    the album (sent before), or the album itself (the same photo chosen twice: review 11,
    §7, was told «ملف أرسلته من قبل»)."""
    answers = ctx.state.answers
    albums: dict[str, list[int]] = answers.setdefault(ALBUM_COUNTS, {})
    album = str(event.album_id)
    saved = albums.pop(album, None)
    if saved is None:
        # the album's first file: how many the draft held before it came
        held = len(answers.get("attachments", [])) - int(reason is None)
        saved = [0] * (_FIELDS - 2) + [held, 0]
    elif len(saved) < _FIELDS - 1:
        # saved before repeats were told apart: every repeat counts as sent before
        saved = [*saved, 0, 0, 0, MAX_FILES * 10, 0]
    elif len(saved) < _FIELDS:
        saved = [*saved, 0]  # saved before refused files were counted
    handled, kept, photos, repeats, over, repeat_photos, twice, twice_photos, before, refused = (
        saved
    )
    handled += 1
    photo = int(event.kind == "photo")
    if reason is None:
        kept += 1
        photos += photo
    elif reason == "duplicate" and _earlier_in_album(ctx, event, before):
        twice += 1
        twice_photos += photo
    elif reason == "duplicate":
        repeats += 1
        repeat_photos += photo
    elif reason == "count":
        over += 1
    elif reason == REFUSED:
        refused += 1
    size = event.album_size or 0
    if handled < size:
        albums[album] = [handled, kept, photos, repeats, over, repeat_photos, twice,
                         twice_photos, before, refused]  # fmt: skip
        for stale in list(albums)[:-_COUNTED_MAX]:
            del albums[stale]
        return None
    if not albums:
        del answers[ALBUM_COUNTS]
    return AlbumCount(size, event.album_photos or 0, kept, photos, repeats, over,
                      repeat_photos, twice, twice_photos, refused)  # fmt: skip


def refused_line(ctx: Ctx, count: AlbumCount) -> str | None:
    """The line for an album's files the abuse screen refused (it said once why, and how
    long to wait), when others of it were handled: how many were not taken, to send again.
    None when none was refused, or all were (the screen's word is then the answer).

    Found in session 12: when the screen refused one file of a counted album, the album's
    answer never came, so the person heard nothing of the files that were kept."""
    if not count.refused or count.refused >= count.size:
        return None
    return ctx.texts.ngettext(
        "One of the files you just sent was not taken because messages came too quickly. Please send it again once the wait is over.",
        "%(count)d of the files you just sent were not taken because messages came too quickly. Please send them again once the wait is over.",
        count.refused,
    ) % {"count": count.refused}


def past_limit(ctx: Ctx, count: int, photos: int, kept: int) -> str:
    """An album of ``count`` files (``photos`` of them photos) of which the draft had room
    for ``kept`` only: how many arrived, how many are kept, and that a request takes at
    most ten (found in session 11: eleven photos were «وصلتني ١١ صورة» while ten were kept).

    The files kept have their own plural form, not the count received's (review 11, §7:
    «وصلتني ٤ صور، واحتفظتُ منها بـ١ فقط» is how nobody writes it; Arabic says «بواحدة
    فقط», «باثنتين فقط», and a photo is feminine where a file is not)."""
    ngettext = ctx.texts.ngettext
    if photos == count:
        received = ngettext("Received %(count)d photo", "Received %(count)d photos", count)
        kept_only = ngettext(
            "%(received)s; only one of those photos was kept.",
            "%(received)s; only %(kept)d of those photos were kept.",
            kept,
        )
    else:
        received = ngettext("Received %(count)d file", "Received %(count)d files", count)
        kept_only = ngettext(
            "%(received)s; only one of those files was kept.",
            "%(received)s; only %(kept)d of those files were kept.",
            kept,
        )
    limit = ngettext(
        "One request takes at most %(max)d file, so the rest were not added.",
        "One request takes at most %(max)d files, so the rest were not added.",
        MAX_FILES,
    )
    said = kept_only % {"received": received % {"count": count}, "kept": kept}
    return " ".join([said, limit % {"max": MAX_FILES}])


def sent_together(event: Media) -> tuple[int, int] | None:
    """How many files ``event`` came with, and how many of them are photos: (1, 1) or
    (1, 0) for a file sent alone, the album's counts when the channel knows them, None for
    an album whose count is unknown (Telegram's, answered at its first file)."""
    if event.album_id is None:
        return 1, int(event.kind == "photo")
    if event.album_size is None:
        return None
    if event.album_size == 1:
        # an album of one is a photo or a file (WhatsApp's, bot.channels.whatsapp_bursts)
        return 1, int(event.kind == "photo")
    return event.album_size, event.album_photos or 0


def album_received(ctx: Ctx, event: Media) -> str:
    """What the documents step says once for ``event`` and the files of its album:
    «Received your photo», «Received your file», «Received 3 photos», «Received 2 files»
    (photos and files mixed, or files), or «Received your files» when the count is unknown."""
    _ = ctx.texts.gettext
    counts = sent_together(event)
    if counts is None:
        return _("Received your files. Send more, or press «Done» when you have finished.")
    return _received(ctx, *counts)


def _received(ctx: Ctx, count: int, photos: int) -> str:
    _ = ctx.texts.gettext
    ngettext = ctx.texts.ngettext
    if count == 1 and photos == 1:
        return _("Received your photo. Send more, or press «Done» when you have finished.")
    if count == 1:
        return _("Received your file. Send more, or press «Done» when you have finished.")
    if photos == count:
        return ngettext(
            "Received %(count)d photo. Send more, or press «Done» when you have finished.",
            "Received %(count)d photos. Send more, or press «Done» when you have finished.",
            count,
        ) % {"count": count}
    return ngettext(
        "Received %(count)d file. Send more, or press «Done» when you have finished.",
        "Received %(count)d files. Send more, or press «Done» when you have finished.",
        count,
    ) % {"count": count}


def album_kept_early(ctx: Ctx, event: Media) -> str:
    """What the first questions say once for ``event`` and the files of its album, kept
    for the request before the documents are asked for (conversations.flows.early_files):
    the photo, the file, the 3 photos or 2 files kept, or «your files» when the count is
    unknown (a Telegram album)."""
    counts = sent_together(event)
    if counts is None:
        return ctx.texts.gettext(
            "I have kept your files for your request: they will count among the documents when I ask for them."
        )
    return _kept_early(ctx, *counts)


def _kept_early(ctx: Ctx, count: int, photos: int) -> str:
    _ = ctx.texts.gettext
    ngettext = ctx.texts.ngettext
    if count == 1 and photos == 1:
        return _(
            "I have kept your photo for your request: it will count among the documents when I ask for them."
        )
    if count == 1:
        return _(
            "I have kept your file for your request: it will count among the documents when I ask for them."
        )
    if photos == count:
        return ngettext(
            "I have kept %(count)d photo for your request: it will count among the documents when I ask for them.",
            "I have kept %(count)d photos for your request: they will count among the documents when I ask for them.",
            count,
        ) % {"count": count}
    return ngettext(
        "I have kept %(count)d file for your request: it will count among the documents when I ask for them.",
        "I have kept %(count)d files for your request: they will count among the documents when I ask for them.",
        count,
    ) % {"count": count}


def album_counted(ctx: Ctx, count: AlbumCount) -> str | None:
    """What the documents step says once for a :func:`counted` album, after its last
    file: the files kept, counted as the album's own count is («Received 2 photos»), or,
    when some were repeats, the new ones and the repeats in one answer («Received 1 new
    photo. Also received 1 photo you had already sent; it is kept once.»; a file twice in
    the album: conversations.flows.file_repeats). None when every file was refused for
    another reason (each reason was said)."""
    _ = ctx.texts.gettext
    repeats = _repeat_lines(ctx, count)
    if count.over and count.kept:
        over = " ".join([past_limit(ctx, count.size, count.size_photos, count.kept), *repeats])
        return f"{over}\n{_('Press «Done» to continue.')}"
    if not repeats:
        return _received(ctx, count.kept, count.photos) if count.kept else None
    if _one_twice(count):
        return " ".join(
            [
                one_twice(ctx, count.photos == 1),
                _("Send more, or press «Done» when you have finished."),
            ]
        )
    if not count.kept:
        return " ".join(
            [
                all_repeats(ctx, count.repeats, count.repeat_photos),
                _("Send the other documents, or press «Done» when you have finished."),
            ]
        )
    return " ".join(
        [
            _new(ctx, count),
            *repeats,
            _("Send more, or press «Done» when you have finished."),
        ]
    )


def _one_twice(count: AlbumCount) -> bool:
    """The album is one file chosen twice (a double tap): said in one sentence."""
    return count.kept == 1 and count.twice == 1 and not count.repeats


def _repeat_lines(ctx: Ctx, count: AlbumCount) -> list[str]:
    return repeat_lines(ctx, count.repeats, count.repeat_photos, count.twice, count.twice_photos)


def _new(ctx: Ctx, count: AlbumCount) -> str:
    """The files kept of an album with repeats: «new» beside files sent before, plainly
    counted beside a file that came twice in the album only."""
    ngettext = ctx.texts.ngettext
    photos = count.photos == count.kept
    if count.repeats and photos:
        new = ngettext(
            "Received %(count)d new photo.", "Received %(count)d new photos.", count.kept
        )
    elif count.repeats:
        new = ngettext("Received %(count)d new file.", "Received %(count)d new files.", count.kept)
    elif photos:
        new = ngettext("Received %(count)d photo.", "Received %(count)d photos.", count.kept)
    else:
        new = ngettext("Received %(count)d file.", "Received %(count)d files.", count.kept)
    return new % {"count": count.kept}


def album_counted_early(ctx: Ctx, count: AlbumCount) -> str | None:
    """What the first questions say once for a :func:`counted` album kept before the
    documents are asked for (conversations.flows.early_files), after its last file: as
    :func:`album_counted`, in the words of keeping files for the request."""
    ngettext = ctx.texts.ngettext
    repeats = _repeat_lines(ctx, count)
    if count.over and count.kept:
        return " ".join([past_limit(ctx, count.size, count.size_photos, count.kept), *repeats])
    if not repeats:
        return _kept_early(ctx, count.kept, count.photos) if count.kept else None
    if _one_twice(count):
        later = ctx.texts.gettext(
            "The files kept will count among the documents when I ask for them."
        )
        return f"{one_twice(ctx, count.photos == 1)} {later}"
    if not count.kept:
        return all_repeats(ctx, count.repeats, count.repeat_photos)
    photos = count.photos == count.kept
    if count.repeats and photos:
        new = ngettext(
            "I have kept %(count)d new photo for your request.",
            "I have kept %(count)d new photos for your request.",
            count.kept,
        )
    elif count.repeats:
        new = ngettext(
            "I have kept %(count)d new file for your request.",
            "I have kept %(count)d new files for your request.",
            count.kept,
        )
    elif photos:
        new = ngettext(
            "I have kept %(count)d photo for your request.",
            "I have kept %(count)d photos for your request.",
            count.kept,
        )
    else:
        new = ngettext(
            "I have kept %(count)d file for your request.",
            "I have kept %(count)d files for your request.",
            count.kept,
        )
    return " ".join(
        [
            new % {"count": count.kept},
            *repeats,
            ctx.texts.gettext("The files kept will count among the documents when I ask for them."),
        ]
    )
