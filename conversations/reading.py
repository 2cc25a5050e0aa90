"""How a typed message is read before a step sees it: as the button it names (its number
or label, or the same in other words), as a navigation word, as a wish to know a request's
status or to change the language, or as a kind of message no step can use.

Pure functions of the message and the dialogue state; the engine decides what to do.
"""

from __future__ import annotations

import re

from conversations import languages
from conversations.buttons import ANOTHER_NUMBER
from conversations.events import (
    Choice,
    Command,
    Contact,
    Event,
    Media,
    Text,
    Unsupported,
)
from conversations.flow import Ctx
from conversations.flows.phone_help import shares_by_button
from conversations.flows.status_ordinals import LAST, menu_position
from conversations.flows.status_prompt import says_no_number
from conversations.keywords import global_action
from conversations.state import DialogueState
from conversations.status_question import is_status_question
from domain.normalize import clean_input, digits_only, fold_arabic
from domain.request_number import (
    FIRST_DIGITS,
    looks_like_request_number,
    mistyped_request_number,
)

NAV_IDS = ("back", "cancel", "help", "restart", "new")
#: The navigation every question carries: named under it, never numbered, on every channel
#: (the terminal's bullets, WhatsApp's «You can also type…»), so a typed number never
#: means one of them.
NAMED_NAV = ("back", "help", "cancel")
START_STEPS = ("", "done")
#: The status look-up's steps where asking about one's request again starts it over.
STATUS_RESTART_STEPS = ("pick", "number")


def navigation(event: Event) -> str | None:
    """The navigation action a command, button or typed word asks for, if any."""
    if isinstance(event, Command):
        return {"start": "restart", "new": "restart"}.get(event.name, event.name)
    if isinstance(event, Choice) and event.id in NAV_IDS:
        return "restart" if event.id == "new" else event.id
    if isinstance(event, Text):
        return global_action(event.text)
    return None


def status_wish(event: Event, state: DialogueState) -> tuple[bool, str | None]:
    """Whether the person asks about a request (and which number, if they gave one)."""
    if isinstance(event, Command) and event.name in ("status", "my", "requests"):
        return True, event.args or None
    if isinstance(event, Choice) and event.id in ("status", ANOTHER_NUMBER):
        return True, None
    if isinstance(event, Choice) and event.id.startswith("st:"):
        return True, event.id.removeprefix("st:")
    if not isinstance(event, Text):
        return False, None
    if state.flow == "status":
        # «وين طلبي» again at the list or the number prompt starts the look-up over (found
        # by the tester: it was answered with a question topic); elsewhere in the look-up
        # a message is the number or identity number asked for
        # «ما اعرف رقم طلبي» is no new look-up but no number: the prompt advises
        if state.step in STATUS_RESTART_STEPS and is_status_question(event.text):
            if says_no_number(event.text):
                return False, None
            typed = looks_like_request_number(event.text) or mistyped_request_number(event.text)
            return True, typed
        return False, None
    if state.step == "description":
        # a description is the person's own words, whatever they say, unless the whole
        # message is a status question or a request number (found by the fresh-clone
        # tester: «وين طلبي» there was read as a question topic, a request number kept
        # as the description)
        return status_at_description(event.text)
    # other flows read text
    if state.flow != "intake" and state.step not in START_STEPS:
        return False, None
    if is_status_question(event.text):
        # a number with a wrong check digit is named as mistyped, not dropped (tester 13 §14)
        typed = looks_like_request_number(event.text) or mistyped_request_number(event.text)
        return True, typed
    # where an identity number is typed, a number is that number, not a request's
    if state.step in ("identity", "establishment"):
        return False, None
    # a message that carries a well-formed request number ("طلبي 4512-345-671")
    number = looks_like_request_number(event.text)
    if number is not None:
        return True, number
    typed = clean_input(event.text)
    bare = digits_only(typed)
    if (
        len(bare) == 10
        and bare.isdigit()
        and len(bare) == sum(ch.isdigit() for ch in typed)
        # identity (1, 2, 3), establishment (7) and mobile (0) numbers are never requests
        and bare[0] in FIRST_DIGITS
    ):
        # a lone 10-digit number here can only be a request number (or a mistyped one)
        return True, bare
    return False, None


