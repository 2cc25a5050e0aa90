"""«بياناتي» / "my data" and «احذف بياناتي» / "delete my data" (issue 14, Saudi PDPL).

A person may ask, at any step and without losing it, what the service holds about them:
the identity, establishment and phone numbers on their requests and account, each request
with its number, status and files (names and types), their language, and any block an
officer put on their messages (when it was put and lifted; not the officer's reason or
name, see :class:`HeldBlock`). And they may ask
for it to be deleted: after a yes/no confirmation their draft and remembered language are
dropped and the personal data of their decided requests is redacted as the retention job
does; an open request is named with why it is kept (the officers still need it). Only the
requests of this chat (channel and user key) are ever read or changed: the bot layer's
:class:`PersonalData` answers for one account, and audits every call.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from conversations.engine_parts import EngineParts
from conversations.events import Choice, Event, Option, Reply, Text
from conversations.flow import Ctx
from conversations.formatting import format_day, isolate, ltr
from conversations.languages import NAMES
from conversations.notifications import status_name
from conversations.reading import NAV_IDS, START_STEPS, as_choice, navigation
from conversations.state import DialogueState, replace_state
from conversations.understanding import understand_choice
from conversations.wishes import wish
from domain.catalogue import local
from domain.sla import riyadh_date

_DATA = Path(__file__).resolve().parent / "data" / "my_data.json"
#: A message longer than this many words is not read as asking about one's data.
MAX_WISH_WORDS = 8
#: Button ids: see, ask to delete, and the confirmation's two answers.
SEE, DELETE, YES, NO = "mydata", "mydata:del", "mydata:yes", "mydata:no"
#: Requests listed in one message (Telegram's 4096 characters); the rest are counted.
MAX_LISTED = 15


@dataclass(frozen=True, slots=True)
class HeldFile:
    kind: str  # "photo" | "document"
    mime: str
    name: str | None


@dataclass(frozen=True, slots=True)
class Said:
    """One message of the person's own on a request, as its audit trail keeps it: an
    answer to an officer's question ("answer"), a note ("note") or the reason of a
    reconsideration ("reconsideration"). The officers' words are not the person's data
    in this sense and are left out (their internal notes, their reasons)."""

    at: dt.datetime
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class HeldRating:
    """The person's rating (1-5) of one decision on a request, and its comment (None when
    none was given or it was deleted): a request decided again is rated again, and each
    decision's rating is kept."""

    at: dt.datetime
    rating: int
    comment: str | None


@dataclass(frozen=True, slots=True)
class HeldRequest:
    """One request as the service holds it; ``redacted`` once its personal data is gone.
    A value deleted (by the retention or an earlier «delete my data») is None, never the
    database's placeholder: the JSON copy carries null for it (README, "Personal data")."""

    number: str
    service_id: str
    status: str
    submitted_at: dt.datetime
    identity_number: str | None
    establishment_number: str | None
    phone: str | None
    files: tuple[HeldFile, ...]
    redacted: bool
    # the person's say on it (the JSON copy lists them): the rating 1-5 and its comment, a
    # reconsideration's reason
    satisfaction: int | None = None
    satisfaction_comment: str | None = None
    reconsider_reason: str | None = None
    # the description the person wrote (None once redacted), whether the officers have
    # answered the reconsideration, and the person's messages on the request, oldest first
    description: str | None = None
    reconsider_answered: bool = False
    said: tuple[Said, ...] = ()
    # every decision's rating, oldest first (the first decision's too, after a reopening)
    ratings: tuple[HeldRating, ...] = ()


@dataclass(frozen=True, slots=True)
class HeldBlock:
    """A block an officer put on the person's messages (issue 14), as they are told of it:
    when it began and, once lifted, when it ended, and the request it was put from. The
    officer's reason and the officers' names are left out: the reason is the officers'
    own working note and their names are their personal data, not the person's; the
    directorate answers for a block through its usual channels."""

    blocked_at: dt.datetime
    lifted_at: dt.datetime | None
    request_number: str | None


