"""The Arabic lines a resident meets most (goodbyes, the errors of a step, the prompts to try
again) address anyone: «يُرجى كتابة إجابتك», «يمكنك بدء المحادثة من جديد», not a masculine
imperative («اكتب», «اختر», «شغّل المحادثة») that a woman writing to the service reads as
addressed to someone else. Found in session 12: the terminal's goodbye said «شغّل المحادثة
مرة أخرى», the errors «فضلًا اكتب إجابتك», «فضلًا اختر…», «فضلًا تأكد منه واكتبه…». Written
unvocalised, a second-person past («احتجت») or pronoun («رسالتك») reads for anyone, so only
imperatives are looked for."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]

#: The messages (msgids) rewritten to address anyone; a new resident-facing line joins them.
NEUTRAL = [
    "A request number has 10 digits. Please check it and type it again.",
    "Cancelled. Nothing was sent. Send any message when you want to start again.",
    "Deleted. Changed your mind? Press «Undo» or type «undo» within %(count)d minute to bring it back.",
    "For your protection, status inquiries are paused after several failed attempts. Please try again in %(count)d minute.",
    "Goodbye, and take care. Write any time you need us.",
    "Goodbye. Start the chat again whenever you need us.",
    "I can't listen to voice messages yet. Please type your answer.",
    "I can't use this kind of message here. Please type your answer.",
    "I didn't catch that. Please answer %(options)s, by button or in a word.",
    "I didn't catch that. The question now is «%(question)s»: please answer %(options)s, by button or in a word. To change your answer to «%(earlier)s», choose «Back».",
    "Please choose %(count)d option: %(options)s.",
    "Please type your answer.",
    "Sorry, something went wrong on our side and your last message was not handled. Nothing you entered before it is lost: please send it again in a moment.",
    "Stickers can't be used here. Please type your answer or choose a button.",
    "Thank you, but a location isn't needed here. Please type your answer.",
    "That button is from an earlier message, so it did nothing. Please choose from the buttons below, or type what you need.",
    "That list is out of date. Please answer the last question I asked.",
    "The first digit doesn't match: a national ID starts with 1, an iqama with 2 and a border number with 3. Please check it.",
    "The number should contain digits only. Please type it again.",
    "There is a letter among the digits you typed («%(letters)s»), so I have not taken the number. Please type it again in digits only.",
    "This button doesn't belong to this step (it may be from an earlier message). Please choose from the buttons below, or type your answer.",
    "This file can't be accepted. Please send a photo or a PDF file under 10 MB.",
    "This file is larger than %(mb)d MB. Please send a smaller photo or file.",
    "This number doesn't look right: its last digit doesn't match the others. Please check it against the card and type it again.",
    "This number looks mistyped: its last digit doesn't match. Please check it and type it again.",
    "This type of file can't be accepted. Please send a photo or a PDF file.",
    "Videos can't be attached. Please send photos or PDF files instead.",
    "We couldn't find a request with this number and identity number. Please check both and try again.",
    "You are sending messages faster than I can take them. Please wait %(count)d second, then send your message again.",
    "You typed %(count)d digit, but the number has exactly 10. Please check it and type it again.",
    # the status look-up's lines of session 12 (status_ordinals, an emoji at its prompts, «ارسال»
    # before a service)
    "The list has only %(count)d request. Choose it, or type another request number.",
    "Choose one of your requests above, or type a request number (10 digits). To leave the look-up, choose «%(cancel)s».",
    "To see where a request stands, type its 10-digit request number, found in the message «Your request has been received». To leave the look-up, choose «%(cancel)s».",
    "To file a request, choose the service you need and answer its questions; the last step is «%(confirm)s».",
    "That is not a request number, so I added what you sent to your request, which has not been sent yet:",
    # a note, a reconsideration or a comment cancelled (tester 12, §4)
    "Your note was cancelled and nothing was sent. Your request %(number)s stays as it is.",
    "Cancelled: no reconsideration was asked for. Your request %(number)s stays as it is.",
    "Cancelled: no comment was added. Your rating of request %(number)s is kept.",
    "Send any message when you need anything else.",
    # a note sent after its request was decided (tester 12, §15)
    "Request %(number)s was decided while you were writing your note, so the note was not sent.",
    "Your request was accepted: nothing more is needed from you.",
    "Your request was not accepted. If you think something was missed, you can ask once for it to be reconsidered, and your note's words can be your reason: press «%(button)s» or type «reconsider».",
    # two numbers in one message at the identity step (tester 12, §8)
    "Your message holds %(count)d numbers. Which one is the number asked for: %(numbers)s? Please type just that one.",
    "Your message holds %(count)d numbers; I have taken %(number)s, %(kind)s, as asked.",
    # a second identity number kept early (tester 12, §19)
    "I have kept the identity number %(number)s for your request, in place of %(earlier)s, the one you sent before.",
    # «ابي ارجع لطلبي» with no draft to go back to (tester 12, §5)
    "There is no request being filled in here to go back to. To see where a request you sent stands, you can type «my request status»; to start a new one, choose below.",
]

# masculine singular imperatives the catalogue used, with a leading و/ف («واكتبه», «فاختر»)
_IMPERATIVE = re.compile(
    r"(?<!\w)[وف]?(?:فضلًا|راسلنا|شغّل|اضغط|اكتب|اكتبه|اكتبها|اختر|أجب|أرسل|أرسله|أرسلها|"
    r"أعد|انتظر|حاول|تأكد|قارنه|طابقه|أضف|شارك|أكمل|راجع)(?!\w)"
)


@pytest.fixture(scope="module")
def arabic() -> dict[str, tuple[str, ...]]:
    with (ROOT / "locales" / "ar" / "LC_MESSAGES" / "tawasul.po").open("rb") as fh:
        catalogue = read_po(fh, locale="ar")
    found: dict[str, tuple[str, ...]] = {}
    for message in catalogue:
        key = message.id if isinstance(message.id, str) else message.id[0]
        forms = message.string
        found[key] = (forms,) if isinstance(forms, str) else tuple(forms)
    return found


@pytest.mark.parametrize("msgid", NEUTRAL)
def test_the_line_addresses_anyone(arabic: dict[str, tuple[str, ...]], msgid: str) -> None:
    forms = arabic[msgid]
    assert forms and all(forms), msgid
    for form in forms:
        assert not _IMPERATIVE.search(form), form


def test_the_terminal_goodbye_invites_anyone_back(arabic: dict[str, tuple[str, ...]]) -> None:
    [goodbye] = arabic["Goodbye. Start the chat again whenever you need us."]
    assert goodbye == "مع السلامة. يمكنك بدء المحادثة من جديد متى احتجت إلينا."
