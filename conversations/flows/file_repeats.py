"""How an album's repeated files are told, once the album is counted
(conversations.flows.file_counts): a file the draft held before the album («sent before»),
and a file that came twice within the album itself (a double tap in the gallery), each
in the words of what it is, a photo or a file.

Found by review 11 (§7): two identical photos of one album were told «ووصلني ملف أرسلته
من قبل، فاحتفظتُ به مرة واحدة» though they were not sent before, and they were photos."""

from __future__ import annotations

from conversations.flow import Ctx


def repeat_lines(
    ctx: Ctx, repeats: int, repeat_photos: int, twice: int, twice_photos: int
) -> list[str]:
    """The lines for an album's repeats, sent before (``repeats``, ``repeat_photos`` of
    them photos) and within the album (``twice``, ``twice_photos`` of them photos); none
    for none."""
    ngettext = ctx.texts.ngettext
    lines: list[str] = []
    if repeats and repeat_photos == repeats:
        lines.append(
            ngettext(
                "Also received %(count)d photo you had already sent; it is kept once.",
                "Also received %(count)d photos you had already sent; each is kept once.",
                repeats,
            )
        )
    elif repeats:
        lines.append(
            ngettext(
                "Also received %(count)d file you had already sent; it is kept once.",
                "Also received %(count)d files you had already sent; each is kept once.",
                repeats,
            )
        )
    said = [line % {"count": repeats} for line in lines]
    if twice and twice_photos == twice:
        line = ngettext(
            "One of the photos came twice in what you just sent; it is kept once.",
            "%(count)d of the photos came twice in what you just sent; each is kept once.",
            twice,
        )
    elif twice:
        line = ngettext(
            "One of the files came twice in what you just sent; it is kept once.",
            "%(count)d of the files came twice in what you just sent; each is kept once.",
            twice,
        )
    else:
        return said
    return [*said, line % {"count": twice}]


def all_repeats(ctx: Ctx, repeats: int, repeat_photos: int) -> str:
    """Every file of the album was sent before (``repeat_photos`` of them photos)."""
    ngettext = ctx.texts.ngettext
    if repeat_photos == repeats:
        line = ngettext(
            "You had already sent this photo, so it is kept once.",
            "You had already sent these %(count)d photos, so each is kept once.",
            repeats,
        )
    else:
        line = ngettext(
            "You had already sent this file, so it is kept once.",
            "You had already sent these %(count)d files, so each is kept once.",
            repeats,
        )
    return line % {"count": repeats}


def one_twice(ctx: Ctx, photo: bool) -> str:
    """What was sent is one photo (or file, ``photo`` False) chosen twice: kept once."""
    _ = ctx.texts.gettext
    if photo:
        return _("The same photo came twice; it is kept once.")
    return _("The same file came twice; it is kept once.")


def sent_before(ctx: Ctx, photo: bool, then: str = "") -> str:
    """One file sent again outside an album, kept once, in the words of what it is: a
    photo (``photo``) or a file. ``then`` picks what follows, as the step says it: ""
    nothing, "documents" the documents step's «send the rest, or Done», "request" that it
    is kept for the request (sent before the documents were asked for).

    Found in session 12: a single photo sent twice was told «أرسلت هذا الملف من قبل» (a
    «file») though it was a photo; an album's repeats already said «صورة» (734be17)."""
    _ = ctx.texts.gettext
    if then == "documents":
        if photo:
            return _(
                "You have already sent this photo, so it is kept once. You can send the other documents, or press «Done» when you have finished."
            )
        return _(
            "You have already sent this file, so it is kept once. Send the other documents, or press «Done» when you have finished."
        )
    if then == "request":
        if photo:
            return _("You have already sent this photo; it is kept once for your request.")
        return _("You have already sent this file; it is kept once for your request.")
    if photo:
        return _("You have already sent this photo, so it is kept once.")
    return _("You have already sent this file, so it is kept once.")
