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
"""

from __future__ import annotations

from conversations.events import Media
from conversations.flow import Ctx


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
    ngettext = ctx.texts.ngettext
    counts = sent_together(event)
    if counts is None:
        return _("Received your files. Send more, or press «Done» when you have finished.")
    count, photos = counts
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
    _ = ctx.texts.gettext
    ngettext = ctx.texts.ngettext
    counts = sent_together(event)
    if counts is None:
        return _(
            "I have kept your files for your request: they will count among the documents when I ask for them."
        )
    count, photos = counts
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