#: The most words a whole-message status question has at the description step («وين
#: وصل طلبي رقم 4512345671», «هل صار شي على طلبي؟»); a longer one that speaks of a
#: request («قدمت طلب تجديد قبل شهر وما جاني رد…») is a description of a problem.
STATUS_WORDS_AT_DESCRIPTION = 6
#: The most words around a request number that still make it a look-up there
#: («رقم طلبي 4512345671»).
NUMBER_WORDS_AT_DESCRIPTION = 3


def typed_request_number(text: str) -> str | None:
    """The request number in ``text``, well formed or mistyped, else a run of three digits
    or more that is no year (the look-up says what is wrong with it: too short, an
    identity number…; «قدمته في 2024» or «١٤٤٦» tells when, not which); None when it
    holds none."""
    found = looks_like_request_number(text) or mistyped_request_number(text)
    if found is not None:
        return found
    runs = re.findall(r"[0-9]{3,}", digits_only(text))
    return next((run for run in runs if not _YEAR.fullmatch(run)), None)


#: A year, Gregorian or Hijri, as people date a request («2024», «1446»).
_YEAR = re.compile(r"(?:19|20|14)[0-9]{2}")


def status_at_description(text: str) -> tuple[bool, str | None]:
    """Whether a message at the description step asks about a request (and which number):
    only when the whole message is a short status question
    (:data:`STATUS_WORDS_AT_DESCRIPTION` words at most), or a request number with at most
    :data:`NUMBER_WORDS_AT_DESCRIPTION` words around it. Anything longer is the person's
    description, even when it speaks of a request's status."""
    number = looks_like_request_number(text)
    typed = clean_input(text)
    if number is not None:
        around = [w for w in typed.split() if not any(ch.isdigit() for ch in w)]
        if len(around) <= NUMBER_WORDS_AT_DESCRIPTION:
            return True, number
    if len(typed.split()) <= STATUS_WORDS_AT_DESCRIPTION and is_status_question(text):
        return True, number
    return False, None


#: The most words a message may have at a step that takes the person's own words (the
#: description, an answer to an officer) and still be read as a request for a language
#: («please answer in English», «كلمني بالعربي لو سمحت»): a longer one is their words,
#: kept, even when it says «ما اعرف انجليزي» in passing.
LANGUAGE_WISH_WORDS_IN_FREE_TEXT = 12


def language_wish(
    event: Event, offered: list[list[str]], locale: str = "", *, free_text: bool = False
) -> str | None:
    """The language a message asks for; "" to offer both (a bare /lang); None otherwise.

    With ``free_text`` (the step keeps what is typed) a typed message asks for a language
    only when it is short and asks for one other than ``locale``, the one in use: found by
    this session's review, a 17-word description holding «ما اعرف انجليزي» was taken as a
    wish for Arabic, answered «سأكمل معك باللغة العربية», and its words were lost."""
    if isinstance(event, Command) and event.name in ("lang", "language"):
        return languages.language_argument(event.args) or ""
    chosen = as_choice(event, offered)
    if isinstance(chosen, Choice) and chosen.id.startswith("lang:"):
        return chosen.id.removeprefix("lang:")
    if not isinstance(event, Text):
        return None
    asked = languages.language_asked(event.text)
    if free_text and (
        asked == locale or len(event.text.split()) > LANGUAGE_WISH_WORDS_IN_FREE_TEXT
    ):
        return None
    return asked


def own_options(offered: list[list[str]]) -> list[tuple[str, str]]:
    """The step's own options, without the buttons every step has (typed as words)."""
    return [(o[0], o[1]) for o in offered if o[0] not in NAV_IDS and o[0] != "share_contact"]