@dataclass(frozen=True, slots=True)
class HeldData:
    """Everything held about one chat's account: its verified phone, the identity numbers
    bound to it, the language it is spoken to in, its requests, newest first, and the
    blocks on it that still name it (lifted or in force), oldest first."""

    phones: tuple[str, ...]
    identities: tuple[str, ...]
    locale: str
    requests: tuple[HeldRequest, ...]
    blocks: tuple[HeldBlock, ...] = ()
    # the same as a JSON file (a local path the channel sends as a document), if made
    document: str | None = None


@dataclass(frozen=True, slots=True)
class Erased:
    """What «delete my data» did: the decided requests redacted now, and the open ones kept
    ((number, status)), whose data goes once decided, after ``retention_days``."""

    redacted: tuple[str, ...]
    still_open: tuple[tuple[str, str], ...]
    retention_days: int


class PersonalData(Protocol):
    """The bot layer's door to one person's data; each call is recorded in the audit log
    (actor ``resident:<channel>:<user_key>``, no personal data in the details)."""

    async def held(self, channel: str, user_key: str, locale: str) -> HeldData:
        """``locale``: the language the dialogue speaks with them now (kept in Redis)."""
        ...

    async def erase(self, channel: str, user_key: str) -> Erased:
        """Redacts this account's decided requests (their files deleted), forgets its phone,
        bound identity numbers and language unless an open request still needs them."""
        ...


def data_wish(text: str) -> str | None:
    """:data:`DELETE` or :data:`SEE` when a short message asks to delete or to see one's
    data (``conversations/data/my_data.json``); None otherwise."""
    return wish(text, _DATA, (("delete", DELETE), ("see", SEE)), max_words=MAX_WISH_WORDS)


