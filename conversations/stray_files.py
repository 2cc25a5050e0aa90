"""What a person is told about a photo or file sent where nothing takes one: at a step that
asks for a number or a choice, after a request was filed. Found by the fresh-clone tester:
such a photo was dropped without a word (the step's own hint, «اختر أحد الخيارين», or the
first question again). One sent before a service is chosen is kept for the request
(conversations.flows.early_files).

The photo is not kept: a channel downloads a file only when the dialogue would use it
(:meth:`conversations.engine.Engine.wants_files`), so nothing of it was stored, and keeping
personal documents in a draft that may never become a request is what the design avoids.
The person is told that, and where such a file is taken. An album gets one word, not one
per photo. A photo sent right after a request to reconsider is not stray: it joins that
request (:meth:`conversations.reconsider_parts.ReconsiderParts._to_reconsideration`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from conversations.events import Event, Media, Unsupported
from conversations.flow import Ctx, Retry
from conversations.reading import START_STEPS, unusable

#: How long after a request to reconsider a photo is taken to be meant for it.
RECONSIDERED_RECENTLY = dt.timedelta(hours=1)
#: The intake's steps where no service is chosen yet.
_BEFORE_SERVICE = (*START_STEPS, "applicant", "group", "service", "suggest", "refused")
#: What the note is kept under in ``DialogueState.albums`` (an album's photos get one note).
_ALBUM_TAG = "stray"
#: The kinds of file a step may take (voice, video and stickers have their own answers,
#: conversations.reading.unusable).
FILE_KINDS = ("photo", "document")


def mark_reconsidered(ctx: Ctx, number: str, albums: Sequence[str] = ()) -> None:
    """Remembers that a request to reconsider ``number`` was just sent, with the albums
    whose photos went with it, so that a photo sent right after it (the rest of such an
    album, or one more photo) joins it (the state keeps it past the say flow)."""
    ours = [a for a in albums if ":" not in a]  # not the tags of files told about
    ctx.state.reconsidered = [number, ctx.now.isoformat(), *ours]


def recent_reconsideration(ctx: Ctx) -> tuple[str, list[str]] | None:
    """The request a reconsideration was asked for within :data:`RECONSIDERED_RECENTLY`,
    with the albums sent with it; None when there is none."""
    marked = ctx.state.reconsidered
    if not marked or len(marked) < 2:
        return None
    number, at, *albums = marked
    try:
        when = dt.datetime.fromisoformat(at)
    except ValueError:
        return None
    return (number, albums) if ctx.now - when < RECONSIDERED_RECENTLY else None


def unheard(ctx: Ctx, event: Event) -> str | None:
    """The polite word for a voice note, an audio, a video (a round one too), a sticker or
    a location, which no step takes; None for anything else (a photo or file has its own
    note, :func:`file_note`). Said wherever the person is, also before the first question
    and after filing (found by the fresh-clone tester: a voice note there got only the
    first menu, with no word of it)."""
    if (isinstance(event, Media) and event.kind not in FILE_KINDS) or isinstance(
        event, Unsupported
    ):
        return unusable(ctx, event)
    return None


def first_of_album(ctx: Ctx, event: Media) -> bool:
    """True for a lone file and for the first of an album here (then remembered): the rest
    of an album already told needs no answer of its own."""
    if event.album_id is None:
        return True
    key = f"{event.album_id}:{_ALBUM_TAG}"
    if key in ctx.state.albums:
        return False
    ctx.state.albums = [*ctx.state.albums[-19:], key]
    return True


def file_note(ctx: Ctx, event: Media) -> str:
    """What became of ``event``, a photo or a file (:data:`FILE_KINDS`) nothing takes
    here, and where to send it, by where the person is."""
    photo = event.kind == "photo"
    _ = ctx.texts.gettext
    state = ctx.state
    if state.flow != "intake":
        if photo:
            return _("Your photo arrived, but this step does not take files, so it was not kept.")
        return _("Your file arrived, but this step does not take files, so it was not kept.")
    if state.step == "done":
        if photo:
            return _(
                "Your photo arrived, but it was not added to any request, so it was not kept. To add it to a request still open, type «Add a note to my request». For a new request, choose the service first and send it when we ask for documents."
            )
        return _(
            "Your file arrived, but it was not added to any request, so it was not kept. To add it to a request still open, type «Add a note to my request». For a new request, choose the service first and send it when we ask for documents."
        )
    if state.step in _BEFORE_SERVICE or not state.answers.get("service"):
        if photo:
            return _(
                "Your photo arrived, but it was not kept: no service has been chosen yet. Choose the service first, then send the photo when we ask for documents."
            )
        return _(
            "Your file arrived, but it was not kept: no service has been chosen yet. Choose the service first, then send the file when we ask for documents."
        )
    if state.step == "summary" or state.editing:
        if photo:
            return _(
                "Your photo arrived, but it was not kept: this step does not take files. To change the documents of your request, choose «Send the documents again» in the summary."
            )
        return _(
            "Your file arrived, but it was not kept: this step does not take files. To change the documents of your request, choose «Send the documents again» in the summary."
        )
    if photo:
        return _(
            "Your photo arrived, but it was not kept: this step does not take files. Send it when we ask for documents, after you describe your request."
        )
    return _(
        "Your file arrived, but it was not kept: this step does not take files. Send it when we ask for documents, after you describe your request."
    )


def with_file_note(ctx: Ctx, event: Media, outcome: Retry) -> Retry | None:
    """The step's ``outcome`` for a photo or file it cannot take, led by what became of the
    file; None when the rest of an album already told needs no answer at all."""
    if event.kind not in FILE_KINDS:
        return outcome
    if not first_of_album(ctx, event):
        return None
    return Retry(f"{file_note(ctx, event)}\n{outcome.hint}")
