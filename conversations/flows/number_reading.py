"""Reading a typed number at a number step: its digits among words, what is wrong with it
in words, what a number typed at the wrong step looks like, and whether a message is a
sentence rather than a number. Split from :mod:`conversations.flows.intake_numbers`
(454 lines), which keeps the establishment's and the identity's steps; the mobile
number's step (:mod:`conversations.flows.intake_phone`) and the numbers typed first
(:mod:`conversations.flows.numbers_first`) read numbers with these too."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import TypeVar

from conversations.events import Event, Text
from conversations.flow import Ctx, Prompt, Retry
from conversations.flows.description_early import keep_early
from conversations.formatting import isolate
from domain.identity import InvalidIdentityNumber
from domain.normalize import clean_input, digits_only, stray_letters
from domain.number_shapes import number_shape

# the most digits a sentence at a number step may hold and still be read as words: a
# count or a fee, a Gregorian or Hijri year, never most of a 10-digit number
SENTENCE_DIGITS = 4

#: Digits and what people put between their groups (after clean_input: ASCII digits).
NUMBER_RUN = re.compile(r"[0-9]+(?:[ \-./][0-9]+)*")

# what a number step keeps: the establishment number as typed, or an IdentityNumber
_Number = TypeVar("_Number")


def shape_names(ctx: Ctx) -> dict[str, str]:
    _ = ctx.texts.gettext
    return {
        "citizen": _("a national ID number"),
        "resident": _("an iqama number"),
        "border": _("a border number"),
        "establishment": _("an establishment's unified number"),
        "request": _("a request number"),
        "mobile": _("a mobile number"),
    }


def wrong_number(ctx: Ctx, typed: str, wanted: tuple[str, ...], asked: str) -> str | None:
    """What a number typed at the wrong step looks like (:func:`domain.number_shapes.
    number_shape`: an establishment number at the worker's step, a request number at the
    identity step...), and what the step asks for (``asked``); None when it looks like
    one of the ``wanted`` shapes or like no number, for the step's own parser to answer.
    Found by the fresh-clone tester: such numbers got «the first digit doesn't match»,
    which did not say which number had been sent."""
    _ = ctx.texts.gettext
    shape = number_shape(typed)
    if shape is None or shape in wanted:
        return None
    lines = [_("This looks like %(what)s.") % {"what": shape_names(ctx)[shape]}]
    if shape == "request":
        lines.append(
            _("To ask about a request, type «%(status)s».") % {"status": _("My request status")}
        )
    return "\n".join([*lines, asked])


def number_in_words(text: str) -> str:
    """The number of a message that names it in words too («رقم اقامتي ٢٠٠٠ ٠٠٠ ٠٠٦»): its
    digits when there are exactly ten of them, else ``text`` unchanged (so the parser
    says what is wrong with it). A letter inside the number («2123456788x») is not a word
    around it: the text is left as typed, for the parser to refuse."""
    if stray_letters(text):
        return text
    digits = "".join(ch for ch in text if ch.isdecimal())
    if len(digits) == 10 and any(ch.isalpha() or _is_emoji(ch) for ch in text):
        return digits
    return text


def _is_emoji(ch: str) -> bool:
    """An emoji or its skin tone, as typed beside a number («2000000006 👍»: helper 233,
    told «digits only»)."""
    return unicodedata.category(ch) in ("So", "Sk")


def number_problem(ctx: Ctx, error: InvalidIdentityNumber, typed: str) -> str:
    """What is wrong with a typed identity number, in words (by ``error.reason``)."""
    _ = ctx.texts.gettext
    ngettext = ctx.texts.ngettext
    digits = sum(ch.isdigit() for ch in typed)
    return {
        "empty": _("Please type the number."),
        "not_digits": letters_problem(ctx, typed)
        or (
            _("The number should contain digits only. Please type it again.")
            if digits
            # words alone («شغالة»): no number was typed to be «typed again»
            else _("Your message has no number in it. Please type the number in digits.")
        ),
        "length": ngettext(
            "You typed %(count)d digit, but the number has exactly 10. Please check it and type it again.",
            "You typed %(count)d digits, but the number has exactly 10. Please check it and type it again.",
            digits,
        )
        % {"count": digits},
        "prefix": _(
            "The first digit doesn't match: a national ID starts with 1, an iqama with 2 and a border number with 3. Please check it."
        ),
        "checksum": _(
            "This number doesn't look right: its last digit doesn't match the others. Please check it against the card and type it again."
        ),
    }[error.reason]


def letters_problem(ctx: Ctx, typed: str) -> str:
    """The letters typed inside a number, named (:func:`domain.normalize.stray_letters`);
    empty when there are none."""
    letters = stray_letters(typed)
    if not letters:
        return ""
    count = len(letters.replace(" ", ""))
    return ctx.texts.ngettext(
        "There is a letter among the digits you typed («%(letters)s»), so I have not taken the number. Please type it again in digits only.",
        "There are letters among the digits you typed («%(letters)s»), so I have not taken the number. Please type it again in digits only.",
        count,
    ) % {"letters": isolate(letters)}


def is_sentence(text: str) -> bool:
    """Whether ``text`` is words rather than a number: three words or more and no digit,
    or four words with letters and a few digits (a count, a fee, a year: «انتهت إقامتي
    منذ 3 أيام»), too few to be a try at a 10-digit number («رقم الإقامة حقي 2000» is
    one, and its parser answers it)."""
    digits = sum(ch.isdigit() for ch in text)
    words = text.split()
    if digits == 0:
        return len(words) >= 3
    wordy = sum(any(ch.isalpha() for ch in word) for word in words)
    return digits <= SENTENCE_DIGITS and wordy >= 4


def _words_not_number(ctx: Ctx, text: str, prompt: Prompt) -> Retry | None:
    """A sentence where a number is asked for (:func:`is_sentence`) is the request told
    too early (found by the fresh-clone tester: a description typed at the identity
    step): it is kept for the description step
    (:func:`conversations.flows.description_early.keep_early`), the person is told so and asked
    for the number again; None for anything else, which the number's parser answers."""
    if not is_sentence(text):
        return None
    early = keep_early(ctx, text)
    return Retry(f"{early}\n{prompt.text}")


