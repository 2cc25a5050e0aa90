"""The documents step's answer to an album, with its count when the channel knows it.

Found by the fresh-clone tester on WhatsApp: one photo was answered «وصلتني ملفاتك» (every
WhatsApp file is put in an album, bot.channels.whatsapp_bursts, as several chosen together
arrive one message each), and several without saying how many. A channel that waits for
the whole album before passing it on gives its count (``Media.album_size``): one photo is
«وصلتني الصورة», several are counted in the catalogue's plural forms (six in Arabic).
A Telegram album, answered at its first photo, has no count and keeps «وصلتني ملفاتك».
"""

from __future__ import annotations

from conversations.events import Media
from conversations.flow import Ctx


def album_received(ctx: Ctx, event: Media) -> str:
    """What the documents step says once for the files of ``event``'s album: «Received
    your photo», «Received 3 photos», «Received 2 files» (photos and files mixed, or
    files), or «Received your files» when the count is unknown."""
    _ = ctx.texts.gettext
    ngettext = ctx.texts.ngettext
    count = event.album_size
    if count is None:
        return _("Received your files. Send more, or press «Done» when you have finished.")
    if count == 1 and event.kind == "photo":
        return _("Received your photo. Send more, or press «Done» when you have finished.")
    if event.album_photos == count:
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
