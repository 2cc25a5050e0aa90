"""The services catalogue: which services Tawasul handles, who may file each, what it needs,
and which service a free-text message most likely asks for.

The catalogue itself is data (``domain/data/services.json``) that non-programmers maintain;
this module only loads, checks and queries it.

Free-text matching works on words, not on whole strings, because people write "ابي اجدد
اقامتي لو سمحت" or "my iqama expired, renew it": every word is folded (hamza, ta marbuta,
diacritics...), stripped of the article and of attached pronouns, mapped through the
catalogue's word forms (اجدد → تجديد), and compared with the words of each service's names
and synonyms. A word the catalogue does not know may still match one it knows within one
typo; a word it does know is never "corrected" into another (تمديد is not a typo of تجديد).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from rapidfuzz.distance import OSA

from domain.arabizi import to_arabic
from domain.normalize import fold_arabic
from domain.services_model import (
    APPLICANT_KINDS,
    DEFAULT_LOCALE,
    IDENTITY_KINDS,
    Group,
    LocalText,
    Question,
    QuestionOption,
    Service,
    local,
    local_text,
    parse_service,
)
from domain.word_prefixes import without_article

# what other modules take from here (the model lives in domain.services_model)
__all__ = [
    "APPLICANT_KINDS",
    "DEFAULT_LOCALE",
    "IDENTITY_KINDS",
    "Catalogue",
    "Group",
    "LocalText",
    "Question",
    "QuestionOption",
    "Service",
    "load_catalogue",
    "local",
    "match_services",
    "parse_catalogue",
]

# A service is offered for a free text only when at least half of the (weighted) words of
# one of its phrases are in the text...
MIN_SCORE = 0.5
#: :meth:`Catalogue.named_whole`: the share of a whole name's fit another service needs
#: to be offered beside it. Measured on the catalogue: a service sharing one word of a
#: two-word name fits 0.5–0.6 («خروج» of «خروج وعودة»); two services each half named
#: fit 0.64 and 0.56 («تأشيرة خروج»), and no whole name is said, so both are offered.
DECISIVE_SHARE = 0.7
# ...and those words say enough on their own: one word shared by at most two services
# ("تجديد" offers both renewals) but not one shared by three ("تعديل" alone offers nothing).
MIN_EVIDENCE = 0.7
_FUZZY_SIMILARITY = {1: 0.8, 2: 0.7}
# Long messages (a pasted description) are cut: the service is named early, if at all.
_MAX_QUERY_WORDS = 80

_SUFFIXES = (
    "اتها", "اتهم", "اتكم", "اتنا", "اتي", "اتك", "اته",
    "تها", "تهم", "تكم", "تنا", "تي", "تك", "ته",
    "ات", "ين", "ون", "ها", "هم", "كم", "نا", "ي", "ك", "ه",
)  # fmt: skip
_MIN_STEM = 3


def _fold(text: str) -> str:
    # A lone hamza is written, dropped or misplaced at will (نهائي, نهاءي, نهايي).
    return fold_arabic(text).replace("ء", "")


@dataclass(frozen=True, slots=True)
class _Phrase:
    service_id: str
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Lexicon:
    """How words are reduced to matching keys; built from the catalogue's data."""

    forms: Mapping[str, str]
    stopwords: frozenset[str]

    def keys(self, text: str) -> list[str]:
        result: list[str] = []
        for word in _fold(text).split():
            key = self.key(word)
            if key is not None and key not in result:
                result.append(key)
        return result

    def key(self, word: str) -> str | None:
        if word in self.stopwords:
            return None
        if word in self.forms:
            return self.forms[word]
        stem = _stem(word)
        if stem in self.stopwords:
            return None
        return self.forms.get(stem, stem)


def _stem(word: str) -> str:
    """A light stem: enough to equate الإقامة / اقامتي / إقامتك, not a morphological analysis."""
    if word.isascii():
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            return word[:-1]
        return word
    bare = without_article(word, min_left=_MIN_STEM - 1)
    if bare != word:
        word = bare
    elif word.startswith("و") and len(word) > _MIN_STEM:
        word = word[1:]
    for _ in range(2):
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
                word = word[: -len(suffix)]
                break
        else:
            break
    return word


