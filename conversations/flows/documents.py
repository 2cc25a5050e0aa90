"""The request's documents step: photos and PDF files of the documents the service
lists, words that complete the description, and «Done»."""

from __future__ import annotations

from conversations.events import Choice, Event, Media, Option, Text
from conversations.flow import Ctx, Next, Outcome, Prompt, Retry, Stay
from conversations.flows.change_wishes import change_at_documents
from conversations.flows.describe import WITHOUT
from conversations.flows.description_text import (
    MAX_DESCRIPTION,
    end_words,
    mark_overflow,
    paste_rest,
    rest_not_added,
)
from conversations.flows.draft_files import (
    album_once,
    answer_counted,
    file_refusal,
    files,
    past_the_limit,
    take_file,
)
from conversations.flows.early_files import kept_so_far
from conversations.flows.file_counts import album_received, counted
from conversations.flows.files_again import restore
from conversations.flows.intake_service import service_of
from conversations.flows.no_documents import says_no_documents, without_documents
from conversations.formatting import isolate
from conversations.keywords import (
    is_acknowledgement,
    is_already_sent,
    is_documents_chatter,
    is_nothing_more,
    is_send_word,
)
from conversations.knowledge import explicit_question
from conversations.store_outage import file_kept, go_without, missing_files, missing_line
from conversations.understanding import says_only
from domain.catalogue import LocalText, local
from domain.description import (
    has_words,
    is_placeholder,
    repeats_few_letters,
    repeats_one_word,
)
from domain.documents_check import every_file_named, unaccounted_documents
from domain.text_cut import cut_text

#: The summary's choice that goes back to the documents, keeping those sent, when a
#: required document seems missing.
ADD_DOCUMENT = "e:more"
#: The person said files are coming («الحين ارسل الباقي», «لحظة»), in the dialogue
#: state until their next message: a nod then is asked about, not taken for «Done».
MORE_COMING = "more_coming"


