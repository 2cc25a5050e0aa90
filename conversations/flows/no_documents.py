"""«ما عندي مستندات» at the documents step: what the person can do, never «added to your
description». The words are data (``conversations/data/no_documents.json``).

Found by session 18's probe: «ما عندي مستندات» was added to the description the officer
reads, and «تم» after it said only «please send at least one document», so a person
without their papers met a wall with no way round it named."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from conversations.flow import Ctx
from conversations.keywords import match_key

_DATA = Path(__file__).resolve().parent.parent / "data" / "no_documents.json"


@cache
def _words() -> tuple[int, tuple[tuple[str, ...], ...], frozenset[str]]:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    heads = tuple(tuple(match_key(p).split()) for p in raw["not_having"])
    return int(raw["max_words"]), heads, frozenset(match_key(w) for w in raw["documents"])


def says_no_documents(text: str) -> bool:
    """Whether ``text`` says the person has no documents: a phrase of ``not_having`` alone,
    or followed (at once or a word or two later) by a word of ``documents``, in a message
    of at most ``max_words`` words («ما عندي اي صور», «ليس لدي أوراق», «I don't have the
    documents»)."""
    most, heads, documents = _words()
    words = match_key(text).split()
    if not words or len(words) > most:
        return False
    for head in heads:
        for at in range(len(words) - len(head) + 1):
            if tuple(words[at : at + len(head)]) != head:
                continue
            after = words[at + len(head) :]
            if not after and at == 0:
                return True
            if any(w in documents for w in after[:3]):
                return True
    return False


def without_documents(ctx: Ctx, least: int) -> str:
    """Why the request needs ``least`` documents, that the draft is kept until they are
    sent, that a phone's photo is enough, and what to do when one cannot be had. The
    rule: the seeds ask for the required documents as proof (000), and a file is
    required (domain/data/services.json, ``min_attachments``)."""
    ngettext = ctx.texts.ngettext
    return ngettext(
        "This request cannot be sent without at least %(count)d document: the officer decides from the documents. The request you began is kept: send them here when you have them, as photos or PDF files; a clear photo taken with the phone's camera is enough. If you cannot get one of them (a lost passport, for example), write that here and send what you have.",
        "This request cannot be sent without at least %(count)d documents: the officer decides from the documents. The request you began is kept: send them here when you have them, as photos or PDF files; a clear photo taken with the phone's camera is enough. If you cannot get one of them (a lost passport, for example), write that here and send what you have.",
        least,
    ) % {"count": least}
