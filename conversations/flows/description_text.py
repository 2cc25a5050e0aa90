"""The words of a description as they come, message by message: what is kept of it in
the dialogue state (Redis, so any worker takes the next part), the parts kept until the
whole is long enough, the limit and the start kept of a longer text, and the tail of a
paste already answered. The description step (conversations.flows.describe) and the
documents step (conversations.flows.documents, words that complete it) both add words
here.

A text that opens an afterthought («نسيت اقول…», conversations/data/description_words.json)
is added after a description saved, even one cut to the limit (its kept start cut shorter
to make room, and said); any other new text takes its place, and after a cut that is said
too (fresh-clone tester 14, fault 3).

People do not answer in one tidy message. A description comes in two messages a moment
apart, or as a paste longer than a chat message that the app splits in several. So:

- every text at the description step is part of one description until it is long enough
  to go on; after that, texts at the documents step are added to it (the documents
  question says so), and the length limit applies to the whole;
- a paste that makes the whole too long is answered once in full; where the person's app
  splits a long paste (``Origin.splits_texts_at``: Telegram, never the terminal) the parts
  that follow it within :data:`PASTE_WINDOW_S` are its rest, each answered in a line, and
  the last one is kept (:data:`REST`) so that «Add it to my description» can still add it
  if it was a message of its own (fresh-clone tester 14, fault 2: such a message got no
  reply and its words were lost).
"""

from __future__ import annotations

import datetime as dt

from conversations.flow import Ctx, Next, Outcome, Retry, Stay
from conversations.flows.description_words import opens_addition
from conversations.formatting import isolate
from conversations.keywords import is_acknowledgement, is_done_word
from conversations.understanding import says_only
from domain.description import (
    MIN_DESCRIPTION,
    has_words,
    is_placeholder,
    repeats_few_letters,
    repeats_one_word,
    telling_length,
)
from domain.normalize import clean_input
from domain.text_cut import cut_text

#: The most a description holds. The database column (Text) takes any length; the limit
#: is for the officer: the staff card and summary show a description whole up to about
#: this length within Telegram's 4096-character message (bot/staff/views.py cuts at
#: 1500, the card at 600 only when a card would not fit), and so does the person's own
#: summary before sending.
MAX_DESCRIPTION = 1000
#: How many of its last words show where a kept start of a description ends.
_END_WORDS = 6
#: The parts of one paste that a chat app split arrive within a second or two of each
#: other; nobody writes a new description that fast after being told theirs is too long.
PASTE_WINDOW_S = 5.0
#: A chat app that splits a long paste (``Origin.splits_texts_at``: Telegram's apps, at
#: 4096) cuts it at a space or line break before its limit: a part this much shorter than
#: the limit is still a full one, so more may follow. A shorter message cannot be the head
#: of a split paste, so the text after it is a message of its own (found by the
#: fresh-clone tester: a second 1,680-character text got no reply at all).
SPLIT_SLACK = 96

#: The start of a description, too short to go on yet (a list of the texts so far).
DRAFT = "description_draft"
#: When a paste was last answered as too long (:func:`paste_rest`).
OVERFLOW = "description_overflow_at"
#: Set while the description is the kept start of a longer one (until it is replaced).
CUT = "description_cut"
#: Words typed before the description step (a sentence at a number step), kept in the
#: dialogue state and offered when the step comes, so they need not be typed again.
PENDING = "description_pending"
#: The words set aside by a change of service (conversations.flows.description_early.
#: set_aside): while they are the pending words, the step says where they come from.
ASIDE = "description_set_aside"
#: The last part of a split paste (:func:`paste_rest`), kept until the next answer so
#: «Add it to my description» (:data:`conversations.flows.describe.ADD_REST`) can add it:
#: a message of its own sent within seconds of a long paste is not lost.
REST = "description_paste_rest"
#: A whole-message question typed at the description step, set aside until the person
#: says whether it belongs in the description (conversations.flows.describe).
QUESTION = "description_question"


def says_done(text: str) -> bool:
    """A message that only says the person has finished («تم», «خلاص تم», «تم شكرا»):
    never words of the description."""
    return says_only(text, "done") or is_done_word(text)


