"""The status look-up's prompts (a request from the list, a request number, an identity
number) and their way out.

Found by tester 11 (fault 1): the request-number prompt captured everything typed next.
With a draft waiting at its summary, «تأكيد», «ارسال» and «ارسل الطلب» were each told
«رقم الطلب يتكون من ١٠ أرقام», «ما عندي رقم» too, and only «رجوع» got out; the person
thought their request could not be sent. What the prompts now do with a message that is
not a number:

- words saying there is no number («ما عندي رقم», «نسيت الرقم»: ``no_number`` in
  ``conversations/data/status_exits.json``) get advice: the requests filed from this chat
  are listed (they need no number); otherwise where the number is found, and that a
  request filed elsewhere is looked up here with its number and the identity number it
  was filed with, as this flow asks; with a draft waiting, the way back to it;
- words that ask to send («تأكيد», «ارسال»: ``send``) with no draft waiting are told there
  is nothing to send (or that the last request was sent already); with a draft waiting
  the engine takes them there (:mod:`conversations.status_exits`);
- each other miss (a number that is not one, words) is counted in the look-up's answers
  (the dialogue state, in Redis, so on any worker); from the second one on, the reply
  says the way out and offers it as a choice (a button, or a numbered line where the
  channel has none): «العودة إلى طلبي» when a draft waits, «إلغاء» otherwise.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from conversations.events import Option
from conversations.flow import Ctx, Outcome, Retry
from conversations.state import DialogueState
from conversations.understanding import content_words, words

#: The look-up's steps that ask the person to type a number.
PROMPT_STEPS = ("pick", "number", "identity")
#: «العودة إلى طلبي»: the draft put aside for the look-up, brought back.
RESUME = "resume"
#: The misses at the prompts (answers of the look-up) and whether the way out is shown.
MISSES = "misses"
WAY_OUT = "way_out"
# the miss from which the way out is said and offered
WAY_OUT_FROM = 2
# the flow whose drafts are put aside for a look-up (conversations.moves._open_status)
_INTAKE = "intake"
_DATA = Path(__file__).resolve().parent.parent / "data" / "status_exits.json"


@dataclass(frozen=True, slots=True)
class _ExitWords:
    send: frozenset[str]
    objects: frozenset[str]
    lack: tuple[tuple[str, ...], ...]
    number: frozenset[str]
    lone_words: int
    max_words: int
    another: frozenset[str]


@cache
def _exit_words() -> _ExitWords:
    raw: dict[str, Any] = json.loads(_DATA.read_text(encoding="utf-8"))
    no_number = raw["no_number"]
    return _ExitWords(
        send=frozenset(" ".join(words(w)) for w in raw["send"]),
        objects=frozenset(" ".join(words(w)) for w in raw["send_objects"]),
        lack=tuple(tuple(words(p)) for p in no_number["lack"]),
        number=frozenset(" ".join(words(w)) for w in no_number["number"]),
        lone_words=int(no_number["lone_words"]),
        max_words=int(no_number["max_words"]),
        another=frozenset(" ".join(content_words(w)) for w in raw["another_number"]),
    )


def not_a_number(text: str) -> bool:
    """Words, not a number being typed: a letter and no digit (of any script). «رقم
    طلبي 50383» is a number typed badly, and the step says what is wrong with it."""
    return any(ch.isalpha() for ch in text) and not any(ch.isdigit() for ch in text)


def is_question(text: str) -> bool:
    """A message ending in «?» or «؟» (trailing spaces aside): it asks, it does not order.
    Review 11, §1: «sent?», «ارسل؟» («أُرسِل؟», was it sent?) at the number prompt
    filed the draft waiting at its summary."""
    return text.rstrip().endswith(("?", "؟"))


def only_symbols(text: str) -> bool:
    """A message of emoji or symbols only («👍», «✅», «👍🏽»): no letter, no digit, and
    at least one symbol (Unicode category So). Review 11, §1: a person who meant yes with
    «👍» was told a request number has 10 digits."""
    return not any(ch.isalnum() for ch in text) and any(
        unicodedata.category(ch) == "So" for ch in text
    )


def asks_to_send(text: str) -> bool:
    """Whether the message asks, unmistakably, for a request to be sent: only words of
    ``send`` (at least one), of ``send_objects`` and fillers («تأكيد», «ارسل الطلب»,
    «ابي ارسل طلبي», «confirm and send»). A plain yes, «خلاص» or any other word makes it
    not so (see status_exits.json)."""
    data = _exit_words()
    tokens = content_words(text)
    return any(t in data.send for t in tokens) and all(
        t in data.send or t in data.objects for t in tokens
    )


def asks_another_number(text: str) -> bool:
    """Whether the message asks to look up another request by its number («رقم طلب
    آخر», «ابي رقم طلب ثاني», «another request number»: ``another_number``)."""
    return " ".join(content_words(text)) in _exit_words().another


def says_no_number(text: str) -> bool:
    """Whether a short message says the person has no request number («ما عندي رقم»,
    «نسيت رقم الطلب», «I forgot the number», «نسيته»)."""
    data = _exit_words()
    tokens = words(text)
    if not tokens or len(tokens) > data.max_words or not not_a_number(text):
        return False
    lacks = any(_contains(tokens, phrase) for phrase in data.lack)
    return lacks and (
        any(t in data.number for t in tokens) or len(content_words(text)) <= data.lone_words
    )


def forgot_request_number(text: str) -> bool:
    """Whether a short message says the person lacks their *request* number («نسيت رقم
    الطلب», «ضاع رقم طلبي», «I forgot my request number»): at the first question it is a
    status look-up's matter (helper 21: «يُرجى اختيار واحد من ٤ خيارات»)."""
    return says_no_number(text) and any(t.startswith(("طلب", "request")) for t in words(text))


