"""Typed equivalents of the buttons every step offers (cancel, back, help, restart), the
words that send an answer, and small talk (greetings, thanks).

The words are data (``conversations/data/keywords.json``); this module only reads them.
A navigation word counts when it is the whole message once fillers («ابي», «please»...)
are set aside, so «ابي الغي» cancels but a description that mentions cancelling does not.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from pathlib import Path

from domain.arabizi import to_arabic
from domain.normalize import fold_arabic

_DATA = Path(__file__).resolve().parent / "data"
NAVIGATION = ("cancel", "back", "help", "restart")


@lru_cache(maxsize=512)
def _key(text: str) -> str:
    """The matching form of a short message: folded, each word without the article ال;
    "?" for a message of question marks alone (folding drops them, and «؟» asks for help).

    Cached: every reader of this module keys the turn's message again (navigation, undo,
    questions, small talk, «done»: about eight times a typed answer in the profile of
    bench/dialogue.py)."""
    # «marhaba», «shukran» (Arabizi) are the Arabic words; English is kept as typed
    key = " ".join(_bare(word) for word in fold_arabic(to_arabic(text)).split())
    marks = "".join(text.split())
    if not key and marks and set(marks) <= {"?", "؟"}:
        return "?"
    return key


def match_key(text: str) -> str:
    """``text`` in the matching form the word lists are kept in (folded, each word
    without the article ال), as the readers of conversations/keywords_early.py key it."""
    return _key(text)


def fillers() -> frozenset[str]:
    """keywords.json ``_fillers`` in the matching form («ابي», «لو سمحت», «please»)."""
    return _lists()["fillers"]


def _bare(word: str) -> str:
    if word.startswith("ال") and len(word) > 4:
        return word[2:]
    return word


@cache
def _lists() -> dict[str, frozenset[str]]:
    raw: dict[str, object] = json.loads((_DATA / "keywords.json").read_text(encoding="utf-8"))
    return {
        name.lstrip("_"): frozenset(_key(word) for word in words)
        for name, words in raw.items()
        if isinstance(words, list)
    }


#: The most words a message of chatter at the documents step has.
_CHATTER_WORDS = 5


def is_documents_chatter(text: str) -> bool:
    """Whether ``text`` only says that files are coming or what they show («لحظة»,
    «ارسلها الحين», «والتاشيره», «هذي صور جوازه», «ما ادري»: keywords.json
    ``documents_chatter``), which the description the officer reads does not need."""
    known = frozenset(fold_arabic(w) for w in _raw_list("documents_chatter"))
    tokens = [w.strip("،,.!؟?") for w in fold_arabic(text).split()]
    tokens = [w for w in tokens if w]
    if not tokens or len(tokens) > _CHATTER_WORDS:
        return False
    return all(w in known or (w.startswith("و") and w[1:] in known) for w in tokens)


def not_a_service() -> frozenset[str]:
    """keywords.json ``_not_a_service``: the numbers' words («رقم», «الهوية»), folded,
    which name no service when a slip is read as a change of service."""
    return frozenset(fold_arabic(w) for w in _raw_list("_not_a_service"))


@cache
def not_this() -> frozenset[str]:
    """keywords.json ``_not_this``: the words after which a message names what is not
    wanted («ابي اقامة زوجتي مو اقامتي», «…مو الجواز»), folded."""
    return frozenset(fold_arabic(w) for w in _raw_list("_not_this"))


#: Words that end what «مو …» denies and start what is wanted («مو خروج وعوده، ابي
#: نقل…», «not the passport, I want…»).
_WANTED_AGAIN = frozenset(
    fold_arabic(w)
    for w in ("ابي", "ابغى", "ابغا", "ابغي", "اريد", "بل", "اقصد", "ودي", "want", "but")
)


def split_denied(text: str) -> tuple[str, str]:
    """``text`` split into what is wanted and what it says is not: the words after
    «مو»/«not» (:func:`not_this`) up to a comma or full stop, or a word of wanting again
    («ابي», «بل», «want»), which is kept. «لا لا مو خروج وعوده، ابي نقل معلومات جواز
    زوجتي الجديد» gives («لا لا ابي نقل معلومات جواز زوجتي الجديد», «خروج وعوده،»):
    helper 22 (§5), the exit/re-entry visa denied was offered first again."""
    kept: list[str] = []
    denied: list[str] = []
    denying = False
    for word in text.split():
        bare = fold_arabic(word.strip("،,.؛;!؟?"))
        if bare in not_this():
            denying = True
            continue
        if denying and bare in _WANTED_AGAIN:
            denying = False
        (denied if denying else kept).append(word)
        if denying and word.endswith(("،", ",", ".", "؛", ";")):
            denying = False
    return " ".join(kept), " ".join(denied)


@cache
def _raw_list(name: str) -> tuple[str, ...]:
    raw = json.loads((_DATA / "keywords.json").read_text(encoding="utf-8"))
    return tuple(str(w) for w in raw[name])


@lru_cache(maxsize=512)
def _without_fillers(key: str) -> str:
    # cached: asked of the same key by each reader of a turn (seven times a typed answer)
    fillers = _lists()["fillers"]
    words = key.split()
    # two-word fillers («من فضلك») first, then single words
    kept: list[str] = []
    i = 0
    while i < len(words):
        if i + 1 < len(words) and f"{words[i]} {words[i + 1]}" in fillers:
            i += 2
            continue
        if words[i] not in fillers:
            kept.append(words[i])
        i += 1
    return " ".join(kept)


def global_action(text: str) -> str | None:
    """The action ("cancel", "back", "help", "restart") a typed message asks for, if any."""
    key = _key(text)
    lists = _lists()
    for candidate in (key, _without_fillers(key)):
        for action in NAVIGATION:
            if candidate and candidate in lists[action]:
                return action
    return None


def is_send_word(text: str) -> bool:
    """True when a message inside an answer means "send it now" («تم», «ارسل», «done»)."""
    key = _key(text)
    return bool(key) and (key in _lists()["send"] or _without_fillers(key) in _lists()["send"])


def is_already_sent(text: str) -> bool:
    """True when a message says the files were sent already («ارسلتها فوق»: keywords.json
    ``already_sent``, also «Done» words), which with none received is answered so."""
    key = _key(text)
    lists = _lists()
    return bool(key) and (
        key in lists["already_sent"] or _without_fillers(key) in lists["already_sent"]
    )


def is_undo_word(text: str) -> bool:
    """True when a message asks to bring back the draft just deleted («تراجع», «undo»)."""
    key = _key(text)
    return bool(key) and (key in _lists()["undo"] or _without_fillers(key) in _lists()["undo"])


def is_faq_word(text: str) -> bool:
    """True when a message asks for the frequently asked questions («اسئلة شائعة», «faq»)."""
    key = _key(text)
    faq = _lists()["faq"]
    return bool(key) and (key in faq or _without_fillers(key) in faq)


def courtesy(text: str) -> tuple[str | None, str]:
    """Small talk at the start of a message: ("salam" | "greeting" | "thanks" | "goodbye" |
    None, the rest).

    The rest is the message without the greeting or thanks (in the matching form); "" when
    the message was nothing but small talk («طيب شكرا», «السلام عليكم ورحمة الله»)."""
    words = _key(text).split()
    lists = _lists()
    found: str | None = None
    changed = True
    while words and changed:
        changed = False
        for size in range(min(6, len(words)), 0, -1):
            head = " ".join(words[:size])
            kind = next(
                (k for k in ("salam", "greeting", "thanks", "goodbye") if head in lists[k]), None
            )
            if kind is not None:
                found = found or kind
                words, changed = words[size:], True
                break
            if head in lists["small_words"]:
                # «طيب», «مرة ثانية»: words around small talk that ask for nothing
                words, changed = words[size:], True
                break
    return found, " ".join(words)


def is_nothing_more(text: str) -> bool:
    """True when a short message says there is nothing (more) to add: «ما تغير شي، تمام»,
    «لا شيء», «nothing changed, ok», or an acknowledgement alone («تمام», «ok»). Found by
    the fresh-clone tester: such words at the documents step were added to the
    description. The phrase must be the whole message, acknowledgements aside, so «ما تغير
    شي في بياناتي بعد التجديد» is still words of the description."""
    words = _key(text).split()
    lists = _lists()
    rest = _without_acknowledgements(words)
    if not words:
        return False
    if not rest:
        return True
    key = " ".join(rest)
    return key in lists["nothing_more"] or _without_fillers(key) in lists["nothing_more"]


def is_acknowledgement(text: str) -> bool:
    """True when a message is nothing but acknowledgements («تمام», «ok», «طيب شكرا»):
    it says yes or thanks and tells nothing more."""
    words = _key(text).split()
    return bool(words) and not _without_acknowledgements(words)


def _without_acknowledgements(words: list[str]) -> list[str]:
    """``words`` without the acknowledgements («تمام», «ok», «شكرا») at either end."""
    acknowledgements = _lists()["acknowledgements"]
    changed = True
    while words and changed:
        changed = False
        for size in range(min(3, len(words)), 0, -1):
            if " ".join(words[:size]) in acknowledgements:
                words, changed = words[size:], True
                break
            if " ".join(words[-size:]) in acknowledgements:
                words, changed = words[:-size], True
                break
    return words


def is_done_word(text: str) -> bool:
    """True when a message says only that the person has finished: a word of 'send'
    («تم», «خلاص», «done») with acknowledgements around it («تم شكرا», «ok تم») or two
    of them («خلاص تم»). Found by the fresh-clone tester: «تم» with a word more was kept
    as (the start of) a description."""
    words = _without_acknowledgements(_key(text).split())
    send = _lists()["send"]
    if not words:
        return False
    key = " ".join(words)
    if key in send or _without_fillers(key) in send:
        return True
    rest = _without_fillers(key).split()
    return bool(rest) and all(word in send for word in rest)