def describe(ctx: Ctx, text: str) -> Outcome:
    """Adds ``text`` to the description being written; goes on once it is long enough."""
    _ = ctx.texts.gettext
    answers = ctx.state.answers
    if paste_rest(ctx, text, keep=True):
        return Stay((rest_received(ctx),))
    earlier: list[str] = list(answers.get(DRAFT, []))
    if (
        answers.get("description")
        and not earlier
        and len(text.strip()) < MAX_DESCRIPTION
        and has_words(text)
        and opens_addition(text)
    ):
        # an afterthought («نسيت اقول ان…») is added after what was saved, not put in its
        # place (fresh-clone tester 14, fault 3: it silently replaced a kept description)
        return add_at_end(ctx, text)
    if repeats_few_letters(text):
        # nothing of it is kept, what was written before stays (helper 23's probe: 5000
        # «ا» were kept, cut to 1000, as the description)
        return Retry(
            _(
                "This does not read as a description: it is the same letters repeated. Please describe your request in words: what you need, and what went wrong if there was a problem."
            )
        )
    if is_placeholder(text):
        # session 25's probe: «abc» was kept as the start of the description
        return Retry(
            _(
                "«%(typed)s» does not tell the officer what your request is about, so I have not kept it. Please describe your request in words: what you need, and what went wrong if there was a problem."
            )
            % {"typed": isolate(text.strip())}
        )
    if repeats_one_word(text):
        # helper 24's probe: «ساعدوني» typed 80 times was filed as the description
        return Retry(
            _(
                "This is one word repeated, and it does not tell the officer what your request is about. Please describe it in a sentence or two: what you need, and what went wrong if there was a problem."
            )
        )
    whole = "\n".join([*earlier, text])
    if len(whole.strip()) > MAX_DESCRIPTION:
        # the start is kept and shown, with where it ends; found by the fresh-clone
        # tester: a long description was refused whole, to be shortened on a phone
        mark_overflow(ctx, text)
        answers.pop(DRAFT, None)
        answers.pop(PENDING, None)
        answers["description"] = cut_text(whole.strip(), MAX_DESCRIPTION)
        answers[CUT] = True
        return Next("description", (kept_start(ctx),))
    answers.pop(OVERFLOW, None)
    cut = answers.pop(CUT, False)
    short = telling_length(whole) < MIN_DESCRIPTION
    if short and cut and answers.get("description"):
        if not clean_input(text):
            # Enter alone (spaces, invisible marks) is no answer: the question again, the
            # kept start and «Keep my description» with it (fresh-clone tester 16 §8: it
            # kept the start and moved on to the documents)
            answers[CUT] = True
            return Next("description")
        if not has_words(text):
            # the minimum counts what is kept: «🙏» after a cut description is not asked
            # to be longer (found by the fresh-clone tester)
            return after_cut(ctx, text)
        # words: a new text replaces the kept start, as the step's prompt says (found
        # by the fresh-clone tester: «اقامتي خلصت» was refused as an addition); kept
        # until it is long enough, the kept start standing until then
        answers[CUT] = True
        answers[DRAFT] = [*earlier, text]
        return Retry(replacing(ctx))
    if not has_words(text):
        # spaces, invisible marks, emoji or tatweel only: nothing to keep, and «I have
        # kept what you wrote» would not be true (found by the fresh-clone tester)
        return Retry(no_words(ctx, kept=bool(earlier)))
    if short and not earlier and not answers.get("description") and is_acknowledgement(text):
        # «ok» before the real text is a nod to the question, not the description's first
        # line (fresh-clone tester 15 §11: «الوصف: ok / الوالده تبي تمدد…» on the card)
        return Retry(
            _(
                "Noted. Please describe your request in words: what you need, and what went wrong if there was a problem."
            )
        )
    if short:
        # kept: the next message adds to it, so nothing typed so far has to be typed again
        answers[DRAFT] = [*earlier, text]
        return Retry(too_short(ctx))
    answers.pop(DRAFT, None)
    answers.pop(PENDING, None)
    # kept exactly as typed: the officer reads the person's own words
    answers["description"] = whole
    # in place of the start kept of a long one: said (fresh-clone tester 14, fault 3)
    said = (_("Your new text has replaced the part kept of your long message."),) if cut else ()
    return Next("summary" if ctx.state.editing else "attachments", said)


