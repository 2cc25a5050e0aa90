"""A request said to be for several people at once («لي ولزوجتي وعيالي», «كلنا»): each
request here is one person's, filed with one identity number (seed 000: «لابد من إدخال
رقم الهوية الشخصية للمقيم أو إدخال رقم الحُدود»), so the person is told so, and the
request goes on for the first of them. Words are data people maintain
(``conversations/data/several_people.json``, its comment says how they are read); found
by tester 13 (§9)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

from conversations.flow import Ctx
from conversations.understanding import has_phrase, words

_DATA = Path(__file__).resolve().parent / "data" / "several_people.json"


@dataclass(frozen=True, slots=True)
class _Words:
    all_of_us: tuple[tuple[str, ...], ...]
    self_: frozenset[str]
    self_joined: frozenset[str]
    family: frozenset[str]
    several: tuple[tuple[str, ...], ...]
    and_: frozenset[str]
    described: frozenset[str]
    address: frozenset[str]
    address_next_to: frozenset[str]
    described_together: frozenset[str] = frozenset()
    held_on: frozenset[str] = frozenset()
    workers: tuple[tuple[str, ...], ...] = ()


def _phrases(items: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(words(item)) for item in items if words(item))


@cache
def _words() -> _Words:
    raw: dict[str, list[str]] = json.loads(_DATA.read_text(encoding="utf-8"))
    return _Words(
        all_of_us=_phrases(raw["all_of_us"]),
        self_=frozenset(k for w in raw["self"] for k in words(w)),
        self_joined=frozenset(k for w in raw["self_joined"] for k in words(w)),
        family=frozenset(k for w in raw["family"] for k in words(w)),
        several=_phrases(raw["several"]),
        and_=frozenset(k for w in raw["and"] for k in words(w)),
        described=frozenset(k for w in raw["described"] for k in words(w)),
        address=frozenset(k for w in raw["address"] for k in words(w)),
        address_next_to=frozenset(k for w in raw["address_next_to"] for k in words(w)),
        described_together=frozenset(k for w in raw["described_together"] for k in words(w)),
        held_on=frozenset(k for w in raw["held_on"] for k in words(w)),
        workers=_phrases(raw["workers"]),
    )


def _people_words(text: str, data: _Words) -> list[str]:
    """``text`` keyed, less each «انا» that describes the writer («انا سعودي وزوجتي
    اجنبيه»: the subject of «سعودي», not one of the people; tester 16 §1) and each word
    addressing the reader («السلام عليكم اخوي انا…»: not the writer's brother; §3)."""
    tokens = words(text)
    together = _described_together(tokens, data)

    def kept(i: int, token: str) -> bool:
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        before = tokens[i - 1] if i > 0 else ""
        if i in together or (_bare(token)[1] in data.self_ and after in data.described):
            return False
        return not (token in data.address and {before, after} & data.address_next_to)

    return [t for i, t in enumerate(tokens) if kept(i, t)]


def _described_together(tokens: Sequence[str], data: _Words) -> set[int]:
    """The places of the writer and family members joined right before a plural that says
    what they are («انا وزوجي مقيمين وابي اجدد اقامة ولدي»: the son's request alone;
    helper 22's recheck). A run without the writer («زوجتي وولدي مقيمين») is kept."""
    writer = data.self_ | data.self_joined
    people = data.family | writer
    # «and», «my» between them, «are» before the plural («my wife and I are residents»)
    between = data.and_ | {"my", "are"}
    found: set[int] = set()
    for i, token in enumerate(tokens):
        if token not in data.described_together:
            continue
        run = []
        for j in range(i - 1, -1, -1):
            word = _bare(tokens[j])[1]
            if word not in people and tokens[j] not in between:
                break
            if word in people:
                run.append(j)
        if len(run) > 1 and any(_bare(tokens[j])[1] in writer for j in run):
            found.update(run)
    return found


def _bare(token: str) -> tuple[bool, str]:
    """Whether ``token`` carries «و» («and») before it, and the word without «و», «ل»,
    «لل» («ولزوجتي» -> True, «زوجتي»). A person's word that starts with «و» itself
    («ولدي», my son) keeps it: stripped, it read «لدي» and the son was never counted
    (review 14 §3)."""
    people = _words().family | _words().self_
    joined = len(token) > 3 and token.startswith("و") and token not in people
    if joined:
        token = token[1:]
    for prefix in ("لل", "ل"):
        if len(token) - len(prefix) >= 3 and token.startswith(prefix):
            return joined, token[len(prefix) :]
    return joined, token


def _is_writer(tokens: Sequence[str], i: int, data: _Words) -> bool:
    """Whether ``tokens[i]`` names the writer as one of the people: an Arabic «لي»/«انا»,
    or an English «me»/«myself»/«I» joined by «and» to someone («me and my kids», «my wife
    and I»); a bare «I need…» or «help me…» is the sentence's subject (review 14 §1)."""
    if tokens[i] in data.self_:
        return True
    if tokens[i] not in data.self_joined:
        return False
    before = i > 0 and tokens[i - 1] in data.and_
    after = i + 1 < len(tokens) and tokens[i + 1] in data.and_
    return before or after


def _several(tokens: Sequence[str], bare: Sequence[str], data: _Words) -> bool:
    """A family word joined by «و»/«and» to a person named before it."""
    named = others = False
    for i, token in enumerate(tokens):
        joined, word = _bare(token)
        joined = joined or (i > 0 and tokens[i - 1] in data.and_)
        joined = joined or (i > 1 and tokens[i - 2] in data.and_ and tokens[i - 1] == "my")
        writer = word in data.self_ or _is_writer(tokens, i, data)
        is_person = word in data.family or writer
        # the writer joined to the writer («يطلع لي خطا… وانا جددت») is one person (§3)
        if is_person and joined and (others if writer else named):
            return True
        named = named or is_person or bare[i] in data.family
        others = others or (is_person and not writer) or bare[i] in data.family
    return False


def _mine_and_theirs(tokens: Sequence[str], bare: Sequence[str], data: _Words) -> bool:
    """«اقامتي واقامة زوجتي», «جوازي وجواز ولدي», «اقامتي وكمان ابي اجدد اقامة زوجتي»: a
    thing of the writer's («اقامتي») and, after a word joined by «و», the same thing of a
    family member's."""
    for i in range(1, len(tokens) - 1):
        thing = _bare(tokens[i])[1]
        # a family member, or several («اقامتي واقامة عيالي»: helper 21, «نبدأ بطلب أحدهم»
        # though the first request was the writer's)
        named = {tokens[i + 1], bare[i + 1]}
        several = any(has_phrase([t], p) for t in named for p in data.several if len(p) == 1)
        if len(thing) < 3 or not (named & data.family or several):
            continue
        for j in range(i):
            mine = tokens[j].startswith(thing) and tokens[j].endswith("ي") and tokens[j] != thing
            if mine and any(_bare(t)[0] or t in data.and_ for t in tokens[j + 1 : i + 1]):
                return True
    return False


#: Third-person endings of a thing («اقامتها», «جوازهم»): «her», «their». A lone «ه»
#: («اقامته») folds away with the final ه, so it is read only after a ة's «ت».
_THEIRS = ("ها", "هم", "هن", "هما")


def _mine_and_its(tokens: Sequence[str], data: _Words) -> bool:
    """«اقامتي واقامتها», «جوازي وجوازهم», «هويتي وهويته»: a thing of the writer's and,
    after a «و» (or ``and_``), the same thing of someone else's, by its ending (session 18's faults
    list: «ابي اجدد اقامتي واقامتها» was offered one renewal, nothing said of the two). A
    thing someone is held on («زوجتي معي على اقامتي وابي اجدد اقامتها») is not one of them."""
    and_ = data.and_
    for i, token in enumerate(tokens):
        if len(token) < 4 or not token.endswith("ي"):
            continue
        if i > 0 and tokens[i - 1] in data.held_on:
            continue
        stem = token[:-1]
        theirs = {stem + ending for ending in _THEIRS}
        if stem.endswith("ت"):
            theirs.add(stem)  # «اقامته» keyed «اقامت»
        linked = False  # a «و» since: «اقامتي وكمان اقامتها» too
        for later in tokens[i + 1 :]:
            joined, word = _bare(later)
            linked = linked or joined or later in and_
            if linked and word in theirs:
                return True
    return False


#: English possessives of someone else's thing: «her iqama», «his passport», and alone
#: after «and» («my iqama and hers»).
_OTHERS_BEFORE = ("her", "his", "their")
_OTHERS_ALONE = ("hers", "his", "theirs")


def _my_and_theirs_english(tokens: Sequence[str], and_: frozenset[str]) -> bool:
    """«my iqama and hers», «my passport and his», «renew my iqama and her iqama», «my
    iqama and my wife's»."""
    for i in range(len(tokens) - 1):
        if tokens[i] != "my":
            continue
        thing = tokens[i + 1]
        rest = tokens[i + 2 :]
        for k in range(len(rest) - 1):
            if rest[k] not in and_:
                continue
            after = rest[k + 1]
            if after in _OTHERS_ALONE and (k + 2 == len(rest) or rest[k + 2] != thing):
                return True
            if after in _OTHERS_BEFORE and k + 2 < len(rest) and rest[k + 2] == thing:
                return True
            # «my iqama and my wife's (iqama)» (helper 21: one request, the wife's lost)
            if after == "my" and k + 3 < len(rest) and rest[k + 3] == "s":
                return True
    return False


def several_for_whom(text: str) -> str | None:
    """The answer to «لمن هذا الطلب؟» for the first of several people ``text`` names: "self"
    when the writer is among them («لي ولزوجتي», «كلنا»), else "family" («لزوجتي
    وعيالي», «لعيالي»); None when it names one person or none."""
    data = _words()
    tokens = _people_words(text, data)
    bare = [_bare(t)[1] for t in tokens]
    if any(has_phrase(tokens, p) or has_phrase(bare, p) for p in data.all_of_us):
        return "self"
    if (
        _mine_and_theirs(tokens, bare, data)
        or _mine_and_its(tokens, data)
        or _my_and_theirs_english(tokens, data.and_)
    ):
        return "self"
    several = any(has_phrase(bare, p) for p in data.several) or _several(tokens, bare, data)
    if not several:
        return None
    writer = any(_is_writer(tokens, i, data) for i in range(len(tokens)))
    return "self" if writer or any(b in data.self_ for b in bare) else "family"


def held_on_mine(text: str) -> bool:
    """Whether ``text`` says someone is held on a thing of the writer's («زوجتي معي على
    اقامتي»): the story of who the request is for, not a need of its own."""
    tokens = words(text)
    held_on = _words().held_on
    return any(
        before in held_on and len(token) >= 4 and token.endswith("ي")
        for before, token in pairwise(tokens)
    )


def without_people(text: str) -> str:
    """``text`` without the words naming the writer or a family member («لولدي», «لي»):
    what is left names a service, if anything does («جواز لولدي» is a synonym of a
    passport's issue, yet «الطلب لولدي» asks for none)."""
    data = _words()
    people = data.family | data.self_
    kept = []
    for word in text.split():
        keyed = words(word)
        if _bare(keyed[0] if keyed else word)[1] not in people:
            kept.append(word)
    return " ".join(kept)


def several_workers(text: str) -> bool:
    """Whether ``text`` names several of an establishment's workers at once («ابي اجدد
    اقامة عمالي الثلاثة», «my workers' iqamas»): one request a worker, as one a person."""
    tokens = words(text)
    bare = [_bare(t)[1] for t in tokens]
    return any(has_phrase(tokens, p) or has_phrase(bare, p) for p in _words().workers)


def one_request_a_worker(ctx: Ctx) -> str:
    """What is said when an establishment names several of its workers: one request a
    worker, this one for one of them, one for each of the others after."""
    return ctx.texts.gettext(
        "Each request here is for one worker, since it is filed with one iqama or border number. We'll start with one of them; once it is sent, you can file one for each of the others in the same way."
    )


def one_request_each(ctx: Ctx, whom: str) -> str:
    """What is said when several people are named: one request a person, this one for the
    writer (``whom`` "self") or for the first of them, one for each of the others after."""
    _ = ctx.texts.gettext
    if whom == "self":
        return _(
            "Each request here is for one person, since it is filed with one identity number. We'll start with your own request; once it is sent, you can file one for each family member in the same way."
        )
    return _(
        "Each request here is for one person, since it is filed with one identity number. We'll start with one of them; once it is sent, you can file one for each of the others in the same way."
    )