def draft_numbers(answers: dict[str, object]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The identity and establishment numbers, and the phone, typed into a request not
    sent yet (the dialogue's ``answers``): data the service holds too, in Redis."""
    numbers = tuple(str(answers[k]) for k in ("identity", "establishment") if answers.get(k))
    phones = (str(answers["phone"]),) if answers.get("phone") else ()
    return numbers, phones


def held_numbers(data: HeldData) -> tuple[list[str], list[str]]:
    """The identity and establishment numbers, and the phone numbers, the service holds
    for the account: bound to it and on its requests not redacted, sorted. The readable
    answer and the JSON copy both list these, so they agree."""
    numbers = {*data.identities}
    for request in data.requests:
        if not request.redacted:
            numbers |= {n for n in (request.identity_number, request.establishment_number) if n}
    phones = {*data.phones} | {r.phone for r in data.requests if r.phone and not r.redacted}
    return sorted(numbers), sorted(phones)


def render_held(ctx: Ctx, data: HeldData) -> str:
    """The readable answer to «بياناتي», in the person's language, with what the request
    they are filling in now holds (``ctx.state``'s draft, or the one put aside)."""
    _ = ctx.texts.gettext
    lines = [_("This is what the Tawasul service holds about you:")]
    state = ctx.state
    draft = state.suspended.get("answers") if state.suspended else state.answers
    drafted, drafted_phones = draft_numbers(draft if isinstance(draft, dict) else {})
    kept, kept_phones = held_numbers(data)
    numbers = sorted({*kept, *drafted})
    phones = sorted({*kept_phones, *drafted_phones})
    none = _("none")
    # the list separator of the person's language: «،» in Arabic (found by the tester)
    comma = _(", ")
    lines.append(
        _("Identity numbers: %(numbers)s") % {"numbers": comma.join(map(ltr, numbers)) or none}
    )
    lines.append(_("Phone numbers: %(phones)s") % {"phones": comma.join(map(ltr, phones)) or none})
    if drafted or drafted_phones:
        lines.append(
            _("The request you are filling in now (not sent yet) holds: %(numbers)s")
            % {"numbers": comma.join(map(ltr, (*drafted, *drafted_phones)))}
        )
    language = NAMES.get(data.locale, data.locale)
    lines.append(_("Language: %(language)s") % {"language": language})
    if not data.requests:
        lines.append(_("You have no requests with us."))
    for request in data.requests[:MAX_LISTED]:
        service = local(ctx.catalogue.get(request.service_id).name, ctx.locale)
        lines.append(
            _("Request %(number)s (%(service)s), filed %(day)s: %(status)s")
            % {
                "number": request.number,
                "service": service,
                "day": format_day(riyadh_date(request.submitted_at), ctx.texts),
                "status": status_name(request.status, ctx.locale),
            }
        )
        if request.redacted:
            lines.append("  " + _("its personal data and files have been deleted"))
        for held in request.files:
            name = isolate(held.name) if held.name else _("(no name)")
            kind = _("photo") if held.kind == "photo" else _("document")
            lines.append(f"  · {kind}: {name} ({file_format(held.mime)})")
    hidden = len(data.requests) - MAX_LISTED
    if hidden > 0:
        lines.append(
            ctx.texts.ngettext("…and %(n)d older request.", "…and %(n)d older requests.", hidden)
            % {"n": hidden}
        )
    lines.extend(_held_block(ctx, block) for block in data.blocks)
    lines.append(
        _(
            "To have your data deleted, send «delete my data». Your requests are visible only to you and to the officers who handle them."
        )
    )
    return "\n".join(lines)


def file_format(mime: str) -> str:
    """A file's format as people name it («JPEG», «PDF»), not its media type
    («image/jpeg»: helper 25's probe of «بياناتي»): the subtype in capitals, less an
    «x-» or a vendor prefix."""
    subtype = mime.partition("/")[2] or mime
    subtype = subtype.split(";")[0].split(".")[-1].removeprefix("x-")
    return subtype.upper()


def _held_block(ctx: Ctx, block: HeldBlock) -> str:
    _ = ctx.texts.gettext
    day = format_day(riyadh_date(block.blocked_at), ctx.texts)
    if block.lifted_at is None:
        return _("Your messages have been blocked since %(day)s; the block is still in force.") % {
            "day": day
        }
    return _("Your messages were blocked on %(day)s; the block was lifted on %(lifted)s.") % {
        "day": day,
        "lifted": format_day(riyadh_date(block.lifted_at), ctx.texts),
    }


def render_erased(ctx: Ctx, erased: Erased) -> str:
    """The answer once the deletion is done, open requests explained one by one."""
    _ = ctx.texts.gettext
    lines = [_("Done. Your draft and your language choice have been deleted.")]
    if erased.redacted:
        lines.append(
            _(
                "The personal data and files of these decided requests have been deleted: %(numbers)s"
            )
            % {"numbers": _(", ").join(erased.redacted)}
        )
    for number, status in erased.still_open:
        lines.append(
            _(
                "Your request %(number)s is still being handled (%(status)s), so its data is kept for now: it will be deleted when you ask again after it is decided, or automatically %(days)d days after the decision."
            )
            % {
                "number": number,
                "status": status_name(status, ctx.locale),
                "days": erased.retention_days,
            }
        )
    if not erased.redacted and not erased.still_open:
        lines.append(_("You had no requests with us."))
    lines.append(
        _(
            "The request numbers, services, dates and decisions stay, without your personal data, as the law requires."
        )
    )
    return "\n".join(lines)


class MyData(EngineParts):
    """Mixed into :class:`conversations.engine.Engine`; needs its ``personal_data``."""

    personal_data: PersonalData | None

    async def _erase_answer(self, ctx: Ctx, event: Event) -> list[Reply] | None:
        """The reply to a typed answer («نعم», «لا», «1», a label) to «delete your data?»
        while that question is the one asked; None otherwise. Read before the step's own
        reading: the step underneath (a request number, a description) would take it as
        its answer."""
        offered = ctx.state.offered
        if self.personal_data is None or not isinstance(event, Text):
            return None
        if YES not in (o[0] for o in offered) or navigation(event) is not None:
            # «ابدأ من جديد» is a way out, never the «لا» its folded «ابدا» also spells
            return None
        chosen = as_choice(event, offered)
        if not isinstance(chosen, Choice):
            polar = [(o[0], o[1]) for o in offered if o[0] in (YES, NO)]
            understood = understand_choice(event.text, polar)
            if understood is None or understood.chosen is None:
                return None
            chosen = Choice(event.origin, understood.chosen)
        if chosen.id not in (YES, NO):
            return None
        return await self._my_data(ctx, chosen, typed=False)

    async def _my_data(
        self, ctx: Ctx, chosen: Event, *, typed: bool, said: Event | None = None
    ) -> list[Reply] | None:
        """The reply to a my-data button or wish; None when the message is neither.
        ``typed`` False: a typed message is not read (the step takes the person's words).
        ``said``: the message as typed, when ``chosen`` is what it was read as; its words
        come first, so «احذف بياناتي» is not the «بياناتي» button whose label it holds."""
        if self.personal_data is None:
            return None
        wish: str | None = None
        typed_text = said if isinstance(said, Text) else chosen
        if isinstance(typed_text, Text) and typed:
            wish = data_wish(typed_text.text)
        if wish is None and isinstance(chosen, Choice) and chosen.id in (SEE, DELETE, YES, NO):
            wish = chosen.id
        if wish is None:
            return None
        _ = ctx.texts.gettext
        origin = ctx.origin
        if wish == SEE:
            held = await self.personal_data.held(origin.channel, origin.user_key, ctx.locale)
            replies = self._after(ctx, render_held(ctx, held))
            if held.document is not None:
                replies[0] = dataclasses.replace(replies[0], media=(held.document,))
            return replies
        if wish == DELETE or (wish == YES and YES not in (o[0] for o in ctx.state.offered)):
            # a «yes» counts only under the question just asked: an old one pressed later
            # (or a forged one, before the first question where any button passes) asks again
            return [self._confirm_erase(ctx)]
        if wish == NO:
            return self._after(ctx, _("Nothing was deleted."))
        erased = await self.personal_data.erase(origin.channel, origin.user_key)
        answer, locale = render_erased(ctx, erased), ctx.locale
        # a blank state in the default language: nothing of the person's stays in Redis
        # but the ids of the last turns (a replay must still be known for done)
        replace_state(ctx.state, DialogueState(handled=ctx.state.handled))
        ctx.state.forget_locale = True
        return [Reply(answer, locale=locale)]

    def _data_options(self, ctx: Ctx) -> tuple[Option, ...]:
        """«My data» among the help buttons, where the service can answer it."""
        _ = ctx.texts.gettext
        return (Option(SEE, _("My data")),) if self.personal_data is not None else ()

    def _confirm_erase(self, ctx: Ctx) -> Reply:
        _ = ctx.texts.gettext
        options = (Option(YES, _("Yes, delete")), Option(NO, _("No, keep")))
        nav = tuple(Option(o[0], o[1]) for o in ctx.state.offered if o[0] in NAV_IDS)
        ctx.state.offered = [[o.id, o.label] for o in (*options, *nav)]
        return Reply(
            _(
                "Delete your data? Your draft and language choice will be deleted, and the identity and phone numbers, descriptions and files of your decided requests. Open requests are kept until they are decided. This cannot be undone."
            ),
            choices=(*options, *nav),
        )

    def _after(self, ctx: Ctx, text: str) -> list[Reply]:
        """``text``, with the step the person was on offered again."""
        if ctx.state.step in START_STEPS:
            ctx.state.offered = [o for o in ctx.state.offered if o[0] not in (YES, NO)]
            return [Reply(text, choices=tuple(Option(o[0], o[1]) for o in ctx.state.offered))]
        # the answer, then the step's question again: the person goes on where they were
        return [Reply(text), self._ask(ctx)]
