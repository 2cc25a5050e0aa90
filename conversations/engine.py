"""The engine: (state, inbound event) -> (new state, replies), with the store around it.

It owns what every step shares: claiming the event id, the words and buttons that work
everywhere (cancel, back, help, restart), turning a typed number or label into the choice
it names, polite answers to things a step cannot use, and compare-and-set retries.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from conversations import edits, knowledge, languages
from conversations.buttons import ANOTHER_NUMBER, check_button
from conversations.drafts import DraftKeeping
from conversations.events import (
    Choice,
    Contact,
    Event,
    Media,
    Origin,
    Reply,
    Text,
)
from conversations.flow import Ctx, Flow, Retry, Step
from conversations.flows import status as status_flow
from conversations.flows.more_info import (
    MORE_INFO,
    keep_with,
    same_album,
    unhold,
    waiting_questions,
)
from conversations.flows.their_say import SAY_FLOW
from conversations.formatting import Digits
from conversations.i18n import DEFAULT_LOCALE, Texts
from conversations.keywords import courtesy, is_undo_word
from conversations.language_parts import LanguageParts
from conversations.manners import (
    salute,
)
from conversations.moves import Moves
from conversations.my_data import MyData, PersonalData
from conversations.officer_answers import OfficerAnswers
from conversations.ports import AttemptLimiter, RequestGateway
from conversations.questions import Questions
from conversations.reading import (
    START_STEPS,
    STATUS_RESTART_STEPS,
    as_choice,
    language_wish,
    navigation,
    own_options,
    status_wish,
    unusable,
)
from conversations.receipt import ReceiptMaker
from conversations.replays import replayed, replies_from_json, replies_to_json
from conversations.say_parts import TheirSay
from conversations.state import DialogueState
from conversations.status_needs import StatusNeeds, at_number_prompt
from conversations.store import DialogueStore
from conversations.store_outage import (
    RETRY_PAUSE_S,
    STORE_WAIT_S,
    StoreAway,
    StoreOutage,
    file_apology,
    store_away,
)
from conversations.understanding import is_status_question, understand_choice
from domain.catalogue import Catalogue

log = logging.getLogger(__name__)

CAS_ATTEMPTS = 8

#: A channel's download of a photo or file the person sent: the event, and whether the
#: dialogue would use it now, in; the event as kept (checksum, real type) out.
Prepare = Callable[[Media, bool], Awaitable[Media]]
# steps where a message may name a service instead of pressing a button
_NEED_STEPS = ("applicant", "suggest", "refused")


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Engine(
    Moves,
    LanguageParts,
    DraftKeeping,
    MyData,
    OfficerAnswers,
    Questions,
    StatusNeeds,
    TheirSay,
    StoreOutage,
):
    store: DialogueStore
    flow: Flow
    catalogue: Catalogue
    gateway: RequestGateway
    clock: Callable[[], dt.datetime] = field(default=_utcnow)
    # how quantities and dates are written in Arabic (TAWASUL_ARABIC_DIGITS)
    arabic_digits: Digits = "arab"
    # draws the receipt card once a request is filed; without one the text says it all
    receipts: ReceiptMaker | None = None
    # flows entered from a button rather than from the start (answering an officer)
    side_flows: Mapping[str, Flow] = field(
        default_factory=lambda: {MORE_INFO.name: MORE_INFO, SAY_FLOW.name: SAY_FLOW}
    )
    # failed status look-ups; without one, status questions are answered to owners only
    limiter: AttemptLimiter | None = None
    # «بياناتي» / «احذف بياناتي» (conversations.my_data); without it those words are not read
    personal_data: PersonalData | None = None
    # how long a photo's or file's turn waits for the store (Redis) to answer again
    # (conversations.store_outage)
    store_wait_s: float = STORE_WAIT_S

    def __post_init__(self) -> None:
        if self.limiter is not None:
            status = status_flow.build_status_flow(self.limiter)
            self.side_flows = {**self.side_flows, status.name: status}

    def _flow(self, state: DialogueState) -> Flow:
        return self.side_flows.get(state.flow, self.flow)

    async def handle(self, event: Event, *, prepare: Prepare | None = None) -> list[Reply]:
        """One inbound event: the replies to send, in order. ``prepare`` is the channel's
        download of a photo or file (`Media`), called once the turn's state is loaded with
        whether the dialogue would use the file now, so that deciding costs no Redis read
        of its own (see :meth:`wants_files` for channels that decide before). A photo's or
        file's turn that meets the store away, at its start or midway, is run again once
        the store answers, for ``store_wait_s`` at most (conversations.store_outage)."""
        # notes of files lost here while the store was away (conversations.store_outage)
        await self.settle_owed()
        if not isinstance(event, Media):
            return await self._handle(event, prepare, None)
        until = time.monotonic() + self.store_wait_s
        again = False
        while True:
            try:
                return await self._handle(event, prepare, until, again=again)
            except StoreAway:
                again = True
                await asyncio.sleep(RETRY_PAUSE_S)

    async def _handle(
        self, event: Event, prepare: Prepare | None, until: float | None, *, again: bool = False
    ) -> list[Reply]:
        """:meth:`handle` once; ``until`` (a photo's or file's turn): raises StoreAway
        when the store went away midway and there is time to run the turn again."""
        origin = event.origin
        try:
            if until is not None:
                # a photo of an album must not be lost behind its acknowledged first one
                # (conversations.store_outage): it waits for the store a while
                claimed, state = await self.claim_waiting(
                    origin.channel, origin.user_key, origin.event_id, until
                )
            else:
                claimed, state = await self.store.claim_and_load(
                    origin.channel, origin.user_key, origin.event_id
                )
        except Exception:
            # the store (Redis) is away: the same apology as any failure on our side, in
            # the default language (the person's is kept in the store); nothing was written
            log.exception("dialogue store unreachable on %s", origin.channel)
            return [self._failed(event, DEFAULT_LOCALE)]
        if not claimed:
            # run again after the store went away midway: its save may have landed
            unsent = _unsent(state, origin.event_id, replay=again)
            if unsent is not None:
                log.info("%s turn replayed after its process stopped: replies sent again",
                         origin.channel)  # fmt: skip
                return unsent
            # the event id is not logged: a WhatsApp message id encodes the phone number
            log.info("duplicate %s event ignored", origin.channel)
            return []
        try:
            if origin.edits is not None:
                state = await edits.await_original(self.store, origin, state)
            if prepare is not None and isinstance(event, Media):
                # an edited photo never counts as a new file (conversations.edits)
                wanted = origin.edits is None and await self._wants_files(state, origin)
                event = await prepare(event, wanted)
            for _attempt in range(CAS_ATTEMPTS):
                # files of theirs this process could not keep (conversations.store_outage)
                owed = self.owed_files(origin.channel, origin.user_key, state)
                locale, chosen = state.locale, state.locale_chosen
                # a share-my-number control on screen: asked for by the last turn, or the
                # person just used it
                shown = state.contact_keyboard or isinstance(event, Contact)
                replies = await self._turn(state, event)
                state.contact_keyboard = replies[-1].ask_contact if replies else shown
                # a language chosen in this turn becomes the account's, in the same write
                # (chosen in so many words: kept as such, conversations.store.locale_value)
                chose = state.locale != locale or state.locale_chosen != chosen
                forget, state.forget_locale = state.forget_locale, False
                state.mark_handled(origin.event_id)
                # a reply may say which language it was written in (before a «delete my
                # data» that set the state's back to the default)
                presented = [self._present(r, r.locale or state.locale) for r in replies]
                if presented and shown:
                    presented[0] = dataclasses.replace(presented[0], contact_keyboard_shown=True)
                state.last_replies = [origin.event_id, replies_to_json(presented)]
                # only a forgetting turn passes forget_locale (stores that never forget
                # need not know the word); the claim is marked done by the same write
                saved = (
                    await self.store.save(
                        origin.channel,
                        origin.user_key,
                        state,
                        forget_locale=True,
                        done=origin.event_id,
                    )
                    if forget
                    else await self.store.save(
                        origin.channel,
                        origin.user_key,
                        state,
                        remember_locale=chose,
                        done=origin.event_id,
                    )
                )
                if saved:
                    self.paid(origin.channel, origin.user_key, owed)
                    return presented
                state = await self.store.load(origin.channel, origin.user_key)
                if origin.event_id in state.handled:
                    # a replay of a turn whose first handling was not dead after all: it
                    # saved first and answered; this one says nothing
                    log.info("%s event handled meanwhile elsewhere", origin.channel)
                    return []
            raise RuntimeError("dialogue state kept changing under us")
        except Exception as exc:
            # the person is never met with silence: nothing they gave is lost (the state
            # was not written), and a redelivery of this update may be handled again
            log.exception("turn failed on %s", origin.channel)
            with contextlib.suppress(Exception):
                await self.store.release(origin.channel, origin.user_key, origin.event_id)
            if until is not None and store_away(exc, until):
                raise StoreAway from exc
            return [self._failed(event, state.locale)]

    def _failed(self, event: Event, locale: str) -> Reply:
        """The answer to a turn that failed on our side (nothing of it was written). A
        photo or file is named, and noted as missing from the draft for the person's next
        turn here (conversations.store_outage): a later «Done» must not file without it."""
        if isinstance(event, Media):
            self.owe_file(event.origin.channel, event.origin.user_key)
            return self._present(Reply(file_apology(locale)), locale)
        return self._present(Reply(apology(locale)), locale)

    async def _turn(self, state: DialogueState, event: Event) -> list[Reply]:
        """One message; an edit only when it edits the current step's answer (see
        conversations.edits)."""
        if edits.is_old_edit(state, event):
            ctx = self._ctx(state, event)
            if state.step in START_STEPS:
                return [Reply(edits.old_edit_hint(ctx))]
            return [self._reply(ctx, edits.old_edit_hint(ctx), with_choices=True)]
        edits.saw(state, event.origin)
        edits.take_back(state, event)
        # the person's first words choose the language, else their app's language
        followed = self._follow_writing(state, event) or self._follow_platform(state, event)
        replies = await self._read(state, event)
        edits.settle(state)
        if followed:
            replies = languages.with_way_back(replies, state.locale)
        return replies

    def _ctx(self, state: DialogueState, event: Event) -> Ctx:
        return Ctx(
            state,
            event.origin,
            self.catalogue,
            self.gateway,
            self.clock(),
            arabic_digits=self.arabic_digits,
            receipts=self.receipts,
        )

    async def _read(
        self, state: DialogueState, event: Event, *, answers: bool = True
    ) -> list[Reply]:
        """One message. ``answers`` False: the person said it is not an answer to an
        officer, so it is not offered as one again."""
        ctx = self._ctx(state, event)
        if isinstance(event, Choice):
            # a button's data is checked like typed input, in one place (conversations.buttons)
            checked = check_button(
                event,
                (option_id for option_id, _label in state.offered),
                ctx.texts,
                anywhere=state.step in START_STEPS,
            )
            if isinstance(checked, str):
                if state.step in START_STEPS:
                    return [Reply(checked)]
                return [self._reply(ctx, checked, with_choices=True)]
            event = checked
        # «نعم» to «delete your data?» answers it, whatever step is underneath
        erase = await self._erase_answer(ctx, event)
        if erase is not None:
            return erase
        step = self._step(state)
        # an offer about an officer's question is a menu, even at a step that reads numbers
        free_text = (
            step is not None and step.free_text and state.held is None and not state.confirming
        )
        if isinstance(event, Text) and not free_text and state.held is None:
            # «أضف ملاحظة لطلبي», «أبي أتظلم»: before a button could be read into it
            wished = await self._their_words(ctx, event)
            if wished is not None:
                return wished
        chosen = as_choice(event, state.offered, numbers=not free_text)
        if isinstance(chosen, Text) and not free_text and self._reads_choices(ctx, chosen):
            understood = understand_choice(chosen.text, own_options(state.offered))
            if understood is not None and understood.chosen is not None:
                chosen = Choice(event.origin, understood.chosen)
            elif understood is not None:
                return [self._which(ctx, understood.candidates)]
        # a message held while asking whether it answers an officer lasts one turn
        held, state.held = state.held, None
        if held is not None and same_album(held, event):
            # the rest of an album whose first photo is being asked about: kept with it
            state.held = keep_with(held, event)
            return []
        if isinstance(chosen, Choice) and chosen.id.startswith("ans:"):
            return await self._answer_officer(ctx, chosen.id.removeprefix("ans:"), held)
        if isinstance(chosen, Choice):
            # «أسئلة شائعة», a question's topic, «قدّم طلبًا الآن» (conversations.questions)
            answered = self._question_choice(ctx, chosen.id)
            if answered is not None:
                return answered
            went = await self._to_need(ctx, chosen.id)
            if went is not None:
                return went
        # a rating, «Add a note» or «Ask to reconsider» pressed
        their_say = await self._their_say(ctx, chosen)
        if their_say is not None:
            return their_say
        if isinstance(chosen, Choice) and chosen.id == "notans" and held is not None:
            if not held.get("idle"):
                return [self._ask(ctx)]
            # not an answer: the message is read as it would have been
            return await self._read(state, unhold(held, event.origin), answers=False)
        confirming, state.confirming = state.confirming, None
        if confirming and isinstance(chosen, Choice) and chosen.id in ("discard", "keep"):
            if chosen.id == "keep":
                return [self._ask(ctx)]
            return self._discard(ctx, confirming)
        if state.discarded and (
            (isinstance(chosen, Choice) and chosen.id == "undo")
            or (isinstance(event, Text) and is_undo_word(event.text))
        ):
            return self._undo(ctx)
        mine = await self._my_data(ctx, chosen, typed=not free_text and held is None, said=event)
        if mine is not None:
            return mine
        asked, number = status_wish(chosen if isinstance(chosen, Choice) else event, state)
        if asked and "status" in self.side_flows:
            another = isinstance(chosen, Choice) and chosen.id == ANOTHER_NUMBER
            return await self._open_status(ctx, number, another=another)
        wish = language_wish(event, state.offered)
        if wish is not None:
            return self._switch_language(ctx, wish)
        # a typed number or label of a navigation button works like the button
        action = navigation(chosen)
        if action is None and answers and self._idle(state):
            taken = await self._unprompted_answer(ctx, event)
            if taken is not None:
                return taken
        if action is None:
            # an officer's question answered at the look-up's prompts, a need typed there
            # (conversations.status_needs)
            instead = await self._answer_instead_of_number(ctx, chosen)
            if instead is not None:
                return instead
            needed = self._need_instead_of_number(ctx, chosen)
            if needed is not None:
                return needed
        if action is None and isinstance(chosen, Text):
            # a question about the rules (conditions, fines...) is answered and the step
            # asked again; where the step takes free text, only a plain question is
            answered = self._question(ctx, chosen.text, free_text=free_text)
            if answered is not None:
                return answered
        if action in ("restart", "cancel") and self._has_draft(state):
            return self._confirm_discard(ctx, action)
        if action == "resume":
            return self._welcome_back(ctx)
        if action == "restart" or state.step in START_STEPS:
            return await self._start(ctx, event, action)
        greeted = ""
        if isinstance(event, Text) and action is None:
            kind, rest = courtesy(event.text)
            if kind is not None and not rest:
                # «السلام عليكم», «طيب شكرا» mid-way: answered, and the question stays
                again = self._ask(ctx)
                return [dataclasses.replace(again, text=f"{salute(ctx, kind)}\n{again.text}")]
            if kind in ("salam", "greeting"):
                # «السلام عليكم ابي امدد زيارة امي» after /start: returned, then read
                greeted = salute(ctx, kind) + "\n"
        if action == "cancel":
            return self._cancel(ctx)
        if action == "help":
            return [Reply(self._flow(state).help(ctx)), self._ask(ctx, language_choice=True)]
        if action == "back":
            return self._back(ctx)
        event = chosen
        polite = unusable(ctx, event, words_with_files=step is not None and step.takes_files)
        if polite is not None:
            return [self._reply(ctx, polite, with_choices=True)]
        before = edits.answers_before(state)
        outcome = await self._flow(state).steps[state.step].answer(ctx, event)
        edits.answered(state, event, outcome, before)
        if isinstance(outcome, Retry) and answers and state.flow == self.flow.name:
            offer = await self._offer_answer(ctx, event, outcome.hint)
            if offer is not None:
                return offer
        if isinstance(outcome, Retry) and isinstance(event, Text) and not free_text:
            if knowledge.explicit_question(event.text):
                # a plain question the step cannot use and the base cannot answer
                return self._cannot_answer(ctx)
        replies = self._apply(ctx, outcome)
        if greeted and replies:
            replies[0] = dataclasses.replace(replies[0], text=greeted + replies[0].text)
        return replies

    def _reads_choices(self, ctx: Ctx, typed: Text) -> bool:
        """Whether a typed message here may mean one of the buttons in other words: not
        before the first question or where free text names a service (the catalogue reads
        it), and not when it names one at a step that takes a need in words."""
        state = ctx.state
        if state.held is not None:
            return True
        if navigation(typed) is not None:
            # «ابدأ من جديد» is a way out, not an answer: «ابدأ» folds to «ابدا», also a
            # dialect «no», so at a yes/no question it once turned the person away
            return False
        if state.step in (*START_STEPS, "group", "service"):
            return False
        if state.step in STATUS_RESTART_STEPS and is_status_question(typed.text):
            # «حالة الطلب» at the list is the look-up asked again, not «another number»
            return False
        if state.step in _NEED_STEPS and state.flow == self.flow.name:
            return not ctx.catalogue.match(typed.text, limit=1)
        return True

    async def wants_files(self, channel: str, user_key: str) -> bool:
        """Whether a photo or file from this person would be used now: they are at a step
        that takes files, or an officer waits for their answer (a file sent at any step
        may be that answer). Channels download files only then. A read of its own: a
        channel that downloads inside the turn (``handle``'s ``prepare``) saves it."""
        state = await self.store.load(channel, user_key)
        return await self._wants_files(state, Origin(channel, user_key, ""))

    async def _wants_files(self, state: DialogueState, origin: Origin) -> bool:
        step = self._step(state)
        if step is not None and step.takes_files:
            return True
        if state.flow != self.flow.name and not at_number_prompt(state):
            return False
        ctx = Ctx(state, origin, self.catalogue, self.gateway, self.clock())
        return bool(await waiting_questions(ctx))

    def _step(self, state: DialogueState) -> Step | None:
        return self._flow(state).steps.get(state.step)


def _unsent(state: DialogueState, event_id: str, *, replay: bool = False) -> list[Reply] | None:
    """The replies of the saved turn `event_id` when it is being replayed (``replay``: run
    again here) and is still the person's last turn (see conversations.replays); None
    otherwise. An older turn's replies would answer a question the person has moved past,
    so they are not kept."""
    last = state.last_replies
    if not (replay or replayed()) or not last or last[0] != event_id:
        return None
    return replies_from_json(last[1])


def apology(locale: str) -> str:
    """The answer to a message we failed to handle on our side (the database or Redis
    away): nothing was written, the person is asked to send it again."""
    _ = Texts(locale).gettext
    return _(
        "Sorry, something went wrong on our side and your last message was not "
        "handled. Nothing you entered before it is lost: please send it again in a moment."
    )
