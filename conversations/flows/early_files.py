"""A photo or file sent before the request asks for documents (the very first message, at
the first questions, or once the service is chosen at its questions, the numbers and the
phone): kept in the draft for the request the person then files, and counted among the
documents asked for.

Found by the fresh-clone tester: a photo sent as the first message was answered «وصلت
الصورة، لكننا لم نحتفظ بها» (f741718 read its caption, the photo was still dropped). People
often start with the photo of their iqama or passport; and (found by the tester again) one
sent at the identity number's step, the service chosen, was still dropped with «أرسلها
عندما نطلب منك المستندات، بعد وصف طلبك». The file is kept where every other
file of a draft is (conversations.flows.draft_files: the draft in the dialogue store,
Redis, shared by every worker; the bytes in the media store), so it is filed with the
request, and if the person never files, it goes with the draft (its TTL; the media sweep
removes bytes no request refers to). The channels download a file at these steps since
:meth:`conversations.engine.Engine.wants_files` says so (:func:`takes_early`).
"""

from __future__ import annotations

from conversations.events import Media
from conversations.flow import Ctx
from conversations.flows.draft_files import (
    album_once,
    answer_counted,
    file_refusal,
    files,
    past_the_limit,
    take_file,
)
from conversations.flows.file_counts import album_kept_early, counted
from conversations.flows.file_repeats import sent_before
from conversations.state import DialogueState
from conversations.store_outage import file_kept

#: The intake's steps before the description where a file is kept for the request: no
#: service chosen yet ("": before the first question), then the service's questions, the
#: numbers and the phone (the description and the documents take files themselves).
EARLY_STEPS = (
    "",
    "applicant",
    "group",
    "service",
    "suggest",
    "refused",
    "question",
    "establishment",
    "identity",
    "phone",
)
#: The kinds of file a draft keeps (voice, video and stickers have their own answers).
_KINDS = ("photo", "document")
#: What an album kept early is remembered under (one word for all its photos).
_ALBUM_TAG = "kept-early"


def takes_early(state: DialogueState, flow: str = "intake") -> bool:
    """Whether a photo or file from the person would be kept now: they are in the request
    dialogue (``flow``, its name) before the description (:data:`EARLY_STEPS`), not
    changing an answer from the summary."""
    return state.flow == flow and state.step in EARLY_STEPS and not state.editing


def keep_early(ctx: Ctx, event: Media) -> str | None:
    """Keeps ``event`` in the draft; what to tell the person: that it is kept for the
    request and counts among its documents, or why it could not be kept (a damaged file,
    one too large...). "" for the rest of an album already told. None when ``event`` is not
    a photo or a file a draft keeps (the caller answers as before)."""
    if event.kind not in _KINDS:
        return None
    _ = ctx.texts.gettext
    reason = take_file(ctx, event)
    if reason is None:
        # every file kept, an album's second and later ones too (answered or not): one
        # file lost in a store outage the less (found in session 11: a Telegram album's
        # later files, kept silently, left the lost-file count as it was)
        file_kept(ctx.state)
    if counted(event):
        # a WhatsApp album: one answer after its last file, with what was kept
        return "\n".join(answer_counted(ctx, event, reason, early=True))
    if not album_once(ctx, event.album_id, _ALBUM_TAG):
        return ""
    if reason == "duplicate":
        return sent_before(ctx, event.kind == "photo", "request")
    if reason is not None:
        return file_refusal(ctx, reason, early=True)
    over = past_the_limit(ctx, event)
    if over is not None:
        return over
    return album_kept_early(ctx, event)


def kept_so_far(ctx: Ctx) -> str | None:
    """The documents step's line for files the draft already holds (sent before a service
    was chosen, or with the description): they count among the documents asked for. None
    when there are none."""
    count = len(files(ctx))
    if not count:
        return None
    return ctx.texts.ngettext(
        "You have already sent %(count)d file for this request; it counts among the documents.",
        "You have already sent %(count)d files for this request; they count among the documents.",
        count,
    ) % {"count": count}