def as_choice(event: Event, offered: list[list[str]], *, numbers: bool = True) -> Event:
    """A typed "2", "٢" or a button's label answers like pressing the button; with
    ``numbers`` False (a step that asks for the person's own words) a number stays text."""
    if not isinstance(event, Text) or not offered:
        return event
    typed = clean_input(event.text)
    numbered = _numbered(offered)
    place = _menu_number(typed, len(numbered)) if numbers and numbered else None
    if place is not None and 1 <= place <= len(numbered):
        return Choice(event.origin, numbered[place - 1][0])
    folded = fold_arabic(typed)
    for option_id, label in offered:
        # a label's closing note aside: «تجديد جواز السفر» picks «تجديد جواز السفر
        # (للمواطنين فقط)» (tester 14 §1, conversations.citizens_only)
        if folded and folded in (fold_arabic(label), fold_arabic(_LABEL_NOTE.sub("", label))):
            return Choice(event.origin, option_id)
    return event


def _numbered(offered: list[list[str]]) -> list[list[str]]:
    """The options a typed number picks; none where a number is the step's own answer."""
    # the share-my-number control is not a numbered choice on any channel, nor is the
    # navigation (:data:`NAMED_NAV`): found by the fresh-clone tester, «3» at the
    # documents step (whose only numbered choice is «تم») opened the help
    numbered = [o for o in offered if o[0] != "share_contact" and o[0] not in NAMED_NAV]
    # where the phone number is asked for, digits are (part of) a phone, never a menu
    # number: a stray «١» there once went back a step without a word
    if any(o[0] == "share_contact" for o in offered):
        return []
    # with only navigation offered (back, help, cancel: shown by name, never numbered, on
    # every channel) the step takes a number, and a lone «3» at the identity step once
    # cancelled the draft without a word
    if all(o[0] in NAV_IDS for o in numbered):
        return []
    return numbered


def _menu_number(typed: str, count: int) -> int | None:
    """``typed`` as the place of an option in a menu of ``count``, None when it is none: a
    number of a digit or two, alone or after «رقم» (int() of thousands of digits raises,
    and is slow), or an ordinal («الثاني»; «الأخير» the last)."""
    if typed.isdigit():
        return int(typed) if len(typed) <= 3 else None
    place = menu_position(typed)
    return count if place == LAST else place


#: The most digits of a number typed alone that is no one's words: a choice's number,
#: not an identity, request or phone number (each read where it is meant).
_SHORT_NUMBER = 3


def short_number_alone(text: str) -> bool:
    """Whether ``text`` is only a short number («1», «٢»): at a step that takes the
    person's words (a description, a note), no words of theirs."""
    typed = clean_input(text).strip()
    return typed.isdigit() and len(typed) <= _SHORT_NUMBER


def picked_by_place(event: Text, offered: list[list[str]], *, numbers: bool) -> str | None:
    """Where ``event`` names an option by its place («2», «رقم ٢», «الثاني», «الأخير»),
    the id of the option it picks among ``offered`` ("" when it picks none: a place past
    them, or ``numbers`` False); None when it names no place."""
    if _menu_number(clean_input(event.text), 1) is None:
        return None
    chosen = as_choice(event, offered, numbers=numbers)
    return chosen.id if isinstance(chosen, Choice) else ""


def number_beyond(event: Event, offered: list[list[str]]) -> int | None:
    """How many options are numbered when ``event`` is a menu number past them (or 0):
    «٩» at a menu of five. None for anything else."""
    if not isinstance(event, Text):
        return None
    typed = clean_input(event.text)
    numbered = _numbered(offered)
    place = _menu_number(typed, len(numbered)) if numbered else None
    if place is None or place > 99:
        return None
    return len(numbered) if not 1 <= place <= len(numbered) else None


#: A note in brackets that ends a button's label («(للمواطنين فقط)»): not typed with it.
_LABEL_NOTE = re.compile(r"\s*\([^()]*\)\s*$")


