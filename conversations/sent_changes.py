"""A wish to withdraw or to change a request already sent, in the person's words: «ابي
الغي طلبي اللي قدمته، خلاص جددتها من ابشر», «غلطت في رقم الاقامة في الطلب اللي ارسلته ابي
اعدله». A sent request cannot be withdrawn or changed by its sender (the officers' side has
no withdrawal either): the person is told so plainly, and a note to the request is offered
(:mod:`conversations.flows.say_note`) with their words in it, sent only when they send it,
so the officer handling it learns it is no longer needed or what was wrong.

Found by tester 13 (§1, WhatsApp): the first message met the services menu («جددتها» read
as a renewal), and «الغاء الطلب» then answered «تم الإلغاء، ولم يُرسَل أي طلب» to a person
whose request was open; :func:`cancelled_line` is what «إلغاء» says to such a person.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from conversations.events import Option, Reply, Text, unique_options
from conversations.flow import Ctx
from conversations.knowledge import explicit_question
from conversations.reading import NAV_IDS, START_STEPS
from conversations.say_parts import TheirSay
from conversations.their_say import note_id
from conversations.wishes import negated, wish
from domain.status import FINAL, RequestStatus

log = logging.getLogger(__name__)

#: The phrases of the wishes (see the file's own comment).
SENT_CHANGES_DATA = Path(__file__).resolve().parent / "data" / "sent_changes.json"
#: A longer message is not read as one of these wishes (a description that mentions them).
MAX_WORDS = 14


def change_wish(text: str, *, filling: bool) -> str | None:
    """ "withdraw" or "amend" when ``text`` asks to withdraw or change a request already
    sent, "forgot" when it says a document was forgotten when it was sent; None otherwise. ``filling``: a request is being filled in, where a withdrawal
    must name the sent one («اللي قدمته»): «الغاء الطلب» alone cancels the draft."""

    def holds(name: str) -> bool:
        return wish(text, SENT_CHANGES_DATA, ((name, True),), max_words=MAX_WORDS) is not None

    sent = holds("sent") and holds("request")
    if holds("withdraw"):
        if negated(text, SENT_CHANGES_DATA, "withdraw", "negations", within=4):
            return None  # «ما ابي الغي طلبي، بس ابي اعرف متى يخلص»: read as ever
        return "withdraw" if sent or not filling else None
    if sent and holds("forgot"):
        return "forgot"  # «نسيت ارسل صورة الجواز مع الطلب اللي ارسلته» (tester 14, §3)
    if sent and holds("amend"):
        return "amend"
    return None


async def open_numbers(ctx: Ctx) -> list[str] | None:
    """The numbers of the person's requests still open (newest first); None when the
    requests cannot be read (SQL away)."""
    try:
        mine = await ctx.gateway.my_requests(ctx.origin.channel, ctx.origin.user_key)
    except Exception:
        log.warning("open requests not looked for: the requests could not be read")
        return None
    return [v.number for v in mine if RequestStatus(v.status) not in FINAL]


def cancelled_line(ctx: Ctx, number: str) -> str:
    """What «إلغاء» says to a person whose request ``number`` is open: the request being
    filled in was not sent, and the sent one stays (never «لم يُرسَل أي طلب»)."""
    _ = ctx.texts.gettext
    return _(
        "Cancelled: the request you were filling in was not sent. Your request %(number)s, sent earlier, stays with the officers; to tell them something about it, type «add a note»."
    ) % {"number": number}


async def still_open_line(ctx: Ctx) -> str | None:
    """What deleting a draft says to a person whose requests sent earlier are still open:
    those stay with the officers (None when none is open, or they cannot be read). Found
    by the session-14 brief: «إلغاء» of a draft with data asked «سيُحذف الطلب الذي
    تعبّئه…» and said «حُذف الطلب», with no word of the request sent earlier, which the
    person may think is the one deleted (tester 13, §1: they meant to cancel it)."""
    numbers = await open_numbers(ctx)
    if not numbers:
        return None
    _ = ctx.texts.gettext
    return ctx.texts.ngettext(
        "Your request %(numbers)s, sent earlier, is not affected: it stays with the officers.",
        "Your requests %(numbers)s, sent earlier, are not affected: they stay with the officers.",
        len(numbers),
    ) % {"numbers": _(", ").join(numbers)}


class SentChanges(TheirSay):
    """Mixed into :class:`conversations.engine.Engine` (through
    :class:`conversations.say_commands.SayCommands`)."""

    async def _sent_change(self, ctx: Ctx, typed: Text) -> list[Reply] | None:
        """The answer to a wish to withdraw or change a sent request while one is open:
        said it cannot be done here, and the note to it opened (or the person picks which
        request) with their words in it. None when the message is not such a wish or
        nothing is open (read as ever)."""
        state = ctx.state
        filling = not (
            state.flow == self.flow.name
            and (state.step in START_STEPS or state.step == self.flow.first)
            and state.is_blank()
        )
        what = None if state.confirming else change_wish(typed.text, filling=filling)
        if what is None:
            return None
        numbers = await open_numbers(ctx)
        if not numbers:
            return None
        _ = ctx.texts.gettext
        if what == "withdraw":
            lead = _(
                "A request cannot be withdrawn here once it is sent. You can add a note to it saying that you no longer need it, or why; the officer handling it will see it."
            )
        elif what == "forgot":
            lead = _(
                "You can add what you forgot to your request as a note: please send the photo or file here, then press «Send note». The officer handling it will see it with the request."
            )
        else:
            lead = _(
                "A request cannot be changed here once it is sent. You can add a note to it saying what was wrong and what is right; the officer handling it will see it."
            )
        if explicit_question(typed.text):
            return self._change_explained(ctx, lead, numbers)
        # their words are the note's beginning: kept while it opens or while they pick
        state.note_words = typed.text.strip()
        replies = await self._say_wish(ctx, "note")
        replies[0] = dataclasses.replace(replies[0], text=f"{lead}\n{replies[0].text}")
        return replies

    def _change_explained(self, ctx: Ctx, lead: str, numbers: list[str]) -> list[Reply]:
        """A question about withdrawing or changing a sent request («كيف الغي طلبي؟», «هل
        يمكن الغاء الطلب؟»): ``lead`` (it cannot be done here; a note can say it) and the
        way to that note, a button under the step's own when one request is open, and
        nothing opened: the question is no note, and the next message is read as ever.
        Found by review 13 (§2): the question opened a note with itself as its words."""
        _ = ctx.texts.gettext
        label = _("Add a note to my request")
        if len(numbers) == 1:
            how = _("To add one, you can press «%(add)s».") % {"add": label}
            extra: tuple[Option, ...] = (Option(note_id(numbers[0]), label),)
        else:
            how = _("To add one, you can type «add a note».")
            extra = ()
        replies = self._and_again(ctx, f"{lead}\n{how}")
        shown = replies[-1].choices
        choices = unique_options(
            (
                *(o for o in shown if o.id not in NAV_IDS),
                *extra,
                *(o for o in shown if o.id in NAV_IDS),
            )
        )
        ctx.state.offered = [[o.id, o.label] for o in choices]
        replies[-1] = dataclasses.replace(replies[-1], choices=choices)
        return replies
