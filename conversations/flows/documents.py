"""The request's documents step: photos and PDF files of the documents the service
lists, words that complete the description, and «Done»."""

from __future__ import annotations

from conversations.events import Choice, Event, Media, Option, Text
from conversations.flow import Ctx, Next, Outcome, Prompt, Retry, Stay
from conversations.flows.describe import WITHOUT, add_words
from conversations.flows.draft_files import album_once, file_refusal, files, take_file
from conversations.flows.intake_service import service_of
from conversations.store_outage import file_kept, go_without, missing_files, missing_line
from domain.catalogue import local


def ask_attachments(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    service = service_of(ctx)
    # a photo of theirs that met Redis away comes first (conversations.store_outage)
    lines = [missing_line(ctx)] if missing_files(ctx.state) else []
    lines.append(_("Now send photos or PDF files of the documents:"))
    lines += [f"• {local(doc, ctx.locale)}" for doc in service.documents]
    lines.append(_("You can send several at once. Press «Done» when you have finished."))
    lines.append(_("To add something to your description, just write it."))
    choices = [Option("done", _("Done"))]
    if missing_files(ctx.state):
        choices.append(Option(WITHOUT, _("Go on without it")))
    if service.min_attachments == 0 and not files(ctx):
        lines.append(_("If you have no documents for this request, press «Skip»."))
        choices.append(Option("skip", _("Skip")))
    return Prompt("\n".join(lines), tuple(choices))


async def answer_attachments(ctx: Ctx, event: Event) -> Outcome:
    _ = ctx.texts.gettext
    ngettext = ctx.texts.ngettext
    kept = files(ctx)
    service = service_of(ctx)
    if isinstance(event, Media):
        reason = take_file(ctx, event)
        if reason is not None:
            say = file_refusal(ctx, reason)
            return Stay((say,) if album_once(ctx, event.album_id, reason) else ())
        file_kept(ctx.state)
        if not album_once(ctx, event.album_id, "ok"):
            return Stay(())
        if event.album_id is not None:
            return Stay(
                (_("Received your files. Send more, or press «Done» when you have finished."),)
            )
        return Stay(
            (
                ngettext(
                    "Received %(count)d file. Send more, or press «Done» when you have finished.",
                    "Received %(count)d files. Send more, or press «Done» when you have finished.",
                    len(kept),
                )
                % {"count": len(kept)},
            )
        )
    if isinstance(event, Text):
        return add_words(ctx, event.text)
    if isinstance(event, Choice) and event.id == WITHOUT:
        go_without(ctx.state)
        return Next("summary")
    if isinstance(event, Choice) and event.id in ("done", "skip") and missing_files(ctx.state):
        # a photo of theirs met Redis away (conversations.store_outage): not filed
        # without it unless they say so
        return Retry(missing_line(ctx))
    if isinstance(event, Choice) and event.id == "done":
        if len(kept) < service.min_attachments:
            return Retry(
                ngettext(
                    "Please send at least %(count)d document before continuing.",
                    "Please send at least %(count)d documents before continuing.",
                    service.min_attachments,
                )
                % {"count": service.min_attachments}
            )
        return Next("summary")
    if isinstance(event, Choice) and event.id == "skip" and service.min_attachments == 0:
        return Next("summary")
    return Retry(_("Please send the documents as photos or files, or press «Done»."))
