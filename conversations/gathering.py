"""A step that gathers several messages before sending: words typed over a few messages
and photos or PDF files, kept in the dialogue's answers until the person sends them (the
answer to an officer's question, :mod:`conversations.flows.more_info`; a note about a
request, :mod:`conversations.flows.their_say`). One rule for both: each message joins the
ones before, a file is checked before it is kept, an album is acknowledged once, and
«send» (the button, or the word typed) ends the gathering, unless a file the person sent
is known not to have reached us (conversations.store_outage): then the first «send» says
so, and the next sends without it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from conversations.events import Choice, Event, Media, Text
from conversations.flow import Ctx, Outcome, Retry, Stay
from conversations.flows.draft_files import file_refusal
from conversations.flows.file_repeats import sent_before
from conversations.keywords import is_send_word
from conversations.ports import AttachmentInfo
from conversations.store_outage import file_kept, go_without, missing_before_sending, missing_files
from domain.attachments import check_attachment
from domain.description import has_words

#: The choice id of the «Send …» button.
SEND = "send"
#: How many album ids are remembered, so an album's later photos are not acknowledged.
ALBUMS_KEPT = 20


def is_send(event: Event) -> bool:
    """Whether ``event`` ends the gathering: the «Send …» button, or «send» typed."""
    if isinstance(event, Text):
        return is_send_word(event.text)
    return isinstance(event, Choice) and event.id == SEND


def gathered(ctx: Ctx) -> tuple[list[str], list[dict[str, Any]]]:
    """The words and the files (as :class:`AttachmentInfo` fields) gathered so far."""
    answers = ctx.state.answers
    return answers.setdefault("texts", []), answers.setdefault("files", [])


def file_fields(event: Media) -> dict[str, Any]:
    """A file as kept in the dialogue state: the fields of :class:`AttachmentInfo`."""
    return {
        "kind": event.kind, "ref": event.ref, "mime": event.mime, "size": event.size,
        "checksum": event.checksum, "file_name": event.file_name, "caption": event.caption,
    }  # fmt: skip


def attachments(files: list[dict[str, Any]]) -> tuple[AttachmentInfo, ...]:
    return tuple(AttachmentInfo(**f) for f in files)


def gather(
    ctx: Ctx,
    event: Event,
    *,
    max_chars: int,
    too_long: str,
    not_sent: str,
    max_files: int | None = None,
    caption_is_text: bool = False,
) -> Outcome | None:
    """Takes one message into the gathering: words (refused with ``too_long``, which may
    say ``%(max)d``, past ``max_chars`` in all) or a file (refused past ``max_files`` or
    when :func:`domain.attachments.check_attachment` refuses it); ``not_sent`` reminds the
    person nothing is sent yet. With ``caption_is_text`` the words sent with a photo join
    the words, as if typed on their own. Returns None for anything else («send», a
    button): the step's own answer handles it."""
    _ = ctx.texts.gettext
    if is_send(event):
        if missing_files(ctx.state):
            # a photo of theirs met Redis away (conversations.store_outage): said once;
            # the next «send» goes without it
            go_without(ctx.state)
            return Retry(missing_before_sending(ctx))
        return None
    texts, files = gathered(ctx)
    if isinstance(event, Text):
        if not has_words(event.text):
            # «👍» alone: nothing the officer could read (helper 233: kept as the note)
            return Retry(_("I received no words in this message, so nothing was added."))
        if sum(len(t) for t in texts) + len(event.text) > max_chars:
            return Retry(too_long % {"max": max_chars})
        texts.append(event.text)
        return Stay((not_sent,))
    if not isinstance(event, Media):
        return None
    refused = check_attachment(
        event.kind, event.mime, event.size, len(files), problem=event.problem
    )
    if refused == "unreadable":
        # a damaged file is not one of the wrong type or size (found by the tester)
        return Retry(file_refusal(ctx, refused))
    if event.checksum and any(f.get("checksum") == event.checksum for f in files):
        # the same bytes again (a photo sent twice): kept once, as in a request
        return Stay((sent_before(ctx, event.kind == "photo"),))
    if refused is not None or (max_files is not None and len(files) >= max_files):
        return Retry(
            _("This file can't be accepted. Please send a photo or a PDF file under 10 MB.")
        )
    files.append(file_fields(event))
    file_kept(ctx.state)
    caption = (event.caption or "").strip()
    if caption_is_text and caption and sum(len(t) for t in texts) + len(caption) <= max_chars:
        texts.append(caption)
    if event.album_id is not None and event.album_id in ctx.state.albums:
        return Stay(())
    if event.album_id is not None:
        ctx.state.albums = [*ctx.state.albums[-(ALBUMS_KEPT - 1) :], event.album_id]
    return Stay((not_sent,))


async def gather_then_send(
    ctx: Ctx,
    event: Event,
    send: Callable[[str, tuple[AttachmentInfo, ...]], Awaitable[Outcome]],
    *,
    max_chars: int,
    too_long: str,
    not_sent: str,
    nothing_yet: str,
    keep_going: str,
    max_files: int | None = None,
    caption_is_text: bool = False,
) -> Outcome:
    """A whole gathering step: each message joins the gathering (:func:`gather`, with its
    ``max_chars``, ``too_long``, ``not_sent``, ``max_files`` and ``caption_is_text``);
    «send» with nothing gathered is refused with ``nothing_yet``, with something it is
    ``send`` (the words joined by new lines, the files) that answers; anything else
    (another button) gets ``keep_going``."""
    taken = gather(
        ctx,
        event,
        max_chars=max_chars,
        too_long=too_long,
        not_sent=not_sent,
        max_files=max_files,
        caption_is_text=caption_is_text,
    )
    if taken is not None:
        return taken
    texts, files = gathered(ctx)
    if not is_send(event):
        return Retry(keep_going)
    if not texts and not files:
        return Retry(nothing_yet)
    return await send("\n".join(texts), attachments(files))
