"""Whether an officer's question asks for a document, a photo or a file («فضلًا أرسل صورة
جواز ساري المفعول»): then the first photo sent at the documents step of a new request,
while that question waits, is offered as its answer (conversations.step_answers). The
words are data (``conversations/data/file_questions.json``)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from domain.normalize import fold_arabic
from domain.word_prefixes import bare_forms

_DATA = Path(__file__).resolve().parent / "data" / "file_questions.json"


@cache
def _file_words() -> tuple[str, ...]:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    return tuple(fold_arabic(w).lower() for w in raw["file_words"])


def asks_for_file(question: str) -> bool:
    """True when ``question`` asks for a document, a photo or a file."""
    wanted = _file_words()
    for word in fold_arabic(question).lower().split():
        # «والجواز», «بصورة», «لصورة»: the word with what is written onto it
        if any(form.startswith(wanted) for form in bare_forms(word, min_left=1)):
            return True
    return False
