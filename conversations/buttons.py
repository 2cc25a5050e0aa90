"""What a pressed button may carry: checked here, in one place, like typed input (issue 15.6).

A button's data comes back from the person's device, and anyone can send any data with a
bot's button (a Telegram callback or a WhatsApp reply id is just a string). So a button is
accepted only when it is one this person could have been shown at this point:

- one of the buttons the bot offered last (the same choices a typed number or label is
  matched against);
- one that works at every step: back, cancel, help, restart, a new request, «My request
  status», «Another request number» (under the status of a person's only request),
  «My data» (conversations.my_data), «Undo» of a deleted draft (under the message that said it was deleted), «أسئلة
  شائعة» and any of its questions (``kb:<topic>``: an answer, the step kept);
- a language the bot speaks (``lang:ar``, ``lang:en``), from any old help message;
- «Answer» about a request (``ans:N``) with N a well-formed request number; whether it is
  this person's request is the more-information flow's check, counted as an attempt;
  likewise a rating, «Add a note» and «Ask to reconsider» (``rate:N:S``, ``note:N``,
  ``recon:N``, see :mod:`conversations.their_say`).

Anything else (a forged value, or a stale button from another branch of the dialogue, such
as an establishment's service pressed after switching to individual) is refused politely,
and the step's own choices are offered again. Before the first question and after a request
was filed every message starts afresh, so there only the values that act by themselves (a
language, a request number) are checked.
"""

from __future__ import annotations

from collections.abc import Iterable

from conversations import knowledge
from conversations.events import Choice
from conversations.i18n import LOCALES, Texts
from conversations.their_say import parse_say
from domain.request_number import InvalidRequestNumber, parse_request_number

#: «Another request number» under the status of the person's only request: the look-up's
#: number prompt (with two requests or more, the list's own row does this)
ANOTHER_NUMBER = "another"
#: Buttons that work at every step.
EVERYWHERE = frozenset(
    {"back", "cancel", "help", "restart", "new", "status", ANOTHER_NUMBER, "undo", "faq", "mydata"}
)
LANGUAGE_PREFIX = "lang:"
ANSWER_PREFIX = "ans:"
#: «رجوع إلى طلبي» under a note's confirmation: the status of request N (its owner's
#: check is the status flow's, a stranger's number costs an attempt)
STATUS_PREFIX = "st:"
TOPIC_PREFIX = "kb:"


def check_button(
    choice: Choice, allowed: Iterable[str], texts: Texts, *, anywhere: bool = False
) -> Choice | str:
    """``choice`` as the dialogue may use it (an ``ans:`` number in its canonical form), or
    the polite refusal to send instead. ``allowed``: the ids of the buttons offered last; ``anywhere``: no step is under way, so other ids are harmless."""
    _ = texts.gettext
    data = choice.id
    if data.startswith(LANGUAGE_PREFIX):
        if data.removeprefix(LANGUAGE_PREFIX) in LOCALES:
            return choice
        return _refusal(texts)
    if data.startswith(ANSWER_PREFIX):
        try:
            number = parse_request_number(data.removeprefix(ANSWER_PREFIX))
        except InvalidRequestNumber:
            return _("This request is not waiting for an answer from you.")
        return Choice(choice.origin, ANSWER_PREFIX + number)
    if data.startswith(STATUS_PREFIX):
        try:
            number = parse_request_number(data.removeprefix(STATUS_PREFIX))
        except InvalidRequestNumber:
            return _refusal(texts)
        return Choice(choice.origin, STATUS_PREFIX + number)
    if data.startswith(TOPIC_PREFIX) and knowledge.topic(data.removeprefix(TOPIC_PREFIX)):
        # an answer from the frequently asked questions: harmless at any step
        return choice
    if anywhere or data in EVERYWHERE or data in set(allowed):
        return choice
    if parse_say(data) is not None:
        # a rating, «Add a note», «Ask to reconsider» under a notice or a status answer:
        # whose request it is, is the say flow's check in SQL (counted like «Answer»)
        return choice
    return _refusal(texts)


def _refusal(texts: Texts) -> str:
    _ = texts.gettext
    return _(
        "This button doesn't belong to this step (it may be from an earlier message). "
        "Please choose from the buttons below, or type your answer."
    )
