"""What the person reads about their say after filing (issue 13): the satisfaction question
that follows a decision, the «Ask to reconsider» button under a rejection, the answer to a
reconsideration, and the buttons' data.

The staff desk writes the first three into the outbox with the decision, in the person's
language, like every notice (see :mod:`conversations.notifications`). Button data is short
ASCII: ``rate:<number>:<1-5>``, ``note:<number>``, ``recon:<number>`` (at most 17 bytes).
"""

from __future__ import annotations

from pathlib import Path

from conversations.events import Option, Reply
from conversations.formatting import Digits, isolate, present
from conversations.i18n import Texts
from conversations.reconsider_matter import about_another_matter
from conversations.wishes import negated, wish
from domain.request_number import InvalidRequestNumber, parse_request_number
from domain.their_say import RATINGS, parse_rating

RATE = "rate:"
NOTE = "note:"
RECONSIDER = "recon:"
#: The one button under the comment question: no comment.
NO_COMMENT = "nocomment"

#: The phrases that ask for a note or a reconsideration in words.
THEIR_SAY_DATA = Path(__file__).resolve().parent / "data" / "their_say.json"
#: A message longer than this many words is not read as asking for a note or a review.
MAX_WISH_WORDS = 10
#: A negation among this many words before a reconsideration phrase says it is not wanted.
NEGATION_WORDS = 4


def say_wish(text: str) -> str | None:
    """ "note" or "recon" when a short message asks to add a note or a document to a
    request, or for a rejection to be reconsidered; None otherwise. A reconsideration
    said not to be wanted (a word of their_say.json ``reconsider_negations`` among the
    :data:`NEGATION_WORDS` before it: «ما ابي اعادة النظر», «no need to appeal») is no
    wish for one.

    Found in session 12: «ما ابي اعادة النظر» typed outside the comment prompt was read
    as asking for a reconsideration, and the person was asked for its reason."""
    found = wish(
        text, THEIR_SAY_DATA, (("reconsider", "recon"), ("note", "note")), max_words=MAX_WISH_WORDS
    )
    if found == "recon" and negated(
        text, THEIR_SAY_DATA, "reconsider", "reconsider_negations", within=NEGATION_WORDS
    ):
        return wish(text, THEIR_SAY_DATA, (("note", "note"),), max_words=MAX_WISH_WORDS)
    if found == "recon" and about_another_matter(text):
        # «ابي اتظلم على الموظف»: a complaint about someone, no reconsideration of a
        # request (session 16: «لم يُرفض أيٌّ من طلباتك», the words lost)
        return None
    return found


def rate_id(number: str, rating: int) -> str:
    return f"{RATE}{number}:{rating}"


def note_id(number: str) -> str:
    return f"{NOTE}{number}"


def reconsider_id(number: str) -> str:
    return f"{RECONSIDER}{number}"


def parse_say(data: str) -> tuple[str, str, int | None] | None:
    """(what, request number, rating) of a say button: what is "rate", "note" or "recon";
    None when ``data`` is not one or is malformed (a forged value is never guessed at)."""
    for prefix in (RATE, NOTE, RECONSIDER):
        if not data.startswith(prefix):
            continue
        rest = data.removeprefix(prefix)
        rating: int | None = None
        if prefix == RATE:
            rest, _sep, raw = rest.partition(":")
            rating = parse_rating(raw)
            if rating is None:
                return None
        try:
            number = parse_request_number(rest)
        except InvalidRequestNumber:
            return None
        return prefix.rstrip(":"), number, rating
    return None


def rating_labels(texts: Texts) -> dict[int, str]:
    """The five answers, as short as WhatsApp's list rows want them (24 characters)."""
    _ = texts.gettext
    return {
        5: "⭐⭐⭐⭐⭐ " + _("Very satisfied"),
        4: "⭐⭐⭐⭐ " + _("Satisfied"),
        3: "⭐⭐⭐ " + _("Neutral"),
        2: "⭐⭐ " + _("Dissatisfied"),
        1: "⭐ " + _("Very dissatisfied"),
    }


def survey_reply(locale: str, number: str, arabic_digits: Digits = "arab") -> Reply:
    """How satisfied the person is with the handling of ``number``: five buttons, one star
    first, so that on every channel the row's number, its stars and a typed digit agree
    (tester 14, §2: WhatsApp numbered the rows «1. ⭐⭐⭐⭐⭐ … 5. ⭐» while a typed «1» is one
    star, as «5 من 5» is five everywhere). Answerable at any time later; it never
    interrupts a dialogue under way."""
    texts = Texts(locale)
    _ = texts.gettext
    labels = rating_labels(texts)
    text = _(
        "How satisfied are you with how request %(number)s was handled? Your answer helps us "
        "improve. You can answer now or later; it won't interrupt anything you are doing."
    ) % {"number": number}
    choices = tuple(Option(rate_id(number, r), labels[r]) for r in sorted(RATINGS))
    return Reply(present(text, locale, arabic_digits), choices=choices, locale=locale)


def reconsider_option(locale: str, number: str) -> Option:
    """The button under a rejection (a WhatsApp reply button: 20 characters at most)."""
    _ = Texts(locale).gettext
    return Option(reconsider_id(number), _("Ask to reconsider"))


def reconsider_hint(locale: str) -> str:
    """Said under a rejection that may still be reconsidered."""
    _ = Texts(locale).gettext
    return _(
        "If you think something was missed, you can ask once, with your reason, for the decision to be reconsidered."
    )


def kept_notice(
    locale: str,
    number: str,
    service_name: str,
    reason: str | None,
    why: str | None = None,
    arabic_digits: Digits = "arab",
) -> Reply:
    """The answer to a reconsideration when the officers keep the rejection: the
    officer's reason for keeping it (``why``), or, when they gave none, said so politely
    with the rejection's own ``reason``."""
    _ = Texts(locale).gettext
    head = _("Update on your request %(number)s (%(service)s):") % {
        "number": number,
        "service": service_name,
    }
    body = _("Your request was looked at again, and the decision stays: it was not accepted.")
    if why:
        body += "\n" + _("The officer's reason: %(reason)s") % {"reason": isolate(why)}
    elif reason:
        body += "\n" + _(
            "The officer gave no further reason; the reason given with the decision stays: %(reason)s"
        ) % {"reason": isolate(reason)}
    else:
        body += "\n" + _("The officer gave no further reason.")
    body += "\n" + _(
        "You can book an appointment at the nearest passports branch through Absher (Appointments) and bring the documents, or file a new request."
    )
    return Reply(present(f"{head}\n{body}", locale, arabic_digits), locale=locale)
