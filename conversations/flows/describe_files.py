"""A photo or file sent at the description step: it joins the request, and its caption
is (part of) the description. People send the explanation as the caption of a photo, or
the photos before the words."""

from __future__ import annotations

from conversations.events import Media
from conversations.flow import Ctx, Next, Outcome, Retry, Stay
from conversations.flows.description_text import describe, says_done
from conversations.flows.draft_files import (
    album_fresh,
    album_once,
    count_album_file,
    file_refusal,
    past_the_limit,
    take_file,
)
from conversations.flows.file_counts import counted
from conversations.flows.file_repeats import sent_before
from conversations.store_outage import file_kept
from domain.attachments import MAX_FILES

#: «الإبقاء على وصفي»: the words told before the description step, kept as it.
KEEP_DESCRIPTION = "keep_description"


def description_with_file(ctx: Ctx, event: Media) -> Outcome:
    """A photo or file at the description step: it joins the request, and its caption is
    (part of) the description."""
    _ = ctx.texts.gettext
    reason = take_file(ctx, event)
    over = None
    if reason is None:
        file_kept(ctx.state)
    if counted(event):
        return _album_file(ctx, event, reason)
    if reason is None:
        # an album past the limit says what was kept, once (before album_once marks it)
        over = past_the_limit(ctx, event) if album_fresh(ctx, event.album_id) else None
    photo = event.kind == "photo"
    refusal = None if reason is None else file_refusal(ctx, reason, photo=photo)
    caption = (event.caption or "").strip()
    if caption and not says_done(caption):
        album_once(ctx, event.album_id, "ok")
        outcome = describe(ctx, caption)
        if isinstance(outcome, Next):
            said = (
                (_("Your description and your file are saved."), *filter(None, [over]))
                if refusal is None
                else (_("Your description is saved."), refusal)
            )
            return Next(outcome.step, (*said, *outcome.say))
        if isinstance(outcome, Retry):
            kept = _("I have kept your file.") if reason is None else _file_line(ctx, reason, photo)
            kept = kept if over is None else f"{kept}\n{over}"
            return Retry(f"{kept}\n{outcome.hint}")
        return outcome
    if not album_once(ctx, event.album_id, "early"):
        return Stay(())  # the rest of an album: one answer for all of it
    if reason is not None:
        # one line for the file and what this step wants; the documents step's words
        # («press Done») once came with «write the description» (found by the tester)
        return Retry(
            "\n".join(
                [
                    _file_line(ctx, reason, photo),
                    describe_now(ctx),
                ]
            )
        )
    if over is not None:
        return Retry(f"{over}\n{describe_now(ctx)}")
    if _keeps_offered(ctx):
        return Retry(f"{_('I have kept your file.')}\n{describe_now(ctx)}")
    return Retry(
        _(
            "I have kept your file; it will be sent with your request. Now please describe your request in words: what you need, and what went wrong if there was a problem."
        )
    )


def describe_now(ctx: Ctx) -> str:
    """What the description step wants after a file: the words, or, with words told
    earlier on offer, «الإبقاء على وصفي» or a new text (helper 233: an album under that
    offer was asked to describe the request, as if nothing had been told)."""
    _ = ctx.texts.gettext
    if _keeps_offered(ctx):
        return _("Press «Keep my description» to go on with it, or send a new text to replace it.")
    return _(
        "Now please describe your request in words: what you need, and what went wrong if there was a problem."
    )


def _keeps_offered(ctx: Ctx) -> bool:
    return any(option[0] == KEEP_DESCRIPTION for option in ctx.state.offered)


#: The draft's answers key of the words sent as the caption of a counted album's file at
#: the description step, by album id: the description once the album is whole.
_ALBUM_WORDS = "album_words"


def _album_file(ctx: Ctx, event: Media, reason: str | None) -> Outcome:
    """One file of a counted album (WhatsApp's, Telegram's, the terminal's) at the
    description step: one answer after its last file, with what was kept and what was a
    repeat, then the description's question, or the caption as the description.

    Found in session 11: an album of a photo sent before and a new one got «أرسلت هذا الملف
    من قبل» at the repeat's turn and nothing at the new photo's (the album was answered),
    so the person was never told the new photo was kept."""
    _ = ctx.texts.gettext
    answers = ctx.state.answers
    caption = (event.caption or "").strip()
    words: dict[str, str] = answers.setdefault(_ALBUM_WORDS, {})
    if caption and not says_done(caption):
        # the first caption of the album is its description; the others stay with their files
        words.setdefault(str(event.album_id), caption)
    said, last = count_album_file(ctx, event, reason, early=True)
    if not last:
        if not words:
            del answers[_ALBUM_WORDS]
        return Stay(said)
    caption = words.pop(str(event.album_id), "")
    if not words:
        del answers[_ALBUM_WORDS]
    if caption:
        outcome = describe(ctx, caption)
        if isinstance(outcome, Next):
            return Next(outcome.step, (_("Your description is saved."), *said, *outcome.say))
        if isinstance(outcome, Retry):
            return Retry("\n".join([*said, outcome.hint]))
        return outcome
    return Retry("\n".join([*said, describe_now(ctx)]))


def _file_line(ctx: Ctx, reason: str, photo: bool) -> str:
    """Why a file sent at the description step was not taken, as this step says it: the
    documents step's refusals (:func:`conversations.flows.draft_files.file_refusal`) ask
    for «Done», which this step does not have."""
    _ = ctx.texts.gettext
    if reason == "duplicate":
        return sent_before(ctx, photo)
    if reason == "quota":
        return _("You have sent as many files today as one day allows.")
    if reason == "count":
        return ctx.texts.ngettext(
            "You have already sent %(max)d file, the most one request can take.",
            "You have already sent %(max)d files, the most one request can take.",
            MAX_FILES,
        ) % {"max": MAX_FILES}
    return file_refusal(ctx, reason, photo=photo)
