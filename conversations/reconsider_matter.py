"""Whether a long «ابي اتظلم …» is about the person's own rejected request or another
matter (their_say.json ``reconsider_about`` and ``reconsider_own``).

Session 15: since 660fb32 a message opening with a wish to reconsider opens the person's
own reconsideration whatever its length, so «ابي اتظلم على المكتب اللي رفض يستقبلني…»
(a complaint about a branch) became a reconsideration, or «لم يُرفض أيٌّ من طلباتك» and
the words lost. Only a reconsideration of the person's own request opens it; a complaint
about another matter is read as a need (the services it names, the words kept as the
description)."""

from __future__ import annotations

from pathlib import Path

from conversations.wishes import key_words, phrases_of

# their_say.py's file, named here: say_wish reads this module, so it cannot import back
THEIR_SAY_DATA = Path(__file__).resolve().parent / "data" / "their_say.json"


def about_another_matter(text: str) -> bool:
    """Whether the first 'reconsider' phrase in ``text`` is followed by a word of
    ``reconsider_about`` («على», «من», «ضد») and then names another matter: an object of
    ``reconsider_others`` right after it («الموظف», «المكتب»), or, failing that, a next word
    not in ``reconsider_own`` while no later word starts with one of
    ``reconsider_own_stems`` («رفضهم لطلبي», «معاملتي اللي رفضت», «عدم قبول طلبي» are the
    person's own: review 16 §2). False when no phrase is in it or nothing follows it
    («ابي اتظلم، ارسلت…» is the person's own: the reason of their reconsideration)."""
    words = key_words(text)
    about = set(phrases_of(THEIR_SAY_DATA, "reconsider_about"))
    own = set(phrases_of(THEIR_SAY_DATA, "reconsider_own"))
    others = set(phrases_of(THEIR_SAY_DATA, "reconsider_others"))
    stems = phrases_of(THEIR_SAY_DATA, "reconsider_own_stems")
    for phrase in phrases_of(THEIR_SAY_DATA, "reconsider"):
        size = len(phrase.split())
        for start in range(len(words) - size + 1):
            if " ".join(words[start : start + size]) != phrase:
                continue
            rest = words[start + size :]
            if not rest or rest[0] not in about:
                return False
            if len(rest) < 2:
                return False
            if rest[1] in others:
                return True
            return rest[1] not in own and not any(w.startswith(stems) for w in rest[1:])
    return False
