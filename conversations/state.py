"""The dialogue state of one person on one channel: what the store keeps between messages."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, field, is_dataclass
from typing import Any

from conversations.i18n import DEFAULT_LOCALE

# what a person types or sends into a draft (see DialogueState.has_data)
#: How many turns' event ids a state remembers (a replay comes within seconds of its turn).
HANDLED_MAX = 16
_TYPED = (
    "establishment",
    "identity",
    "phone",
    "description",
    "attachments",
    # numbers and words kept before their step (conversations.flows.intake_draft's
    # EARLY_IDENTITY and EARLY_ESTABLISHMENT, description_text's PENDING and the start of a
    # description): the person gave them as much as an answer at the step itself (found
    # by the fresh-clone tester: «cancel» deleted them without asking, and «Undo» failed)
    "identity_early",
    # a mobile number shared before the phone step (conversations.flows.early_phone)
    "phone_early",
    "establishment_early",
    "description_pending",
    "description_draft",
)


@dataclass(slots=True)
class DialogueState:
    flow: str = "intake"
    step: str = ""
    answers: dict[str, Any] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)
    # the options shown with the last question, so "2" or a typed label can answer it
    offered: list[list[str]] = field(default_factory=list)
    editing: bool = False
    locale: str = DEFAULT_LOCALE
    # the language was chosen, or read from the person's first words: their later
    # messages in the other language do not change it (conversations.languages)
    locale_set: bool = False
    # the language was chosen in so many words («English», «عربي», the button, /lang): a
    # later message wholly in the other language offers the switch instead of making it
    locale_chosen: bool = False
    # the person's messages in a row wholly in the other language (conversations.languages.
    # SUSTAINED of them switch a language not chosen in so many words; one in their own
    # language starts the count again)
    other_language_run: int = 0
    # the account has a language remembered (chosen, read from words, or from the app's
    # language): set by the store on every load, whatever the saved draft says
    locale_remembered: bool = False
    draft_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    albums: list[str] = field(default_factory=list)
    last_request: str | None = None
    # a half-filled request put aside while the person answers an officer's question
    suspended: dict[str, Any] | None = None
    # a message kept while the person is asked whether it answers an officer's question
    held: dict[str, Any] | None = None
    # that message put aside while a rating or note button's flow runs (it came between
    # the question and the answer): asked about again once that flow is over
    held_aside: dict[str, Any] | None = None
    # "cancel" or "restart" while the person confirms throwing a filled draft away
    confirming: str | None = None
    # the draft thrown away last, with when ("at", ISO), so it can be brought back a while
    discarded: dict[str, Any] | None = None
    # when the full welcome was last shown (ISO): it is not repeated on every new start
    welcomed: str | None = None
    # [event id, locale] of the turn that last showed the full welcome: a /start right
    # after it (the terminal chat and Telegram's Start button send one before the person
    # types their own) asks the first question again without repeating it
    welcome_turn: list[str] | None = None
    # [flow, step, message id] of the message that last answered the current step (an edit
    # of it answers the step again), and the ids of the person's recent messages (an edit
    # of one not seen yet may have overtaken its original on another worker)
    answered: list[str] | None = None
    # the answers from before that message, which an edit of it goes back to
    answered_from: dict[str, Any] | None = None
    seen: list[str] = field(default_factory=list)
    # the event ids of the last turns saved, so that a turn replayed after its process died
    # is known for done or not (conversations.store)
    handled: list[str] = field(default_factory=list)
    # [event id, replies] of the last turn saved, as presented: sent again when that very
    # turn is replayed after its process died before sending them (conversations.replays)
    last_replies: list[Any] | None = None
    # set by «delete my data» for the turn's save: the account's remembered language is
    # dropped with it (never saved True: the engine clears it before writing)
    forget_locale: bool = False
    # [request number, ISO time] of the last request to reconsider the person sent: a photo
    # right after it is answered about it (conversations.stray_files)
    reconsidered: list[str] | None = None
    # [request number, event id] of the turn that sent a note about it: more words right
    # after it are offered as another note on it (conversations.note_more)
    noted: list[str] | None = None
    # the words typed after ``/note`` (and its number, if any) while the request they are
    # about is asked for: they become the note once it opens (conversations.say_commands)
    note_words: str | None = None
    # the last turn's replies ended by asking for the person's number with a control that
    # stays on screen (Telegram's reply keyboard): the next turn's replies take it away
    contact_keyboard: bool = False
    # when the person's last turn was read (ISO): a decision told after it is the last
    # thing they saw, so a bare «5» typed now answers its rating question (say_parts)
    last_turn_at: str | None = None
    # [event id, request numbers] of the turn that last asked «هل رسالتك هي الإجابة…؟»
    # about a message its step refused: not asked again in the very next turn (fresh-clone
    # tester 16 §6: four times in a row at the identity step)
    answer_offered: list[str] | None = None
    # the event id of the turn whose last reply was a status answer with nothing under it
    # (conversations.flows.status): when it is the turn just before (``handled[-1]``), a
    # lone 10-digit number is another request number, mistyped or not
    status_turn: str | None = None
    # when a turn last found that this chat had filed no request (ISO), cleared when one
    # is filed: the readings that ask for its requests answer from it a while
    # (conversations.known_requests)
    no_requests_at: str | None = None
    # the requests the person's first words named beside the one just filed, each [service
    # id, for whom, applicant] (conversations.flows.later_requests): the confirmation's
    # «الطلب التالي» starts the first; a new draft drops them
    next_requests: list[list[str]] | None = None
    version: int = 0

    def to_json(self) -> str:
        # The fields as they are, not dataclasses.asdict: asdict deep-copies every nested
        # dict and list first (the profile of bench/dialogue.py showed it at ~1.6 ms of a
        # turn, once per turn); json.dumps reads them without copying.
        fields = {name: getattr(self, name) for name in _FIELDS}
        return json.dumps(fields, ensure_ascii=False, separators=(",", ":"), default=_plain)

    @classmethod
    def from_json(cls, raw: str | bytes) -> DialogueState:
        data: dict[str, Any] = json.loads(raw)
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def fresh_draft(self) -> DialogueState:
        """A new draft that keeps what belongs to the person, not to the request."""
        return DialogueState(
            locale=self.locale,
            locale_set=self.locale_set,
            locale_chosen=self.locale_chosen,
            last_request=self.last_request,
            suspended=self.suspended,
            held_aside=self.held_aside,
            discarded=self.discarded,
            welcomed=self.welcomed,
            welcome_turn=self.welcome_turn,
            reconsidered=self.reconsidered,
            noted=self.noted,
            last_turn_at=self.last_turn_at,
            no_requests_at=self.no_requests_at,
            seen=self.seen,
            handled=self.handled,
            version=self.version,
        )

    def mark_handled(self, event_id: str) -> None:
        """Keeps `event_id` among the last HANDLED_MAX turns' ids, saved with this turn."""
        if event_id not in self.handled:
            self.handled = [*self.handled[-(HANDLED_MAX - 1) :], event_id]

    def has_data(self) -> bool:
        """True when the draft holds something the person typed or sent (numbers, words,
        files): losing it would cost them more than a tap."""
        return any(self.answers.get(k) for k in _TYPED)

    def is_blank(self) -> bool:
        """True when nothing is chosen yet beyond the first question: nothing to come back to."""
        return all(k == "applicant" for k in self.answers)

    def snapshot(self) -> dict[str, Any]:
        """The draft's own fields (see :meth:`suspend`), to keep aside or bring back."""
        return {
            "flow": self.flow,
            "step": self.step,
            "answers": self.answers,
            "history": self.history,
            "editing": self.editing,
            "draft_id": self.draft_id,
            "albums": self.albums,
        }

    def suspend(self) -> None:
        """Puts the current draft aside (kept whole) so another flow can run."""
        self.suspended = self.snapshot()

    def resume(self) -> bool:
        """Brings back the draft put aside; False when there was none."""
        saved, self.suspended = self.suspended, None
        if not saved:
            return False
        for name, value in saved.items():
            setattr(self, name, value)
        return True


_FIELDS = tuple(DialogueState.__dataclass_fields__)


def _plain(value: Any) -> Any:
    """A dataclass met inside the state (asdict turned them into dicts), as a dict."""
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def replace_state(state: DialogueState, fresh: DialogueState) -> None:
    """Replaces the content of ``state`` in place, keeping its version for the CAS write."""
    version = state.version
    for name in DialogueState.__dataclass_fields__:
        setattr(state, name, getattr(fresh, name))
    state.version = version
