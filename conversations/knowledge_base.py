"""The knowledge base as read from ``conversations/data/knowledge.json``: its topics (an
answer and title by locale, the seed documents cited, the words that recognise a question
about it) and the word lists that tell what kind of question a message asks. Split from
:mod:`conversations.knowledge`, which matches messages against it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from conversations.understanding import words

LOCALES = ("ar", "en")


@dataclass(frozen=True, slots=True)
class Citation:
    """Where an answer comes from: a seed document (``file``, a file of ``docs/seeds/``), the
    section of it (its heading, verbatim) and the sentences of that section, verbatim, that
    support the answer (``quotes``)."""

    file: str
    section: str
    quotes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Topic:
    """One answer: ``answer`` and ``title`` by locale; ``sources`` the seed documents the rule
    is taken from (at least one); ``documents`` their titles by locale, in that order, as the
    person is shown them; ``must``/``also`` groups of word sequences (matching keys)."""

    id: str
    title: dict[str, str]
    answer: dict[str, str]
    sources: tuple[Citation, ...]
    documents: tuple[dict[str, str], ...]
    must: tuple[tuple[tuple[str, ...], ...], ...]
    also: tuple[tuple[tuple[str, ...], ...], ...]
    # services a person asking this may file next (catalogue ids), offered after the answer
    services: tuple[str, ...] = ()
    # offered among the buttons when the bot is unsure (near_topics); False for a topic
    # whose half of the words (the iqama named) every question of its kind has
    suggested: bool = True
    # services whose «what documents?» answer offers this topic too, however the question
    # is worded (knowledge.json ``documents_of``: the conditions behind those documents)
    documents_of: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Openings:
    """Phrases a message may open with, by their length in words: a message's first words
    are looked up once for each length, not compared with every phrase in turn."""

    lengths: tuple[int, ...]
    phrases: frozenset[tuple[str, ...]]

    def open(self, tokens: Sequence[str]) -> bool:
        """True when ``tokens`` start with one of the phrases."""
        return any(len(tokens) >= n and tuple(tokens[:n]) in self.phrases for n in self.lengths)


def _openings(phrases: Sequence[tuple[str, ...]]) -> _Openings:
    return _Openings(tuple(sorted({len(p) for p in phrases})), frozenset(phrases))


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """The whole knowledge base: its topics and the word lists of knowledge.json, each a
    tuple of word sequences (matching keys)."""

    topics: tuple[Topic, ...]
    question_words: tuple[tuple[str, ...], ...]
    opening_words: tuple[tuple[str, ...], ...]
    inquiry_words: tuple[tuple[str, ...], ...]
    # the question and opening words, and the fact words, as a message's first words are
    # looked up
    question_openings: _Openings
    fact_openings: _Openings
    document_words: tuple[tuple[str, ...], ...] = ()
    # with a document word, a question about documents («الاوراق المطلوبه»)
    required_words: tuple[tuple[str, ...], ...] = ()
    fact_words: tuple[tuple[str, ...], ...] = ()
    # the fact words that ask a price («رسوم», «بكم»)
    fee_words: tuple[tuple[str, ...], ...] = ()
    # «ما اعرف» (I don't know): not the «اعرف» of «ابي اعرف صلاحية اقامتي»
    not_knowing_words: tuple[tuple[str, ...], ...] = ()
    # «وش اسوي» (what do I do?) after a situation
    what_to_do_words: tuple[tuple[str, ...], ...] = ()


def _phrases(items: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(words(item)) for item in items if words(item))


def _citations(raw: dict[str, Any], seeds: dict[str, dict[str, str]]) -> tuple[Citation, ...]:
    """The topic's sources, each a seed named in ``seeds`` with its section and quotes."""
    cited = raw.get("source")
    if isinstance(cited, dict):
        cited = [cited]
    if not cited:
        raise ValueError(f"knowledge topic {raw['id']!r} does not cite its source")
    found = []
    for one in cited:
        file, section = str(one.get("file", "")), str(one.get("section", "")).strip()
        quotes = tuple(str(q) for q in one.get("quotes", ()) if str(q).strip())
        if file not in seeds or not section or not quotes:
            raise ValueError(
                f"knowledge topic {raw['id']!r} cites {file!r} without a known seed, "
                "its section or the sentences quoted from it"
            )
        found.append(Citation(file, section, quotes))
    return tuple(found)


def _topic(raw: dict[str, Any], seeds: dict[str, dict[str, str]]) -> Topic:
    for part in ("title", "answer"):
        missing = [code for code in LOCALES if not str(raw[part].get(code, "")).strip()]
        if missing:
            raise ValueError(f"knowledge topic {raw['id']!r} lacks its {part} in {missing}")
    sources = _citations(raw, seeds)
    files = list(dict.fromkeys(c.file for c in sources))
    return Topic(
        id=raw["id"],
        title=dict(raw["title"]),
        answer=dict(raw["answer"]),
        sources=sources,
        documents=tuple(dict(seeds[f]) for f in files),
        must=tuple(_phrases(group) for group in raw["must"]),
        also=tuple(_phrases(group) for group in raw.get("also", [])),
        services=tuple(raw.get("services", ())),
        suggested=bool(raw.get("suggest", True)),
        documents_of=tuple(raw.get("documents_of", ())),
    )


def parse_knowledge(document: dict[str, Any]) -> KnowledgeBase:
    """The knowledge base from its JSON document. Raises ValueError when a topic lacks an
    answer or title in a locale, or does not cite its source (a seed of the document's
    ``seeds``, titled in every locale, with a section and sentences quoted from it);
    KeyError when a part is missing."""
    seeds: dict[str, dict[str, str]] = {
        str(file): {code: str(title.get(code, "")).strip() for code in LOCALES}
        for file, title in document["seeds"].items()
    }
    untitled = [file for file, title in seeds.items() if not all(title.values())]
    if untitled:
        raise ValueError(f"knowledge seeds without a title in every locale: {untitled}")
    question_words = _phrases(document["question_words"])
    opening_words = _phrases(document["opening_words"])
    fact_words = _phrases(document.get("fact_words", ()))
    return KnowledgeBase(
        topics=tuple(_topic(raw, seeds) for raw in document["topics"]),
        question_words=question_words,
        opening_words=opening_words,
        inquiry_words=_phrases(document["inquiry_words"]),
        document_words=_phrases(document.get("document_words", ())),
        required_words=_phrases(document.get("required_words", ())),
        fact_words=fact_words,
        fee_words=_phrases(document.get("fee_words", ())),
        not_knowing_words=_phrases(document.get("not_knowing_words", ())),
        what_to_do_words=_phrases(document.get("what_to_do_words", ())),
        question_openings=_openings((*question_words, *opening_words)),
        fact_openings=_openings(fact_words),
    )
