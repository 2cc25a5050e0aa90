"""What a service of the catalogue is (its names, who may file it, the documents it
needs, its eligibility questions) and how one entry of ``domain/data/services.json`` is
read and checked. Split from :mod:`domain.catalogue`, which loads the whole catalogue and
matches free text against it (and re-exports these names)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

LocalText = dict[str, str]
"""A text in several languages, keyed by locale ("ar", "en")."""

DEFAULT_LOCALE = "ar"
APPLICANT_KINDS: frozenset[str] = frozenset({"individual", "establishment"})
IDENTITY_KINDS: frozenset[str] = frozenset({"citizen", "resident", "border"})


def local(text: Mapping[str, str], locale: str) -> str:
    """``text`` in ``locale``, or in Arabic when that locale is missing."""
    return text.get(locale) or text.get(DEFAULT_LOCALE) or next(iter(text.values()), "")


@dataclass(frozen=True, slots=True)
class QuestionOption:
    id: str
    label: LocalText
    allowed: bool
    refusal: LocalText | None = None
    #: for a refused answer, what the person can do instead, said when they explain their
    #: need after the refusal (its seed is cited beside it in services.json)
    instead: LocalText | None = None
    #: the answer in the bot's own voice, where the label is in the person's («فرد من
    #: أسرتي» is said «لأحد أفراد أسرتك»: review 13, §9); None: the label reads right
    said: LocalText | None = None
    #: whose the identity number is when this answer is given, as the summary names it
    #: after the number's kind («رقم الإقامة الخاص بك», «رقم الحدود للزائر»: tester 14
    #: §13); None: this answer says nothing of it
    holder: LocalText | None = None
    #: the nationality ids (domain/data/nationalities.json) this answer stands for, «*»
    #: for any not listed on another option of its question; empty: no nationality
    nationalities: frozenset[str] = frozenset()
    #: what to know when this (allowed) answer is given, said before the next question
    #: (services.json ``note``, its seeds cited beside it); None: nothing to add
    note: LocalText | None = None


@dataclass(frozen=True, slots=True)
class Question:
    """An eligibility question asked before a request is filed; an answer whose option is
    not ``allowed`` ends the request with that option's ``refusal``. ``applicants``: the
    kinds of applicant it is asked of (all of the service's when empty): «لمن هذا الطلب؟»
    is an individual's question, an establishment files only for its workers."""

    id: str
    text: LocalText
    options: tuple[QuestionOption, ...]
    applicants: frozenset[str] = frozenset()
    #: the question as put to the person filing for themselves («أين أنت الآن؟» for
    #: «أين صاحب الإقامة الآن؟»: helper 21, §8); None: ``text`` reads right for anyone
    for_self: LocalText | None = None

    def by_nationality(self, nationality_ids: Sequence[str]) -> QuestionOption | None:
        """The option the named nationalities (ids) answer this question with, when it is
        about a nationality (options with ``nationalities``) and they all lead to one
        option (a nationality no option lists leads to the «*» one); None otherwise: none
        named, or several answers («انا سوري وامي مصرية»)."""
        if not nationality_ids or not any(o.nationalities for o in self.options):
            return None
        found = set()
        for nid in nationality_ids:
            listed = next((o for o in self.options if nid in o.nationalities), None)
            other = next((o for o in self.options if "*" in o.nationalities), None)
            option = listed or other
            if option is None:
                return None
            found.add(option.id)
        return self.option(found.pop()) if len(found) == 1 else None

    def option(self, option_id: str) -> QuestionOption:
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(option_id)


@dataclass(frozen=True, slots=True)
class Group:
    id: str
    name: LocalText


@dataclass(frozen=True, slots=True)
class Service:
    id: str
    name: LocalText
    group: str
    department: str
    applicants: frozenset[str]
    identity_kinds: frozenset[str]
    documents: tuple[LocalText, ...]
    min_attachments: int
    synonyms: dict[str, list[str]]
    questions: tuple[Question, ...] = ()
    # the documents the service cannot do without (all but those marked "required": false)
    required_documents: tuple[LocalText, ...] = ()
    #: whose the identity number is, whatever the answers (the visitor's for a visit
    #: visa extension); None: the answers or the applicant say it
    holder: LocalText | None = None
    #: for a service only Saudi citizens may file (:attr:`citizens_only`), why, in a clause
    #: the bot says after «this service is for Saudi citizens only» (services.json
    #: ``citizens_why``, its seed beside it); None: nothing more is said
    citizens_why: LocalText | None = None
    #: words of which a message must hold one to be matched to this service (services.
    #: json ``needs_words``): the absence report needs a word of absence, so «عندي عاملة
    #: منزلية» is not read as a report against her; empty: none needed
    needs_words: tuple[str, ...] = ()

    @property
    def citizens_only(self) -> bool:
        """Whether only a national ID (1…) may be the request's number: the service is
        for Saudi citizens, and a resident or visitor is told so (tester 14 §1)."""
        return self.identity_kinds == frozenset({"citizen"})

    def questions_for(self, applicant: str) -> tuple[Question, ...]:
        """The questions asked of ``applicant`` ("individual" or "establishment"), in order."""
        return tuple(q for q in self.questions if not q.applicants or applicant in q.applicants)

    def __hash__(self) -> int:
        return hash(self.id)


def local_text(raw: Any, where: str) -> LocalText:
    if not isinstance(raw, dict) or DEFAULT_LOCALE not in raw:
        raise ValueError(f"{where}: expected a text with an {DEFAULT_LOCALE!r} entry")
    return {str(k): str(v) for k, v in raw.items()}


def _document(raw: Any, where: str) -> LocalText:
    """A document's name in each locale (its "required" flag is read by the caller)."""
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: a document is a text with an {DEFAULT_LOCALE!r} entry")
    return local_text({k: v for k, v in raw.items() if k != "required"}, where)


def _question(raw: Any, where: str) -> Question:
    options = tuple(
        QuestionOption(
            id=str(o["id"]),
            label=local_text(o["label"], f"{where}.{o['id']}"),
            allowed=bool(o["allowed"]),
            refusal=None if o.get("refusal") is None else local_text(o["refusal"], where),
            instead=None if o.get("instead") is None else local_text(o["instead"], where),
            said=None if o.get("said") is None else local_text(o["said"], where),
            holder=None if o.get("holder") is None else local_text(o["holder"], where),
            nationalities=frozenset(str(n) for n in o.get("nationalities", ())),
            note=None if o.get("note") is None else local_text(o["note"], where),
        )
        for o in raw["options"]
    )
    for option in options:
        if not option.allowed and option.refusal is None:
            raise ValueError(f"{where}.{option.id}: a refused answer needs a refusal text")
    applicants = frozenset(str(a) for a in raw.get("applicants", ()))
    if not applicants <= APPLICANT_KINDS:
        raise ValueError(f"{where}: applicants must be among {sorted(APPLICANT_KINDS)}")
    return Question(
        id=str(raw["id"]),
        text=local_text(raw["text"], where),
        options=options,
        applicants=applicants,
        for_self=None if raw.get("for_self") is None else local_text(raw["for_self"], where),
    )


def parse_service(raw: Any, group_ids: set[str]) -> Service:
    where = f"service {raw.get('id')!r}"
    applicants = frozenset(str(a) for a in raw["applicants"])
    identity_kinds = frozenset(str(k) for k in raw["identity_kinds"])
    if not applicants or not applicants <= APPLICANT_KINDS:
        raise ValueError(f"{where}: applicants must be among {sorted(APPLICANT_KINDS)}")
    if not identity_kinds or not identity_kinds <= IDENTITY_KINDS:
        raise ValueError(f"{where}: identity_kinds must be among {sorted(IDENTITY_KINDS)}")
    if raw["group"] not in group_ids:
        raise ValueError(f"{where}: unknown group {raw['group']!r}")
    questions = tuple(_question(q, f"{where}.{q.get('id')}") for q in raw["questions"])
    for question in questions:
        if not question.applicants <= applicants:
            # asked of no one who may file the service: dead data, unreviewed if the
            # service is ever opened to them (review 13, §10: profession_change)
            raise ValueError(
                f"{where}.{question.id}: question applicants must be among the service's "
                f"applicants {sorted(applicants)}"
            )
    return Service(
        id=str(raw["id"]),
        name=local_text(raw["name"], where),
        group=str(raw["group"]),
        department=str(raw["department"]),
        applicants=applicants,
        identity_kinds=identity_kinds,
        documents=tuple(_document(d, where) for d in raw["documents"]),
        required_documents=tuple(
            _document(d, where) for d in raw["documents"] if d.get("required", True)
        ),
        min_attachments=int(raw["min_attachments"]),
        synonyms={
            str(lang): [str(p) for p in phrases] for lang, phrases in raw["synonyms"].items()
        },
        questions=questions,
        holder=None if raw.get("holder") is None else local_text(raw["holder"], where),
        citizens_why=(
            None if raw.get("citizens_why") is None else local_text(raw["citizens_why"], where)
        ),
        needs_words=tuple(str(w) for w in raw.get("needs_words", ())),
    )