def no_number_at_prompt(state: DialogueState, text: str) -> bool:
    """«ما عندي رقم» at one of the look-up's prompts, which the prompt answers: not a
    question for the knowledge base («ما اعرف رقم طلبي» reads like one)."""
    return state.flow == "status" and state.step in PROMPT_STEPS and says_no_number(text)


def _contains(tokens: list[str], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return size > 0 and any(
        tuple(tokens[i : i + size]) == phrase for i in range(len(tokens) - size + 1)
    )


def waiting_draft(state: DialogueState) -> dict[str, Any] | None:
    """The request put aside for the look-up (its snapshot), or None: nothing was being
    filled in when the look-up opened (a draft with nothing chosen is not put aside)."""
    saved = state.suspended
    if not saved or saved.get("flow") != _INTAKE:
        return None
    return saved


def way_out_shown(state: DialogueState) -> bool:
    """Whether the prompts offer the way out: after the second miss, after the advice to
    someone without a number, or when the person came back to the prompt."""
    answers = state.answers
    return bool(answers.get(WAY_OUT)) or int(answers.get(MISSES, 0)) >= WAY_OUT_FROM


def way_out_options(ctx: Ctx) -> tuple[Option, ...]:
    """The way out as a choice, once shown: «العودة إلى طلبي» when a draft waits (without
    one, «إلغاء», which every prompt carries, leads to the main menu)."""
    if not way_out_shown(ctx.state) or waiting_draft(ctx.state) is None:
        return ()
    _ = ctx.texts.gettext
    return (Option(RESUME, _("Back to my request")),)


def way_out_line(ctx: Ctx) -> str:
    """The way out in words: the choice's label and the word to type."""
    _ = ctx.texts.gettext
    if waiting_draft(ctx.state) is not None:
        return _(
            "If you don't have the number at hand, choose «%(resume)s» (or type «%(back)s») to finish your request: it has not been sent yet."
        ) % {"resume": _("Back to my request"), "back": _("Back")}
    return _(
        "If you don't have the number at hand, choose «%(cancel)s» to go back to the main menu."
    ) % {"cancel": _("Cancel")}


def counted(ctx: Ctx, outcome: Outcome) -> Outcome:
    """A miss at the list or the number prompt (the step stays: ``Retry``) counted; from
    the second one, the way out said under what was wrong, and offered."""
    state = ctx.state
    if (
        not isinstance(outcome, Retry)
        or state.flow != "status"
        or state.step not in ("pick", "number")
    ):
        return outcome
    misses = int(state.answers.get(MISSES, 0)) + 1
    state.answers[MISSES] = misses
    if misses < WAY_OUT_FROM:
        return outcome
    return Retry(f"{outcome.hint}\n{way_out_line(ctx)}")


def words_not_a_number(ctx: Ctx, typed: str, ask: str) -> str:
    """What words typed at the number prompt (no draft waiting: the engine takes them to
    one otherwise) are told: a wish to send, that nothing waits to be sent (or that the
    last request was sent already); anything else, that no request number was found;
    then the prompt's question ``ask`` again."""
    _ = ctx.texts.gettext
    if asks_to_send(typed) and ctx.state.last_request:
        said = _("Your request %(number)s has already been sent.") % {
            "number": ctx.state.last_request
        }
    elif asks_to_send(typed):
        said = _("There is no request waiting to be sent.")
    else:
        said = _("I found no request number in your message.")
    return f"{said}\n{ask}"


def no_number_advice(ctx: Ctx, *, identity: bool = False) -> Retry:
    """The advice to someone who says they have no request number and has no request
    filed from this chat (those are listed instead: they need no number): where the
    number is, and that a request filed elsewhere is looked up here with its number and
    then the identity number it was filed with, as this flow asks. At the identity step
    (``identity``): why that number is needed, and who can always see the request. A
    draft waiting is named, with the way back to it, which the prompt then offers."""
    _ = ctx.texts.gettext
    state = ctx.state
    state.answers[WAY_OUT] = True
    if identity:
        lines = [
            _(
                "Without the identity number the request was filed with, its status cannot be shown here: this protects the applicant's privacy. Whoever filed it can see its status at any time from the chat they filed it from."
            )
        ]
    else:
        lines = [
            _(
                "No problem. The request number (10 digits) is in the message «Your request has been received» sent when the request was filed, and on the receipt image sent with it. If the request was filed from another chat or account, ask whoever filed it for the number, then type it here: you will then be asked for the identity number it was filed with."
            )
        ]
    if waiting_draft(state) is not None:
        lines.append(
            _(
                "The request you started here has not been sent yet: choose «%(resume)s» to finish it."
            )
            % {"resume": _("Back to my request")}
        )
    return Retry("\n".join(lines))
