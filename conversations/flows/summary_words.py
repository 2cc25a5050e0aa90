"""What a typed message at the summary says, read by the summary itself rather than as
«the option with the most words»: a filed request cannot be withdrawn or changed, so a
yes-word inside a correction («صحيح بس ابي اضيف شي للوصف», «ايوه بس رقم الجوال غلط»), a
doubt («لا لحظة…») or a question («رقم الجوال صح؟») must never send it (tester 14 §1: all
of these were filed). The words are data: ``conversations/data/summary_words.json``, with
choices.json's yes words, fillers and the words of «تأكيد وإرسال»."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from conversations.keywords import is_acknowledgement, is_send_word
from conversations.understanding import words

_DATA = Path(__file__).resolve().parent.parent / "data"
_QUESTION_MARKS = ("?", "؟")


def _keys(items: list[str]) -> frozenset[str]:
    return frozenset(k for item in items for k in words(item))


@cache
def _lists() -> dict[str, frozenset[str]]:
    choices = json.loads((_DATA / "choices.json").read_text(encoding="utf-8"))
    own = json.loads((_DATA / "summary_words.json").read_text(encoding="utf-8"))
    confirm = choices["yes"] + choices["option_words"]["confirm"] + own["confirm_also"]
    return {
        "confirm": _keys([*confirm, "تأكيد وإرسال", "confirm and send"]),
        "fillers": _keys(choices["fillers"]),
        "add": _keys(own["add_words"]),
        "document": _keys(own["document_words"]),
        "description": _keys(own["description_words"]),
        "adding": _keys(own["adding_words"]),
        "change": _keys(own["change_words"]),
        "addition_fillers": _keys(own["addition_fillers"]),
        "telling": _keys(own["telling_words"]),
    }


def is_question(text: str) -> bool:
    """Whether the message asks something (a question mark, Arabic or Latin)."""
    return any(mark in text for mark in _QUESTION_MARKS)


def plain_confirmation(text: str) -> bool:
    """True when ``text`` only confirms («ايوه», «تمام ارسله», «نعم كل شي صحيح»,
    «yes send it»): every word a yes, a word of «تأكيد وإرسال», a filler or one of
    summary_words.json ``confirm_also``; no number, no question mark. Any other word
    («بس رقم الجوال غلط», «لحظة», «الصحيح ٢٠٠…») makes it something else to read."""
    if is_question(text):
        return False
    lists = _lists()
    tokens = [w.strip("،,.!") for w in words(text)]
    if any(w.isdigit() for w in tokens):
        return False  # a number (Arabizi's «5alas» is a word)
    tokens = [w for w in tokens if w and w not in lists["fillers"]]
    return bool(tokens) and all(w in lists["confirm"] for w in tokens)


def wants_a_document(text: str) -> bool:
    """True when ``text`` names a document with a word of adding or of what is still to
    come («ابي اضيف صورة», «وين المستندات الباقية», «add a photo»): the documents again,
    those sent kept (tester 14 §6: «طيب ابي اضيف صورة» got «يُرجى الضغط على «تأكيد
    وإرسال»»)."""
    lists = _lists()
    tokens = [w.strip("،,.!؟?") for w in words(text)]
    return any(w in lists["document"] for w in tokens) and any(w in lists["add"] for w in tokens)


def nod_at_documents(offered: list[list[str]], text: str) -> bool:
    """Whether ``text`` is a nod («تمام», «ok», «طيب») where «Done» is offered (the
    documents step), not the word of «Done» («تم», «خلاص»): the step reads it, so «ok»
    with no file yet or right after «I'll send the rest» is not taken for «Done»."""
    return (
        any(o[0] == "done" for o in offered) and is_acknowledgement(text) and not is_send_word(text)
    )


def adds_to_description(text: str) -> bool:
    """True when ``text`` speaks of the description with a word of adding («صحيح بس ابي
    اضيف شي للوصف», «الوصف ناقص»): what is written next is added to it, not put in its
    place (tester 14 §6: «تعديل الوصف» replaced the description)."""
    lists = _lists()
    tokens = [w.strip("،,.!؟?") for w in words(text)]
    return any(w in lists["description"] for w in tokens) and any(
        w in lists["adding"] for w in tokens
    )


#: Among how many first words the word of adding leads an addition («ابي اضيف ان…»).
_ADDING_LEADS = 3
#: The fewest words an addition tells besides its lead and fillers («الكفيل مسافر»).
_TOLD_WORDS = 2


def tells_an_addition(text: str) -> bool:
    """True when ``text`` opens with a word of adding and tells what, after a word of
    telling («ابي اضيف ان الكفيل مسافر», «نسيت اقول ان الجواز جديد»): at the summary,
    the words are added to the description. Not a wish to add a document, nor to add to
    the description with nothing told yet («ابي اضيف شي»: :func:`adds_to_description`
    asks for the words)."""
    lists = _lists()
    tokens = [w.strip("،,.!؟?") for w in words(text)]
    lead = next((i for i, w in enumerate(tokens[:_ADDING_LEADS]) if w in lists["adding"]), None)
    if lead is None:
        return False
    rest = tokens[lead + 1 :]
    if not lists["telling"].intersection(rest):
        # «ابي اضيف تأشيرة خروج وعودة» asks for a service: only what is told («ان…»)
        return False
    aside = lists["fillers"] | lists["addition_fillers"] | lists["description"] | lists["adding"]
    told = [w for w in rest if w and w not in aside]
    return len(told) >= _TOLD_WORDS


def asks_a_change(text: str) -> bool:
    """True when ``text`` holds a word of changing or of a mistake («اغير», «غلطت», «fix»):
    with what it names, a wish to change an answer already given."""
    tokens = [w.strip("،,.!؟?") for w in words(text)]
    return any(w in _lists()["change"] for w in tokens)