def ask_attachments(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    service = service_of(ctx)
    # a photo of theirs that met Redis away comes first (conversations.store_outage)
    lines = [missing_line(ctx)] if missing_files(ctx.state) else []
    # files sent before (as the first message, with the description) count (early_files)
    lines += filter(None, [kept_so_far(ctx)])
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
        ctx.state.answers.pop(MORE_COMING, None)
        reason = take_file(ctx, event)
        if counted(event):
            # a WhatsApp album: one answer after its last file, with what was kept
            if reason is None:
                file_kept(ctx.state)
            return Stay(answer_counted(ctx, event, reason, early=False))
        if reason is not None:
            say = file_refusal(ctx, reason, photo=event.kind == "photo")
            return Stay((say,) if album_once(ctx, event.album_id, reason) else ())
        file_kept(ctx.state)
        if not album_once(ctx, event.album_id, "ok"):
            return Stay(())
        over = past_the_limit(ctx, event)
        if over is not None:
            go_on = _("Press «Done» to continue.")
            return Stay((f"{over}\n{go_on}",))
        # alone or an album, in the same words on every channel (file_counts)
        return Stay((album_received(ctx, event),))
    nod = (
        isinstance(event, Text) and is_acknowledgement(event.text) and not is_send_word(event.text)
    )
    more_coming = ctx.state.answers.pop(MORE_COMING, False)
    if isinstance(event, Text) and nod and not kept and service.min_attachments > 0:
        # «ok» with no file yet is a nod, not «Done» (tester 14 §12, WhatsApp)
        return Retry(_("Alright. Send the documents when they are ready, then press «Done»."))
    if isinstance(event, Text) and nod and more_coming:
        # «تمام» right after «الحين ارسل الباقي»: the rest was promised, so asked, not
        # closed (tester 14 §8: the next nod filed the request without it)
        return Retry(
            _(
                "Have you sent all the documents? You said more were coming: please send them, or press «Done» if you have finished."
            )
        )
    skip = isinstance(event, Text) and says_only(event.text, "skip")
    if (
        isinstance(event, Text)
        and len(kept) < service.min_attachments
        and (says_no_documents(event.text) or is_nothing_more(event.text) or skip)
    ):
        # («تخطي» where documents are needed: it was added to the description)
        # «ما عندي مستندات», «لا يوجد»: what they can do, not words of the description
        return Retry(without_documents(ctx, service.min_attachments))
    if isinstance(event, Text) and (says_no_documents(event.text) or skip):
        # nothing (more) to send: «Skip» when none is needed, else «Done» with what was sent
        event = Choice(event.origin, "skip" if not kept else "done")
    elif isinstance(event, Text) and is_already_sent(event.text) and not kept:
        # «ارسلتها فوق خلاص» with no file here: they did not arrive (helper 233)
        return Retry(
            _(
                "No file has reached me in this request yet. Please send the documents here as photos or PDF files, then press «Done»."
            )
        )
    elif isinstance(event, Text) and (is_send_word(event.text) or is_nothing_more(event.text)):
        # «تم», «confirm», «تأكيد» typed: the command they are, not words of the description;
        # «ما تغير شي، تمام», «nothing changed, ok»: nothing more to add, so done as well
        # (with too few files, «Done» says what is still needed)
        event = Choice(event.origin, "done")
    elif isinstance(event, Text) and event.text.strip().isdigit():
        # a bare number says nothing the officer could use (the tester's «5» after «Done»)
        return Retry(_bare_number(ctx, len(kept), service.min_attachments))
    elif isinstance(event, Text) and is_documents_chatter(event.text):
        # «لحظة», «هذي صور جوازه»: a word back, nothing added to the description the
        # officer reads (tester 13 §15); a nod next is asked about (MORE_COMING)
        ctx.state.answers[MORE_COMING] = True
        return Retry(_("Alright. Send the documents when they are ready, then press «Done»."))
    elif isinstance(event, Text):
        return change_at_documents(ctx, event.text) or add_words(ctx, event.text)
    if isinstance(event, Choice) and event.id == WITHOUT:
        go_without(ctx.state)
        return Next("summary")
    if isinstance(event, Choice) and event.id in ("done", "skip") and missing_files(ctx.state):
        # a photo of theirs met Redis away (conversations.store_outage): not filed
        # without it unless they say so
        return Retry(missing_line(ctx))
    ending = isinstance(event, Choice) and event.id in ("done", "skip")
    restored = restore(ctx) if ending else None
    if restored is not None and not kept:
        # «تم» after «إعادة إرسال المستندات» with nothing new: the files sent before
        return Next("summary", (restored,))
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
        # a required document that seems missing is named above the summary, which
        # offers to add it; sending without it stays the person's choice
        unaccounted = unaccounted_required(ctx)
        return Next("summary", (missing_documents(ctx, unaccounted),) if unaccounted else ())
    if isinstance(event, Choice) and event.id == "skip" and service.min_attachments == 0:
        return Next("summary")
    return Retry(_("Please send the documents as photos or files, or press «Done»."))


def _bare_number(ctx: Ctx, sent: int, least: int) -> str:
    """A number typed alone at the documents step: not added, and what is expected."""
    _ = ctx.texts.gettext
    lines = [_("A number alone is not added to your description.")]
    if sent < least:
        lines.append(
            ctx.texts.ngettext(
                "Please send at least %(count)d document before continuing.",
                "Please send at least %(count)d documents before continuing.",
                least,
            )
            % {"count": least}
        )
    else:
        lines.append(_("Please send the documents as photos or files, or press «Done»."))
    return "\n".join(lines)


def unaccounted_required(ctx: Ctx) -> tuple[LocalText, ...]:
    """The service's required documents the draft's files may lack
    (:func:`domain.documents_check.unaccounted_documents`, by the captions written with
    them). File names are not read: a phone's are made up («IMG_2034.jpg»), a photo sent
    on Telegram has none, and the same file must count the same on every channel."""
    kept = files(ctx)
    said = [str(f["caption"]) for f in kept if f.get("caption")]
    generic = ctx.catalogue.document_generic_words
    return unaccounted_documents(service_of(ctx), said, len(kept), generic)


def add_document_option(ctx: Ctx) -> Option:
    """The summary's «Add a document» (:data:`ADD_DOCUMENT`)."""
    return Option(ADD_DOCUMENT, ctx.texts.gettext("Add a document"))


def missing_documents(ctx: Ctx, unaccounted: tuple[LocalText, ...]) -> str:
    """«Done» with fewer files than the service requires documents (found by the fresh-
    clone tester: nothing was said), and the two ways on (add one from the summary, or
    send without it). Only when every file's caption names a document
    (:func:`domain.documents_check.every_file_named`) are the documents no caption names
    said to be missing; else the counts are said and the documents to check listed, since
    a photo without a caption may be any of them (the tester's uncaptioned photos were
    told that every required document may be missing)."""
    _ = ctx.texts.gettext
    ngettext = ctx.texts.ngettext
    add = add_document_option(ctx).label
    kept = files(ctx)
    captions = [str(f["caption"]) if f.get("caption") else None for f in kept]
    service = service_of(ctx)
    if not every_file_named(service, captions, ctx.catalogue.document_generic_words):
        required = len(service.required_documents)
        documents = ngettext("%(count)d document", "%(count)d documents", required) % {
            "count": required
        }
        lines = [
            ngettext(
                "You have sent %(count)d file, and this service requires %(documents)s.",
                "You have sent %(count)d files, and this service requires %(documents)s.",
                len(kept),
            )
            % {"count": len(kept), "documents": documents},
            _("Please check that what you sent includes:"),
        ]
        lines += [f"• {local(doc, ctx.locale)}" for doc in unaccounted]
        lines.append(
            _(
                "One file may hold more than one document. If one is missing, press «%(add)s» below; or send the request as it is."
            )
            % {"add": add}
        )
        return "\n".join(lines)
    if len(unaccounted) == 1:
        return _(
            "This service requires «%(document)s», and I can't tell that it is among the files you sent. If you have it, press «%(add)s» below; or send the request without it."
        ) % {"document": local(unaccounted[0], ctx.locale), "add": add}
    lines = [
        ngettext(
            "You have sent %(count)d file, fewer than the documents this service requires. These may be missing:",
            "You have sent %(count)d files, fewer than the documents this service requires. These may be missing:",
            len(kept),
        )
        % {"count": len(kept)}
    ]
    lines += [f"• {local(doc, ctx.locale)}" for doc in unaccounted]
    lines.append(
        _("If you have them, press «%(add)s» below; or send the request without them.")
        % {"add": add}
    )
    return "\n".join(lines)


def add_words(ctx: Ctx, text: str) -> Outcome:
    """More words at the documents step: they complete the description."""
    _ = ctx.texts.gettext
    answers = ctx.state.answers
    if paste_rest(ctx, text):
        # answered: a message sent right after a long paste got no reply (fresh14 #2)
        return Stay((rest_not_added(ctx),))
    if not has_words(text):
        # a line of tatweel, emoji or invisible marks only: not «added to your
        # description» (found by the fresh-clone tester)
        return Retry(
            _(
                "I received no words in this message, so nothing was added to your description. Send the documents, or press «Done» when you have finished."
            )
        )
    if repeats_few_letters(text):
        return Retry(
            _(
                "This does not read as words for your description: it is the same letters repeated, so nothing was added. Send the documents, or press «Done» when you have finished."
            )
        )
    if is_placeholder(text):
        return Retry(
            _(
                "«%(typed)s» does not tell the officer anything about your request, so nothing was added to your description. Send the documents, or press «Done» when you have finished."
            )
            % {"typed": isolate(text.strip())}
        )
    if repeats_one_word(text):
        return Retry(
            _(
                "This is one word repeated, so nothing was added to your description. Send the documents, or press «Done» when you have finished."
            )
        )
    before = str(answers.get("description", ""))
    whole = "\n".join([before, text])
    if len(whole.strip()) > MAX_DESCRIPTION:
        mark_overflow(ctx, text)
        kept = cut_text(whole.strip(), MAX_DESCRIPTION)
        if len(kept) <= len(before.strip()):
            # not a word of this message fits
            return Retry(_too_long(ctx))
        answers["description"] = kept
        return Stay(
            (
                ctx.texts.ngettext(
                    "Your description can hold at most %(max)d character, so only the start of this message was added, up to «%(end)s»; the rest is not in your request. Send the documents, or press «Done» when you have finished.",
                    "Your description can hold at most %(max)d characters, so only the start of this message was added, up to «%(end)s»; the rest is not in your request. Send the documents, or press «Done» when you have finished.",
                    MAX_DESCRIPTION,
                )
                % {"max": MAX_DESCRIPTION, "end": end_words(kept)},
            )
        )
    answers["description"] = whole
    if explicit_question(text):
        # «من وين اجيب ايصال السداد؟»: no source answers it here (the base was asked
        # first), so it goes to the officer, and the person is told it will be answered
        # (helper 233: «أُضيف إلى وصفك» read as the question ignored)
        return Stay(
            (
                _(
                    "I have no answer to this question in my sources, so I added it to your request's description: the officer who handles your request will answer it. Send the documents, or press «Done» when you have finished."
                ),
            )
        )
    return Stay(
        (
            _(
                "Added to your description. Send the documents, or press «Done» when you have finished."
            ),
        )
    )


def _too_long(ctx: Ctx) -> str:
    return ctx.texts.gettext(
        "With this message your description would be longer than %(max)d characters, so it was not added. Please send a shorter text."
    ) % {"max": MAX_DESCRIPTION}