def typed_number(
    ctx: Ctx,
    event: Event,
    ask: Callable[[Ctx], Prompt],
    parse: Callable[[str], _Number],
    problem: Callable[[Ctx, InvalidIdentityNumber, str], str],
) -> _Number | Retry:
    """One reading for the steps that ask for a 10-digit number (the establishment's, the
    identity): what ``parse`` makes of the typed number, or the Retry that says what is
    wrong (a photo or a button, a sentence told too early, or in ``problem``'s words a
    number ``parse`` refuses). The steps once repeated this reading line for line."""
    if not isinstance(event, Text):
        return Retry(ctx.texts.gettext("Please type the number in digits."))
    early = _words_not_number(ctx, event.text, ask(ctx))
    if early is not None:
        return early
    try:
        return parse(number_in_words(event.text))
    except InvalidIdentityNumber as error:
        return Retry(problem(ctx, error, event.text))


def ten_digit_numbers(text: str) -> list[str]:
    """The 10-digit numbers of a message, in ASCII digits, each once, in order: a run of
    digits and the separators people put inside numbers («٢٠٠٠ ٠٠٠ ٠٠٦», «2000-000-006»)
    when it holds ten digits, else each of its space-separated parts that does."""
    found: list[str] = []
    for run in NUMBER_RUN.findall(clean_input(text)):
        pieces = [run] if len(digits_only(run)) == 10 else run.split()
        for piece in pieces:
            digits = digits_only(piece)
            if len(digits) == 10 and digits.isdigit() and digits not in found:
                found.append(digits)
    return found