def after_cut(ctx: Ctx, text: str) -> Outcome:
    """A short message after a description was cut to the limit: added when it fits, and
    the kept description goes on either way."""
    _ = ctx.texts.gettext
    answers = ctx.state.answers
    answers.pop(DRAFT, None)
    answers.pop(PENDING, None)
    joined = f"{answers['description']}\n{text}"
    said: tuple[str, ...] = ()
    if len(joined.strip()) <= MAX_DESCRIPTION:
        answers["description"] = joined
    else:
        said = (
            _(
                "Your description is already as long as a request takes, so this message was not added; the start kept above stands."
            ),
        )
    return Next("summary" if ctx.state.editing else "attachments", said)


def replacing(ctx: Ctx) -> str:
    """The answer to a short new text after a description was cut: it will replace the
    kept start once it says enough, or «Keep my description» goes on with the start."""
    return ctx.texts.ngettext(
        "Your new text will replace the description kept above. Please add some detail in another message (at least %(min)d letter or digit in all), or press «Keep my description» to go on with the kept one.",
        "Your new text will replace the description kept above. Please add some detail in another message (at least %(min)d letters or digits in all), or press «Keep my description» to go on with the kept one.",
        MIN_DESCRIPTION,
    ) % {"min": MIN_DESCRIPTION}


def too_short(ctx: Ctx) -> str:
    """The answer to words kept but still too short to go on (domain.description's
    MIN_DESCRIPTION)."""
    return ctx.texts.ngettext(
        "I have kept what you wrote. Please add some detail in another message (at least %(min)d letter or digit in all) so the officer understands your request.",
        "I have kept what you wrote. Please add some detail in another message (at least %(min)d letters or digits in all) so the officer understands your request.",
        MIN_DESCRIPTION,
    ) % {"min": MIN_DESCRIPTION}


def no_words(ctx: Ctx, *, kept: bool) -> str:
    """A message with no letter or digit at the description step (spaces, invisible
    marks, emoji, tatweel): nothing of it is kept; words kept before it still are."""
    _ = ctx.texts.gettext
    if kept:
        return ctx.texts.ngettext(
            "I received no words in this message. What you wrote before is kept; please add some detail (at least %(min)d letter or digit in all) so the officer understands your request.",
            "I received no words in this message. What you wrote before is kept; please add some detail (at least %(min)d letters or digits in all) so the officer understands your request.",
            MIN_DESCRIPTION,
        ) % {"min": MIN_DESCRIPTION}
    return _(
        "I received no words in this message. Please describe your request in words: what you need, and what went wrong if there was a problem."
    )


def end_words(text: str) -> str:
    """The last words of ``text``, to show where a kept start ends."""
    return isolate(" ".join(text.split()[-_END_WORDS:]))


def kept_start(ctx: Ctx) -> str:
    """What was kept of a description longer than a request takes: its start, as long as
    the limit allows (:func:`domain.text_cut.cut_text`), and where it ends. The step then
    shows it with «Keep my description», so the person may go on with it or send a
    shorter text instead."""
    kept = str(ctx.state.answers["description"])
    return ctx.texts.ngettext(
        "Your description is longer than %(max)d characters, the most a request can take. I have kept its start (%(count)d character), up to «%(end)s»; the rest is not in your request.",
        "Your description is longer than %(max)d characters, the most a request can take. I have kept its start (%(count)d characters), up to «%(end)s»; the rest is not in your request.",
        len(kept),
    ) % {"max": MAX_DESCRIPTION, "count": len(kept), "end": end_words(kept)}


def mark_overflow(ctx: Ctx, text: str) -> bool:
    """Remembers a text answered as too long when it may be the head of a paste the
    person's app split (:func:`split_part`), so the parts that follow are answered as its
    rest; a shorter text, or any on a channel where texts arrive whole, is a whole
    message, and what follows it is a message of its own. True when remembered."""
    if split_part(ctx, text):
        ctx.state.answers[OVERFLOW] = ctx.now.isoformat()
        return True
    ctx.state.answers.pop(OVERFLOW, None)
    return False