@dataclass(frozen=True)
class Catalogue:
    services: tuple[Service, ...]
    groups: tuple[Group, ...]
    _lexicon: _Lexicon = field(repr=False, compare=False)
    _phrases: tuple[_Phrase, ...] = field(repr=False, compare=False)
    _weights: Mapping[str, float] = field(repr=False, compare=False)
    #: folded words of document names that name no document in particular ("copy", "صورة")
    document_generic_words: frozenset[str] = field(default=frozenset(), repr=False)
    #: service id -> the keys of its ``needs_words`` (keyed once, not at every match)
    _needs: Mapping[str, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)

    def get(self, service_id: str) -> Service:
        for service in self.services:
            if service.id == service_id:
                return service
        raise KeyError(service_id)

    def group(self, group_id: str) -> Group:
        for group in self.groups:
            if group.id == group_id:
                return group
        raise KeyError(group_id)

    def in_group(self, group_id: str, applicant_kind: str | None = None) -> list[Service]:
        """The group's services in menu order, only those ``applicant_kind`` may file."""
        return [
            s
            for s in self.services
            if s.group == group_id and (applicant_kind is None or applicant_kind in s.applicants)
        ]

    def groups_for(self, applicant_kind: str | None = None) -> list[Group]:
        """The groups that have at least one service ``applicant_kind`` may file."""
        return [g for g in self.groups if self.in_group(g.id, applicant_kind)]

    def match(self, text: str, limit: int = 3, applicant_kind: str | None = None) -> list[Service]:
        """The services ``text`` most likely asks for, best first; empty when none fits."""
        if limit <= 0:
            return []
        query, best = self._fits(text)
        return self._ranked(query, best, limit, applicant_kind)

    def _ranked(
        self,
        query: list[str],
        best: dict[str, tuple[float, int]],
        limit: int,
        applicant_kind: str | None,
    ) -> list[Service]:
        """:meth:`match`'s answer from :meth:`_fits`'s (``query``, ``best``)."""
        if not query:
            return []
        order = {s.id: i for i, s in enumerate(self.services)}
        said = set(query)
        candidates = [
            (ranked, service_id)
            for service_id, ranked in best.items()
            if (applicant_kind is None or applicant_kind in self.get(service_id).applicants)
            and self._needs_met(service_id, said)
        ]
        # Best coverage first; among equals, the phrase that matched more words (it is the
        # more specific reading); then catalogue order, so results are stable.
        candidates.sort(key=lambda c: (-c[0][0], -c[0][1], order[c[1]]))
        return [self.get(service_id) for _, service_id in candidates[:limit]]

    def named_whole(self, text: str, services: Sequence[Service]) -> list[Service]:
        """``services`` (as :meth:`match` gave them for ``text``) without those a whole
        name or synonym in ``text`` outranks: when the first fits it whole (all of one of
        its phrases), the others that fit less than :data:`DECISIVE_SHARE` as well are
        left out («تأشيرة خروج وعودة» is not also «تأشيرة خروج نهائي», which shares its
        «خروج»). Unchanged when the first fits only in part («تأشيرة خروج»)."""
        if len(services) < 2:
            return list(services)
        fit = {service_id: ranked[0] for service_id, ranked in self._fits(text)[1].items()}
        best = fit.get(services[0].id, 0.0)
        if best < 1.0:
            return list(services)
        return [
            s for s in services if s is services[0] or fit.get(s.id, 0.0) >= best * DECISIVE_SHARE
        ]

    def named_in_full(
        self, text: str, applicant_kind: str | None = None, limit: int = 3
    ) -> list[Service]:
        """The services :meth:`match` gives for ``text`` that it names whole by a name or
        synonym of two words or more («ابي تأشيرة خروج وعودة»), best first; empty when it
        names none whole («تأشيرة خروج» fits two in part) or only by one word («زوجتي», a
        synonym of the dependants' services, is as often an answer about whom)."""
        if limit <= 0:
            return []
        query, fits = self._fits(text)  # scored once, for the ranking and the whole fits
        return [
            s
            for s in self._ranked(query, fits, limit, applicant_kind)
            if fits.get(s.id, (0.0, 0)) >= (1.0, 2)
        ]

    def _fits(self, text: str) -> tuple[list[str], dict[str, tuple[float, int]]]:
        """The query keys of ``text``, and for each service its best phrase's
        (weighted share found, words found)."""
        # Arabizi («abi ajadid el iqama») is read in Arabic script; other text as typed
        query = self._lexicon.keys(to_arabic(text))[:_MAX_QUERY_WORDS]
        best: dict[str, tuple[float, int]] = {}
        if not query:
            return query, best
        similarity = self._similarities(query)
        for phrase in self._phrases:
            ranked = self._score(phrase, similarity)
            if ranked is not None and ranked > best.get(phrase.service_id, (0.0, 0)):
                best[phrase.service_id] = ranked
        return query, best

    def _needs_met(self, service_id: str, said: set[str]) -> bool:
        """Whether the message's words (``said``, as keys) hold one of the service's
        ``needs_words``, or it needs none."""
        needs = self._needs.get(service_id)
        return needs is None or bool(said & needs)

    def named_by_word(
        self, text: str, besides: str, applicant_kind: str | None = None, limit: int = 3
    ) -> list[Service]:
        """The services (catalogue order, at most ``limit``) one of whose words ``text``
        holds, a word of the service ``besides`` aside: «لا غلطت ابي الاقامه مو الجواز»
        names the iqama services by «الاقامه» though it names none fully (tester 13 §4)."""
        own = {w for p in self._phrases if p.service_id == besides for w in p.words}
        said = {w for w in self._lexicon.keys(to_arabic(text)) if self._weights.get(w)} - own
        found = {p.service_id for p in self._phrases if said & set(p.words)}
        return [
            s
            for s in self.services
            if s.id in found
            and s.id not in (besides, "other")
            and (applicant_kind is None or applicant_kind in s.applicants)
        ][:limit]

    def _score(self, phrase: _Phrase, similarity: Mapping[str, float]) -> tuple[float, int] | None:
        """(weighted share of the phrase found, words found), or None when too little is."""
        weights = [self._weights[w] for w in phrase.words]
        found = [similarity.get(w, 0.0) for w in phrase.words]
        matched = sum(1 for s in found if s > 0)
        # A lone word that only resembles a service word ("تغير" ~ "تغيب") is no evidence.
        if 1.0 not in found and matched < 2:
            return None
        evidence = sum(w for w, s in zip(weights, found, strict=True) if s > 0)
        score = sum(w * s for w, s in zip(weights, found, strict=True)) / sum(weights)
        if score < MIN_SCORE or evidence < MIN_EVIDENCE:
            return None
        return score, matched

    def _similarities(self, query: list[str]) -> dict[str, float]:
        """For each catalogue word, how well the best query word matches it."""
        vocabulary = self._weights.keys()
        result: dict[str, float] = {}
        for word in query:
            if word in vocabulary:
                result[word] = 1.0
                continue
            if word in self._lexicon.stopwords or len(word) < 4:
                continue
            for known in vocabulary:
                if min(len(known), len(word)) < 4:
                    continue
                allowed = 2 if min(len(known), len(word)) >= 8 else 1
                distance = OSA.distance(word, known, score_cutoff=allowed)
                if distance <= allowed:
                    value = _FUZZY_SIMILARITY[distance]
                    result[known] = max(result.get(known, 0.0), value)
        return result


