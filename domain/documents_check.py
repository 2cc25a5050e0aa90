"""Which of a service's required documents a request's files may still lack.

A photo says nothing of what it shows, so the files are not looked at; what the person
wrote with them is. A document counts as sent when a caption mentions one of
its distinctive words («الجواز» for «صورة الجواز ساري المفعول»; the catalogue's
document_generic_words, such as «صورة» or «copy», tell no document from another and are
not counted). When at least as many files were sent as the service requires documents,
every document is taken as sent: the person had one file for each, and asking again would
be asking them to prove what a photo cannot say.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

from domain.normalize import fold_arabic
from domain.services_model import LocalText, Service

_ARTICLE = "ال"
# a word this short names nothing by itself («و», «of»)
_MIN_WORD = 3


def _keys(text: str) -> set[str]:
    keys = set()
    for word in fold_arabic(text).replace("(", " ").replace(")", " ").split():
        word = word.strip(".,،:؛;")
        if word.startswith(_ARTICLE) and len(word) - len(_ARTICLE) >= _MIN_WORD:
            word = word[len(_ARTICLE) :]
        if len(word) >= _MIN_WORD:
            keys.add(word)
    return keys


def _distinctive(document: LocalText, generic: frozenset[str]) -> frozenset[str]:
    return _distinctive_of(tuple(document.values()), generic)


@functools.lru_cache(maxsize=512)
def _distinctive_of(names: tuple[str, ...], generic: frozenset[str]) -> frozenset[str]:
    # Cached: the catalogue's documents and generic words are the same on every update,
    # and folding them again was ~4% of a documents-step update (issue 12's profile).
    plain = {_keys(g).pop() for g in generic if _keys(g)}
    return frozenset(k for name in names for k in _keys(name)) - plain


def unaccounted_documents(
    service: Service, said: Iterable[str], sent: int, generic: frozenset[str] = frozenset()
) -> tuple[LocalText, ...]:
    """The required documents of ``service`` that may be missing from ``sent`` files,
    given what the person wrote with them (``said``: their captions). Empty when ``sent``
    covers every required document; otherwise the required documents that no caption
    mentions, in the catalogue's order."""
    required: Sequence[LocalText] = service.required_documents
    if sent >= len(required):
        return ()
    written: set[str] = set()
    for text in said:
        written |= _keys(text)
    return tuple(d for d in required if not _distinctive(d, generic) & written)


def every_file_named(
    service: Service, captions: Sequence[str | None], generic: frozenset[str] = frozenset()
) -> bool:
    """Whether each file (``captions``: one per file sent, None or "" without one) has a
    caption that names one of ``service``'s required documents. Only then do the
    documents :func:`unaccounted_documents` returns lack a file for certain; a file without
    such a caption may be any document (or several: a PDF of many pages), so the ones
    unaccounted are only to be checked. Found by the fresh-clone tester: photos without
    captions were told that every required document may be missing."""
    required = service.required_documents
    for caption in captions:
        written = _keys(caption or "")
        if not any(_distinctive(d, generic) & written for d in required):
            return False
    return True
