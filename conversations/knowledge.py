"""Answers to the questions residents ask (conditions, fines, how long Tawasul takes...).

The answers and the words that recognise each question are data people maintain
(``conversations/data/knowledge.json``): each topic has an Arabic and an English answer and
cites the seed documents it comes from (files of ``docs/seeds/``, with the section and the
sentences that support it); the answer is shown with a line naming those documents, not the
directorate the articles write about. This module only reads them and matches a message.

A message is a question about a topic when it reads as a question (ends with ?/؟, has a
question or inquiry word) and names the topic: every ``must`` group of the topic has a word
or phrase in it; each ``also`` group found adds to the topic's score. Words are compared
like the choice reader does (:func:`conversations.understanding.words`: Arabic folding, no
article, no final ة) and within one typo for Arabic words of five letters or more. «ابي اجدد
اقامتي» states a need (no question), so it is left to the service catalogue.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from conversations.i18n import Texts
from conversations.knowledge_base import KnowledgeBase
from conversations.knowledge_base import Topic as Topic  # re-exported: callers name it here
from conversations.knowledge_base import parse_knowledge as parse_knowledge
from conversations.understanding import words
from domain.arabizi import to_arabic
from domain.normalize import clean_input

_DATA = Path(__file__).resolve().parent / "data" / "knowledge.json"
# a word this long may be one typo away from the word meant (as in understanding.py)
_FUZZY_MIN = 5
# a message longer than this is a description or a story, not a question to look up
_MAX_WORDS = 20
_MUST_WEIGHT = 2.0
# a message this short opening with a word of price, time or place («رسوم تجديد الاقامة»,
# «بكم الجواز») is asked the way people type a search; a longer one may be a story
_HEADING_MAX_WORDS = 4


@cache
def _knowledge() -> KnowledgeBase:
    return parse_knowledge(json.loads(_DATA.read_text(encoding="utf-8")))


def topics() -> tuple[Topic, ...]:
    """Every topic of the knowledge base, in the data file's order."""
    return _knowledge().topics


def topic(topic_id: str) -> Topic | None:
    """The topic with this id, or None (an old or forged button)."""
    return next((t for t in _knowledge().topics if t.id == topic_id), None)


def _near(a: str, b: str) -> bool:
    # only Arabic words are taken within a typo: short English words one letter apart
    # are often other words («files», «fines»)
    return (
        a == b
        or (
            min(len(a), len(b)) >= _FUZZY_MIN
            and not a.isascii()
            and Levenshtein.distance(a, b, score_cutoff=1) <= 1
        )
        or _doubled(a, b)
    )


def _doubled(typed: str, key: str) -> bool:
    """Whether ``typed`` is the Arabic ``key`` with one letter typed twice («رسووم» for
    «رسوم»: helper 22's recheck, no answer); short words too, as a doubled letter is the
    commonest slip of the thumb and seldom makes another word."""
    if len(typed) != len(key) + 1 or len(key) < 3 or typed.isascii():
        return False
    return any(
        typed[i] == typed[i - 1] and typed[:i] + typed[i + 1 :] == key for i in range(1, len(typed))
    )


def _token_matches(token: str, key: str) -> bool:
    if _near(token, key):
        return True
    # a one-letter preposition or conjunction written onto the word: «وشروط», «بالاقامة»
    return len(token) >= 4 and token[0] in "وبلف" and _near(token[1:], key)


def _has(tokens: Sequence[str], phrase: Sequence[str]) -> bool:
    n = len(phrase)
    return any(
        all(_token_matches(tokens[i + k], phrase[k]) for k in range(n))
        for i in range(len(tokens) - n + 1)
    )


def _any(tokens: Sequence[str], group: Sequence[Sequence[str]]) -> bool:
    return any(_has(tokens, phrase) for phrase in group)


@lru_cache(maxsize=512)
def _tokens(text: str) -> tuple[str, ...]:
    # Arabizi («kam el gharama») is read in Arabic script; Arabic and English as typed.
    # Cached: a typed answer is read as a question three to nine times a turn (the rules'
    # questions, the documents', a plain question at a free-text step)
    return tuple(words(to_arabic(text)))


@lru_cache(maxsize=512)
def explicit_question(text: str) -> bool:
    """True when a message is plainly a question: it ends with ? or ؟, or its first word
    is a question word («كم», «هل», «what»...). Cached: asked of a typed answer up to
    five times a turn."""
    if clean_input(text).rstrip(" .!)").endswith(("?", "؟")):
        return True
    return opens_with_question_word(text)


def opens_with_question_word(text: str) -> bool:
    """True when a message's first word is a question word («هل», «كم», «what»...)."""
    return _knowledge().question_openings.open(_tokens(text))


