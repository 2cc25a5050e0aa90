"""Two needs in one message («ابي اجدد اقامتي وكمان ابي اجدد جواز ولدي»): both services are
offered in the order the person said them, under a line saying that one request is filed
at a time (the other can be filed once the first is sent). Found by tester 13 (§18,
terminal): both were offered, the passport first, and nothing said that only one could be
filed now. The joining words are data (``conversations/data/two_needs.json``).
"""

from __future__ import annotations

import json
from functools import cache
from itertools import pairwise
from pathlib import Path

from conversations.flow import Ctx
from conversations.keywords_early import early_answers
from conversations.knowledge import reads_as_question
from conversations.several_people import held_on_mine
from domain.catalogue import Service
from domain.normalize import fold_arabic
from domain.word_prefixes import bare_forms

_DATA = Path(__file__).resolve().parent / "data" / "two_needs.json"
#: The most parts a message is cut into (a longer list is a story, read as ever).
_MAX_PARTS = 3


@cache
def _words() -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    joiners = frozenset(fold_arabic(w).lower() for w in raw["joiners"])
    verbs = frozenset(fold_arabic(w).lower() for w in raw["wish_verbs"])
    objects = tuple(fold_arabic(w).lower() for w in raw["objects"])
    return joiners, verbs, objects


def names_an_object(part: str) -> bool:
    """Whether ``part`` holds a word for what a need is about (an iqama, a passport...)."""
    objects = _words()[2]
    for word in part.split():
        # «والجواز», «بالاقامه», «لجوازه»: the word with what is written onto it
        if any(form.startswith(objects) for form in bare_forms(word, min_left=1)):
            return True
    return False


def says_a_wish(text: str) -> bool:
    """Whether ``text`` holds a wish verb of two_needs.json («ابي», «اريد», «want»...), alone
    or after «و»: a message saying what the person wants, not how they found a service."""
    verbs = _words()[1]
    for word in fold_arabic(text).lower().replace("،", " ").replace(",", " ").split():
        if word in verbs or (word.startswith("و") and word[1:] in verbs):
            return True
    return False


def _parts(text: str) -> list[str]:
    """``text`` cut at each joining word («وكمان», «ايضا», «و» + a wish verb)."""
    joiners, verbs, _objects = _words()
    parts: list[list[str]] = [[]]
    for word in fold_arabic(text).lower().replace("،", " ").replace(",", " ").split():
        if word in joiners:
            parts.append([])
            continue
        if word.startswith("و") and word[1:] in verbs:
            parts.append([word[1:]])
            continue
        parts[-1].append(word)
    return [" ".join(p) for p in parts if p]


def two_needs(ctx: Ctx, text: str, applicant_kind: str | None) -> list[Service]:
    """The services two or more parts of ``text`` name, one a part, in the order said,
    when at least two differ; empty otherwise (one need, or none clear). A part names a
    service only when it says what the need is about (an iqama, a passport: data
    ``objects``) and asks no question («ابي اعرف الرسوم» matched a service alone)."""
    parts = _parts(text)
    if not 2 <= len(parts) <= _MAX_PARTS:
        return []
    named: list[Service] = []
    for index, part in enumerate(parts):
        if not names_an_object(part) or reads_as_question(part):
            continue
        if held_on_mine(part):
            # «زوجتي معي على اقامتي وابي اجدد اقامتها»: who the wife is, not a need
            continue
        if index and _refers_back(part):
            # «…واقامتي خلصت وابي اجددها بس ابشر يطلع لي خطا ان الجواز منتهي»: the wish
            # is the iqama said before; the passport is the story of the problem
            continue
        found = ctx.catalogue.match(part, limit=1, applicant_kind=applicant_kind)
        if found and found[0] not in named:
            named.append(found[0])
    return named if len(named) >= 2 else []