def split_part(ctx: Ctx, text: str) -> bool:
    """Whether ``text`` is as long as a part the person's app cuts a paste into
    (``Origin.splits_texts_at`` less :data:`SPLIT_SLACK`, in UTF-16 units as Telegram
    counts); never where the channel delivers texts whole (the terminal, WhatsApp)."""
    limit = ctx.origin.splits_texts_at
    return limit is not None and len(text.encode("utf-16-le")) // 2 >= limit - SPLIT_SLACK


def paste_rest(ctx: Ctx, text: str, *, keep: bool = False) -> bool:
    """True for the next part of a split paste already answered as too long, within
    :data:`PASTE_WINDOW_S` of the part before it; a full-size part extends the window
    (more parts follow), a shorter one is the paste's last part and closes it; a shorter
    one that opens an afterthought («نسيت اقول…»: description_words.opens_addition) is a
    message of its own (False), added as one (:func:`add_at_end`). The caller
    answers it (:func:`rest_received`): every message gets an answer. With ``keep`` the
    last part is kept (:data:`REST`) so that it can still be added if it was a message of
    its own (fresh-clone tester 14, fault 2)."""
    answers = ctx.state.answers
    answers.pop(REST, None)
    at = answers.get(OVERFLOW)
    if not at:
        return False
    if not split_part(ctx, text) and opens_addition(text):
        # a new thought («نسيت اقول…»), not the middle of a paste: read as a text of its own
        answers.pop(OVERFLOW, None)
        return False
    since = (ctx.now - dt.datetime.fromisoformat(at)).total_seconds()
    if since > PASTE_WINDOW_S or ctx.origin.splits_texts_at is None:
        answers.pop(OVERFLOW, None)
        return False
    if not mark_overflow(ctx, text) and keep:
        answers[REST] = text
    return True


def rest_received(ctx: Ctx) -> str:
    """The answer to a part of a split paste at the description step: not in the request
    (the start kept stands), and, for its last part (:data:`REST`), how to add it if it
    was a message of its own."""
    _ = ctx.texts.gettext
    if ctx.state.answers.get(REST):
        return _(
            "This message came a few seconds after your long one, so I took it for the rest of it, which your request has no room for: your description stays as kept above. If it is a message of its own, press «Add it to my description» and it will be added at the end."
        )
    return _(
        "I received another part of your long message; your request has no room for it, so your description stays as kept above."
    )


def rest_not_added(ctx: Ctx) -> str:
    """The answer to a part of a split paste at the documents step, where the words typed
    complete the description: nothing of it was added, as the answer to its start said."""
    return ctx.texts.gettext(
        "I received more of your long message; your description has no room for it, so nothing of it was added. Send the documents, or press «Done» when you have finished."
    )


def add_at_end(ctx: Ctx, text: str) -> Outcome:
    """Adds ``text`` after the description saved and goes on. When both do not fit in
    :data:`MAX_DESCRIPTION` and the saved description is the start kept of a long one
    (:data:`CUT`), it is cut shorter (:func:`domain.text_cut.cut_text`) to make room, and
    the answer says where it now ends; otherwise a text that does not fit is not added
    (asked again)."""
    _ = ctx.texts.gettext
    answers = ctx.state.answers
    before, text = str(answers.get("description", "")).strip(), text.strip()
    room = MAX_DESCRIPTION - len(text) - 1
    # only the start kept of a long text is cut shorter: words the person chose to send
    # whole are not
    if room < 1 or (len(before) > room and not answers.get(CUT)):
        return Retry(
            _(
                "With this message your description would be longer than %(max)d characters, so it was not added. Please send a shorter text."
            )
            % {"max": MAX_DESCRIPTION}
        )
    for key in (DRAFT, PENDING, OVERFLOW, CUT):
        answers.pop(key, None)
    start = cut_text(before, room) if len(before) > room else before
    answers["description"] = "\n".join(part for part in (start, text) if part)
    said = _("I have added it to your description.")
    if start != before:
        said = _(
            "I have added it at the end of your description. To make room for it, the part kept of your long message now ends at «%(end)s»."
        ) % {"end": end_words(start)}
    return Next("summary" if ctx.state.editing else "attachments", (said,))