@lru_cache(maxsize=512)
def reads_as_question(text: str) -> bool:
    """True when a message asks something: an explicit question, a question word anywhere
    («اقامتي منتهية كم الغرامة»), an inquiry word («شروط», «ابي اعرف»), or a short message
    opening with a fact word («رسوم تجديد الاقامة», «rusoom tajdeed iqama»: found by the
    session-11 brief, a fee asked without «؟» was filed as a need).

    Cached: a typed answer is asked this up to three times a turn (the rules' questions,
    the documents' and the topic's), each time matching every question and inquiry word
    within a typo."""
    if explicit_question(text):
        return True
    data = _knowledge()
    tokens = _tokens(text)
    if len(tokens) <= _HEADING_MAX_WORDS and data.fact_openings.open(tokens):
        return True
    if _joined_fact_question(tokens):
        return True
    return _any(tokens, data.question_words) or _any(tokens, data.inquiry_words)


def asks_facts(text: str, *, loose: bool = False) -> bool:
    """True when a plain question (:func:`explicit_question`) asks a price, a time or a
    place («كم رسوم تجديد الجواز؟», «how long does…?», «وين…»): naming a service in it asks
    about that service and does not choose it (found by the fresh-clone tester: «كم رسوم
    تجديد الجواز؟» was offered services to file). ``loose``: a question word anywhere or an
    inquiry word will do too («الرسوم كم», «ابي استفسر عن الرسوم»), for the steps that
    take no words of the person's own."""
    tokens = _tokens(text)
    data = _knowledge()
    # a question word anywhere or an inquiry word, not a fact word opening a short
    # message, which «الرسوم مدفوعة» at the documents also is
    asked = explicit_question(text) or (
        loose and (_any(tokens, data.question_words) or _any(tokens, data.inquiry_words))
    )
    return (asked or _joined_fact_question(tokens)) and _any(tokens, data.fact_words)


def _joined_fact_question(tokens: Sequence[str]) -> bool:
    """Whether a question word joined by «و» asks a fact right after it («ابي اجدد اقامتي
    وكم الرسوم»: helper 235, the fee was ignored). Only before a fact word: «وكم مرة رحت
    للفرع» tells a story, and «وكم» alone is no question word."""
    data = _knowledge()
    return any(
        token.startswith("و")
        and _any((token[1:],), data.question_words)
        and _any(tokens[i + 1 : i + 1 + _FACT_AFTER], data.fact_words)
        for i, token in enumerate(tokens)
    )


#: How many words after a joined question word («وكم») its fact word may come.
_FACT_AFTER = 2


def asks_fee(text: str, *, loose: bool = False) -> bool:
    """True when a question (:func:`asks_facts`, ``loose`` as there) asks a price
    (knowledge.json ``fee_words``: «كم رسوم الخروج والعودة», «how much…»): no seed gives a
    service's fees, so the answer says that the amount is not in its sources rather than
    only that it has no answer."""
    return asks_facts(text, loose=loose) and _any(_tokens(text), _knowledge().fee_words)


def without_fee_words(text: str) -> str:
    """``text``'s words (matching keys, joined by spaces) without the words that ask a
    price (knowledge.json ``fee_words``): what is left names the service asked about, if
    any («كم الرسوم؟» names none; «رسوم» alone would match «رسوم المرافقين»)."""
    tokens = _tokens(text)
    fee = {i + k for i in range(len(tokens)) for phrase in _knowledge().fee_words
           if _has(tokens[i : i + len(phrase)], phrase) for k in range(len(phrase))}  # fmt: skip
    return " ".join(t for i, t in enumerate(tokens) if i not in fee)


def says_not_knowing(text: str) -> bool:
    """True when a message says the person does not know («ماادري», «ما اعرف», «I don't
    know»; knowledge.json ``not_knowing_words``)."""
    return _any(_tokens(text), _knowledge().not_knowing_words)


def asks_what_to_do(text: str) -> bool:
    """True when a message asks what to do («اقامتي انتهت والكفيل مسافر وش اسوي», «what
    should I do?»; knowledge.json ``what_to_do_words``): with a service named, the
    situation told is that need, not a question for the topic one of its words names."""
    return _any(_tokens(text), _knowledge().what_to_do_words)


def names_documents(text: str) -> bool:
    """True when a message speaks of documents («الاوراق», «المستندات», «papers»): with a
    service chosen, a question about them is about that service's documents."""
    return _any(_tokens(text), _knowledge().document_words)


def asks_required_documents(text: str) -> bool:
    """True when a message names documents and what is required of them («الاوراق
    المطلوبه للجواز»): a question about documents, with no question word or mark."""
    tokens = _tokens(text)
    return _any(tokens, _knowledge().document_words) and _any(tokens, _knowledge().required_words)