def at_documents_step(ctx: Ctx, event: Event) -> str | None:
    """At the documents step, a voice note, a location, a sticker or a message of a kind
    nothing reads: said so with what the step wants, photos or PDF files and «Done»; None
    elsewhere or for anything else. Found by tester 12 (§20, WhatsApp): a voice note or a
    location there was told «فضلًا اكتب إجابتك», though the step asks for no written answer."""
    if ctx.state.step != "attachments":
        return None
    _ = ctx.texts.gettext
    if isinstance(event, Unsupported):
        if event.kind in ("location", "venue"):
            said = _("Thank you, but a location isn't needed here.")
        else:
            said = _("I can't use this kind of message here.")
    elif isinstance(event, Media) and event.kind in ("voice", "audio"):
        said = _("I can't listen to voice messages yet.")
    elif isinstance(event, Media) and event.kind in ("sticker", "animation"):
        said = _("Stickers can't be used here.")
    else:
        return None
    wants = _(
        "What this step needs is photos or PDF files of the documents, then «Done» when they are all sent."
    )
    return f"{said} {wants}"


def at_phone_step(ctx: Ctx, event: Event) -> str | None:
    """At the phone step, a voice note, a sticker, a video, a location or a message of a
    kind nothing reads: said so with what the step wants, the «Share my number» button
    where the number comes from it (conversations.flows.phone_help.shares_by_button),
    the number typed elsewhere; None elsewhere or for anything else. Found by tester 13
    (§18, Telegram): a voice note there was told «يُرجى كتابة إجابتك», though the step's
    answer is a button."""
    if ctx.state.flow != "intake" or ctx.state.step != "phone":
        return None
    _ = ctx.texts.gettext
    if isinstance(event, Unsupported) and event.kind in ("location", "venue"):
        said = _("Thank you, but a location isn't needed here.")
    elif isinstance(event, Media) and event.kind in ("voice", "audio"):
        said = _("I can't listen to voice messages yet.")
    elif isinstance(event, Media) and event.kind in ("sticker", "animation"):
        said = _("Stickers can't be used here.")
    elif isinstance(event, Unsupported) or (isinstance(event, Media) and event.kind == "video"):
        said = _("I can't use this kind of message here.")
    else:
        return None
    if shares_by_button(ctx):
        wants = _(
            "What this step needs is your mobile number: please press «%(share)s» below the typing box."
        ) % {"share": _("Share my number")}
    else:
        wants = _("What this step needs is your mobile number: please type it in digits.")
    return f"{said} {wants}"


def unusable(ctx: Ctx, event: Event, *, words_with_files: bool = False) -> str | None:
    """A polite word for kinds of message no step can use; None when a step should decide.
    With ``words_with_files`` (a step that takes files) a file with a caption goes to the
    step whatever its kind: the words count even when the file can't."""
    _ = ctx.texts.gettext
    if words_with_files and isinstance(event, Media) and (event.caption or "").strip():
        return None
    if isinstance(event, Command):
        return _("I don't know that command. You can use the buttons, or type «help».")
    at_step = at_documents_step(ctx, event) or at_phone_step(ctx, event)
    if at_step is not None:
        return at_step
    if isinstance(event, Unsupported):
        if event.kind in ("location", "venue"):
            return _("Thank you, but a location isn't needed here. Please type your answer.")
        return _("I can't use this kind of message here. Please type your answer.")
    if isinstance(event, Media):
        if event.kind in ("voice", "audio"):
            return _("I can't listen to voice messages yet. Please type your answer.")
        if event.kind in ("sticker", "animation"):
            return _("Stickers can't be used here. Please type your answer or choose a button.")
        if event.kind == "video":
            return _("Videos can't be attached. Please send photos or PDF files instead.")
    if isinstance(event, Contact) and ctx.state.step != "phone":
        return _("I don't need a phone number at this step.")
    return None