def _lexicon(document: Mapping[str, Any]) -> _Lexicon:
    stopwords: set[str] = set()
    for words in document.get("stopwords", {}).values():
        for word in words:
            folded = _fold(word)
            stopwords.update((folded, _stem(folded)))
    forms: dict[str, str] = {}
    for canonical, variants in document.get("word_forms", {}).items():
        target = _stem(_fold(canonical))
        for variant in (canonical, *variants):
            folded = _fold(variant)
            forms[folded] = target
            forms[_stem(folded)] = target
    return _Lexicon(forms=forms, stopwords=frozenset(stopwords))


def _phrases(services: Iterable[Service], lexicon: _Lexicon) -> list[_Phrase]:
    phrases: list[_Phrase] = []
    for service in services:
        texts = [*service.name.values()]
        for synonyms in service.synonyms.values():
            texts.extend(synonyms)
        seen: set[tuple[str, ...]] = set()
        for text in texts:
            words = tuple(lexicon.keys(text))
            if words and words not in seen:
                seen.add(words)
                phrases.append(_Phrase(service.id, words))
    return phrases


def _weights(phrases: Iterable[_Phrase], extra_words: Iterable[str]) -> dict[str, float]:
    """A word found in the phrases of many services tells little about which one is meant
    ("تجديد" is in two, "هروب" in one), so it counts for less."""
    services_by_word: dict[str, set[str]] = {}
    for phrase in phrases:
        for word in phrase.words:
            services_by_word.setdefault(word, set()).add(phrase.service_id)
    weights = {word: 1 / math.sqrt(len(ids)) for word, ids in services_by_word.items()}
    for word in extra_words:
        # Known words that belong to no service: present so a typo is never "corrected"
        # into a service word they merely resemble, but they add nothing to any score.
        weights.setdefault(word, 0.0)
    return weights


def parse_catalogue(document: Mapping[str, Any]) -> Catalogue:
    """Build a catalogue from its JSON document; ValueError names what is wrong."""
    try:
        groups = tuple(
            Group(id=str(g["id"]), name=local_text(g["name"], f"group {g.get('id')!r}"))
            for g in document["groups"]
        )
        group_ids = {g.id for g in groups}
        services = tuple(parse_service(s, group_ids) for s in document["services"])
    except (KeyError, TypeError) as error:
        raise ValueError(f"malformed services catalogue: missing or wrong {error}") from error
    ids = [s.id for s in services]
    if len(set(ids)) != len(ids):
        raise ValueError("malformed services catalogue: duplicate service id")
    lexicon = _lexicon(document)
    phrases = _phrases(services, lexicon)
    distractors: list[str] = []
    for word in document.get("distractors", {}).get("words", []):
        key = lexicon.key(_fold(word))
        if key is not None:
            distractors.append(key)
    return Catalogue(
        services=services,
        groups=groups,
        _lexicon=lexicon,
        _phrases=tuple(phrases),
        _weights=_weights(phrases, distractors),
        document_generic_words=frozenset(
            _fold(word)
            for words in document.get("document_generic_words", {}).values()
            for word in words
        ),
        _needs={
            s.id: frozenset(lexicon.keys(" ".join(s.needs_words)))
            for s in services
            if s.needs_words
        },
    )


@cache
def load_catalogue() -> Catalogue:
    """The shipped catalogue, loaded once."""
    text = resources.files("domain").joinpath("data/services.json").read_text(encoding="utf-8")
    return parse_catalogue(json.loads(text))


def match_services(text: str, limit: int = 3) -> list[Service]:
    """The services a free text most likely asks for, best first; empty when nothing fits."""
    return load_catalogue().match(text, limit)