def rank(text: str) -> list[tuple[Topic, float]]:
    """The topics a message names, best first, with their scores; whether it is a question
    at all is not looked at here (see :func:`answer_topic`)."""
    tokens = _tokens(text)
    if not tokens or len(tokens) > _MAX_WORDS:
        return []
    scored: list[tuple[Topic, float]] = []
    for topic in _knowledge().topics:
        if not all(_any(tokens, group) for group in topic.must):
            continue
        score = _MUST_WEIGHT * len(topic.must) + sum(_any(tokens, g) for g in topic.also)
        scored.append((topic, score))
    # stable: on a tie the topic listed first in the data file wins
    return sorted(scored, key=lambda pair: -pair[1])


def near_topics(text: str, limit: int = 3) -> list[Topic]:
    """The topics a question may be about when it names none fully, best first: those
    with at least half of their ``must`` groups in it (each ``also`` group found counts
    too). Offered as buttons when the bot is unsure; empty when nothing comes close.
    Words saying the person does not know («ما اعرف رقم الحدود وين الاقيه») count for no
    topic (tester 13, §12: they were offered the iqama-validity answer on «اعرف»)."""
    tokens = _without(_tokens(text), _knowledge().not_knowing_words)
    if not tokens or len(tokens) > _MAX_WORDS:
        return []
    scored: list[tuple[Topic, float]] = []
    for topic in _knowledge().topics:
        if not topic.suggested:
            continue
        found = sum(_any(tokens, group) for group in topic.must)
        if len(topic.must) < 2 or found == len(topic.must) or 2 * found < len(topic.must):
            continue
        also = sum(_any(tokens, group) for group in topic.also)
        scored.append((topic, found / len(topic.must) + 0.1 * also))
    scored.sort(key=lambda pair: -pair[1])
    return [topic for topic, _score in scored[:limit]]


def _without(tokens: tuple[str, ...], phrases: Sequence[tuple[str, ...]]) -> tuple[str, ...]:
    """``tokens`` with every occurrence of ``phrases`` taken out."""
    kept: list[str] = []
    at = 0
    while at < len(tokens):
        found = next((p for p in phrases if tokens[at : at + len(p)] == p), None)
        if found is None:
            kept.append(tokens[at])
            at += 1
        else:
            at += len(found)
    return tuple(kept)


def answer_topic(text: str, *, explicit_only: bool = False) -> Topic | None:
    """The topic a question asks about; None when the message is not a question (a need
    such as «ابي اجدد اقامتي», an answer, small talk) or names no topic. With
    ``explicit_only`` (a step that takes the person's own words) only a plain question
    counts, so a description that mentions a fine is never taken for a question."""
    asks = explicit_question(text) if explicit_only else reads_as_question(text)
    if not asks:
        return None
    ranked = rank(text)
    return ranked[0][0] if ranked else None


def documents_topic(service_id: str) -> Topic | None:
    """The topic a question about ``service_id``'s documents offers besides them: the
    first whose knowledge.json ``documents_of`` names the service (its conditions), or
    None."""
    return next((t for t in topics() if service_id in t.documents_of), None)


def title_text(topic: Topic, locale: str) -> str:
    """The topic's title in ``locale`` (Arabic for a locale the base does not have)."""
    return topic.title.get(locale) or topic.title["ar"]


def answer_text(topic: Topic, locale: str) -> str:
    """The topic's answer in ``locale`` (Arabic for a locale the base does not have), with
    the line naming the seed documents it comes from («المصدر: «ما هي خدمة تواصل
    الجوازات؟».»). Found in session 12: every answer said «المصدر: المديرية العامة
    للجوازات.», while the seeds are articles about the directorate, not its own word."""
    texts = Texts(locale if locale in topic.answer else "ar")
    body = topic.answer.get(locale) or topic.answer["ar"]
    files = list(dict.fromkeys(c.file for c in topic.sources))
    named = []
    for file, document in zip(files, topic.documents, strict=True):
        title = f"«{document.get(texts.locale) or document['ar']}»"
        if texts.locale == "ar":
            # the section too: an article's title alone («ما هي خدمة تواصل الجوازات؟») backs
            # a fee or a fine oddly (session 20's new-user probe); its headings are Arabic
            sections = dict.fromkeys(c.section for c in topic.sources if c.file == file)
            title += " (" + "، ".join(f"«{section}»" for section in sections) + ")"
        named.append(title)
    line = texts.ngettext("Source: %(documents)s.", "Sources: %(documents)s.", len(named)) % {
        "documents": " · ".join(named)
    }
    return f"{body}\n{line}"


def answer(text: str, locale: str, *, explicit_only: bool = False) -> str | None:
    """The answer, in ``locale``, to a question a message asks; None when it asks none
    the knowledge base answers (see :func:`answer_topic`)."""
    topic = answer_topic(text, explicit_only=explicit_only)
    return None if topic is None else answer_text(topic, locale)
