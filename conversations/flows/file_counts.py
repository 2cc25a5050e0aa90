"""How the documents step, and the first questions, acknowledge files: a lone photo or
file in the same words on every channel, an album with its count when the channel knows it.

Found by the fresh-clone tester on WhatsApp: one photo was answered «وصلتني ملفاتك» (every
WhatsApp file is put in an album, bot.channels.whatsapp_bursts, as several chosen together
arrive one message each), and several without saying how many. A channel that waits for
the whole album before passing it on gives its count (``Media.album_size``): one photo is
«وصلتني الصورة», several are counted in the catalogue's plural forms (six in Arabic).
A photo sent alone on Telegram or in the terminal is the same «وصلتني الصورة» (it said
«وصلني ملف واحد» there while WhatsApp said «وصلتني الصورة»). A Telegram album, answered at
its first photo, has no count and keeps «وصلتني ملفاتك».

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
from domain.attachments import MAX_FILES

#: The draft's answers key of the albums being counted: album id → [files handled, kept,
#: photos kept, repeats] (a file sent before, or twice in the album, kept once).
ALBUM_COUNTS: Final = "album_counts"
#: Albums counted at once (an album whose last file never reaches the dialogue, refused
#: by the abuse screen, must not stay forever).
_COUNTED_MAX: Final = 4


@dataclass(frozen=True, slots=True)
class AlbumCount:
    """What became of an album's ``size`` files (``size_photos`` of them photos, as the
    channel counted them): ``kept`` files (``photos`` of them photos), ``repeats``, files
    the draft already held (kept once), and ``over``, files past the most a request takes
    (domain.attachments.MAX_FILES). Files refused for another reason (too large,
    unreadable...) are in none of these."""

    size: int
    size_photos: int
    kept: int
    photos: int
    repeats: int
    over: int


def counted(event: Media) -> bool:
    """Whether ``event`` is a file of an album whose count the channel gave (WhatsApp's,
    the terminal's /photo with several files; two files or more): it is answered once,
    after its last file (:func:`count_file`)."""
    return event.album_id is not None and (event.album_size or 0) > 1


def album_kept(ctx: Ctx, album_id: str | None) -> int:
    """How many files of the album (:func:`counted`) the draft has kept so far."""
    return int(ctx.state.answers.get(ALBUM_COUNTS, {}).get(str(album_id), [0, 0])[1])


def count_file(ctx: Ctx, event: Media, reason: str | None) -> AlbumCount | None:
    """Notes what became of one file of a :func:`counted` album (``reason``: None when
    kept, "duplicate" for a repeat, "count" past the limit, else why it was refused); the
    album's counts once this is its last file, None while some are still to come. Each
    file is handled once (the engine's claim on its event id), so the files handled are
    counted exactly."""
    answers = ctx.state.answers
    albums: dict[str, list[int]] = answers.setdefault(ALBUM_COUNTS, {})
    album = str(event.album_id)
    handled, kept, photos, repeats, over = albums.pop(album, [0, 0, 0, 0, 0])
    handled += 1
    if reason is None:
        kept += 1
        photos += int(event.kind == "photo")
    elif reason == "duplicate":
        repeats += 1
    elif reason == "count":
        over += 1
    size = event.album_size or 0
    if handled < size:
        albums[album] = [handled, kept, photos, repeats, over]
        for stale in list(albums)[:-_COUNTED_MAX]:
            del albums[stale]
        return None
    if not albums:
        del answers[ALBUM_COUNTS]
    return AlbumCount(size, event.album_photos or 0, kept, photos, repeats, over)


def past_limit(ctx: Ctx, count: int, photos: int, kept: int) -> str:
    """An album of ``count`` files (``photos`` of them photos) of which the draft had room
    for ``kept`` only: how many arrived, how many are kept, and that a request takes at
    most ten (found in session 11: eleven photos were «وصلتني ١١ صورة» while ten were kept)."""
    ngettext = ctx.texts.ngettext
    if photos == count:
        received = ngettext(
            "Received %(count)d photo, and kept only %(kept)d of them.",
            "Received %(count)d photos, and kept only %(kept)d of them.",
            count,
        )
    else:
        received = ngettext(
            "Received %(count)d file, and kept only %(kept)d of them.",
            "Received %(count)d files, and kept only %(kept)d of them.",
            count,
        )
    limit = ngettext(
        "One request takes at most %(max)d file, so the rest were not added.",
        "One request takes at most %(max)d files, so the rest were not added.",
        MAX_FILES,
    )
    return " ".join([received % {"count": count, "kept": kept}, limit % {"max": MAX_FILES}])


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
    when some were files sent before, the new ones and the repeats in one answer
    («Received 1 new photo. Also received 1 file you had already sent; it is kept
    once.»). None when every file was refused for another reason (each reason was said)."""
    _ = ctx.texts.gettext
    ngettext = ctx.texts.ngettext
    if count.over and count.kept:
        over = " ".join([past_limit(ctx, count.size, count.size_photos, count.kept),
                         *([_repeats(ctx, count.repeats)] if count.repeats else [])])  # fmt: skip
        return f"{over}\n{_('Press «Done» to continue.')}"
    if not count.repeats:
        return _received(ctx, count.kept, count.photos) if count.kept else None
    if not count.kept:
        return " ".join(
            [
                _all_repeats(ctx, count.repeats),
                _("Send the other documents, or press «Done» when you have finished."),
            ]
        )
    if count.photos == count.kept:
        new = ngettext(
            "Received %(count)d new photo.", "Received %(count)d new photos.", count.kept
        )
    else:
        new = ngettext("Received %(count)d new file.", "Received %(count)d new files.", count.kept)
    return " ".join(
        [
            new % {"count": count.kept},
            _repeats(ctx, count.repeats),
            _("Send more, or press «Done» when you have finished."),
        ]
    )


def album_counted_early(ctx: Ctx, count: AlbumCount) -> str | None:
    """What the first questions say once for a :func:`counted` album kept before the
    documents are asked for (conversations.flows.early_files), after its last file: as
    :func:`album_counted`, in the words of keeping files for the request."""
    ngettext = ctx.texts.ngettext
    if count.over and count.kept:
        over = past_limit(ctx, count.size, count.size_photos, count.kept)
        return " ".join([over, _repeats(ctx, count.repeats)]) if count.repeats else over
    if not count.repeats:
        return _kept_early(ctx, count.kept, count.photos) if count.kept else None
    if not count.kept:
        return _all_repeats(ctx, count.repeats)
    if count.photos == count.kept:
        new = ngettext(
            "I have kept %(count)d new photo for your request.",
            "I have kept %(count)d new photos for your request.",
            count.kept,
        )
    else:
        new = ngettext(
            "I have kept %(count)d new file for your request.",
            "I have kept %(count)d new files for your request.",
            count.kept,
        )
    return " ".join(
        [
            new % {"count": count.kept},
            _repeats(ctx, count.repeats),
            ctx.texts.gettext("The files kept will count among the documents when I ask for them."),
        ]
    )


def _repeats(ctx: Ctx, repeats: int) -> str:
    return ctx.texts.ngettext(
        "Also received %(count)d file you had already sent; it is kept once.",
        "Also received %(count)d files you had already sent; each is kept once.",
        repeats,
    ) % {"count": repeats}


def _all_repeats(ctx: Ctx, repeats: int) -> str:
    return ctx.texts.ngettext(
        "You had already sent this file, so it is kept once.",
        "You had already sent these %(count)d files, so each is kept once.",
        repeats,
    ) % {"count": repeats}