def referred_need(ctx: Ctx, text: str, applicant_kind: str | None) -> Service | None:
    """The service of the part a later wish refers back to («واقامتي خلصت وابي اجددها بس
    … الجواز منتهي»: the iqama's renewal), or None; the need the person asks for, whatever
    the story after it names (tester 16 §3: passport services were offered first)."""
    parts = _parts(text)
    if not 2 <= len(parts) <= _MAX_PARTS:
        return None
    for before, part in pairwise(parts):
        if _refers_back(part) and names_an_object(before) and not reads_as_question(before):
            found = ctx.catalogue.match(before, limit=1, applicant_kind=applicant_kind)
            return found[0] if found else None
    return None


def _refers_back(part: str) -> bool:
    """Whether ``part``'s wish is for a thing said before it: a word before its first
    object word ends in «ها»/«ه» («ابي اجددها», «وابي اطلعه»), the pronoun of what came
    before. Tester 16 §3: «…واقامتي خلصت وابي اجددها بس ابشر يطلع لي خطا ان الجواز
    منتهي…» was offered a passport service as a second request."""
    for word in part.split():
        if names_an_object(word):
            return False
        if len(word) >= 5 and word.endswith(("ها", "ه")):
            return True
    return False


def _person_parts(text: str) -> list[str]:
    """``text`` cut at each joining word (:func:`_parts`) and before each object word
    joined by «و» («اقامتي واقامة زوجتي وجواز ولدي» -> «… اقامتي», «اقامه زوجتي», «جواز
    ولدي»); a part after the first that has no wish of its own carries the words before
    the first object word («ابي اجدد»), so that it reads as the same wish."""
    objects = _words()[2]
    cut: list[list[str]] = []
    for part in _parts(text):
        cut.append([])
        for word in part.split():
            if cut[-1] and word.startswith("و") and word[1:].startswith(objects):
                cut.append([word[1:]])
                continue
            cut[-1].append(word)
    pieces = [p for p in cut if p]
    if not pieces:
        return []
    lead: list[str] = []
    for word in pieces[0]:
        if names_an_object(word):
            break
        lead.append(word)
    out = [" ".join(pieces[0])]
    for piece in pieces[1:]:
        own = any(names_an_object(w) for w in piece[:1]) and len(piece) < 4
        out.append(" ".join([*lead, *piece] if own else piece))
    return out


def needs_by_person(ctx: Ctx, text: str, applicant_kind: str | None) -> list[tuple[Service, str]]:
    """(service, «لمن هذا الطلب؟» option) for each part of ``text`` that names a need and
    whose it is («ابي اجدد اقامتي واقامة زوجتي وجواز ولدي» -> (iqama renewal, "self"),
    (iqama renewal, "family"), (passport renewal, "family")), the writer's own first
    ("self": a thing of theirs, «اقامتي»), the others in the order said; empty when fewer
    than two parts name one. Found by fresh-clone tester 15 (§4): that message offered the
    son's passport renewal first and «1» recorded it «لي أنا»."""
    parts = _person_parts(text)
    if not 2 <= len(parts) <= _MAX_PARTS:
        return []
    found: list[tuple[Service, str]] = []
    for part in parts:
        if not names_an_object(part) or reads_as_question(part):
            continue
        whom = early_answers(part).get("for_whom")
        service = ctx.catalogue.match(part, limit=1, applicant_kind=applicant_kind)
        if service and whom is not None:
            found.append((service[0], whom))
    if len(found) < 2:
        return []
    return sorted(found, key=lambda pair: pair[1] != "self")


def in_order_said(matches: list[Service], said: list[Service]) -> list[Service]:
    """``matches`` with the services ``said`` first, in the order said, as many as
    ``matches`` were (at least those said)."""
    ordered = [*said, *(s for s in matches if s not in said)]
    return ordered[: max(len(matches), len(said))]


def one_at_a_time(ctx: Ctx) -> str:
    """The line above the services when a message names two needs."""
    _ = ctx.texts.gettext
    return _(
        "You mentioned more than one need. Each request is filed on its own: you can choose one of them now, and file the other once this one is sent."
    )
