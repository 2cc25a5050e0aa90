"""What a short typed answer means when it is not a button's exact label or number.

:func:`understand_choice` picks the offered option a message means, driven by data people
maintain (``conversations/data/choices.json``) and measured on test sets (see the README):
dialect yes/no («ايه», «لأ», «اكيد»), the distinctive word of a label («داخل» for «داخل
المملكة»), feminine and dialect forms («سوريه»), English equivalents, and each option's own
words («ايوه ارسله» confirms). When two options are equally likely it says so, so the
dialogue asks which instead of guessing. Words are compared after Arabic folding, without
the article or a feminine ة, and within one typo for longer words (rapidfuzz, already used
by the catalogue). Whether a message asks where a request stands is
:mod:`conversations.status_question`'s.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from conversations.choice_words import ChoiceWords, choice_words, emoji_as_words
from conversations.word_keys import FUZZY_MIN as FUZZY_MIN
from conversations.word_keys import near as near
from conversations.word_keys import word_key as word_key
from conversations.word_keys import words as words

# ---- choices -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Understood:
    """The option meant (``chosen``), or several equally likely ones to ask about
    (``candidates``, ``chosen`` None)."""

    chosen: str | None
    candidates: tuple[str, ...] = ()
    # chosen as the other of two options, the one the message named being denied
    # («مو داخل» → outside): the dialogue says back what it understood
    by_negation: bool = False


def _answer_tokens(text: str, data: ChoiceWords) -> list[str]:
    """A message's words without the fillers and without a leading «I told you» (choices.
    json ``said_before``): «قلت لك في جدة» is read as «في جدة» (found by tester 12, §11:
    it got «لم أفهم» where «في جده» alone was understood)."""
    tokens = [w for w in words(emoji_as_words(text, data)) if w not in data.fillers]
    for lead in data.said_before:
        if len(tokens) > len(lead) and tuple(tokens[: len(lead)]) == lead:
            return tokens[len(lead) :]
    return tokens


def _phrase_tokens(phrase: str, data: ChoiceWords) -> list[str]:
    """A listed phrase's words as :func:`_answer_tokens` leaves a message's (no fillers)."""
    return list(_bare_phrase(phrase))


@cache
def _bare_phrase(phrase: str) -> tuple[str, ...]:
    # cached: the listed phrases are few and read at every typed answer
    fillers = choice_words().fillers
    return tuple(w for w in phrase.split() if w not in fillers) or tuple(phrase.split())


@cache
def _listed_bare(option_id: str) -> frozenset[str]:
    """``option_id``'s listed words and phrases without their fillers (:func:`says_only`)."""
    data = choice_words()
    listed = data.option_words.get(option_id, frozenset())
    return frozenset(" ".join(_bare_phrase(item)) for item in listed)


def _matches(option_id: str, patterns: Sequence[str]) -> bool:
    return any(
        option_id.startswith(p[:-1]) if p.endswith("*") else option_id == p for p in patterns
    )


def _polar(option_ids: Sequence[str], patterns: Sequence[str]) -> list[str]:
    """The offered options a plain yes (or no) means: one, or several to ask about."""
    return [o for o in option_ids if _matches(o, patterns)]


def _variants(token: str) -> tuple[str, ...]:
    # a one-letter preposition written onto the word: «لولدي», «بجده»
    if len(token) >= 4 and token[0] in "لب":
        return (token, token[1:])
    return (token,)


def understand_choice(text: str, offered: Sequence[tuple[str, str]]) -> Understood | None:
    """The offered option (id, label) a typed message means; None when it means none.

    Scoring: a yes (or no) word counts for the options that a plain yes (or no) means
    here; every other word (or listed phrase) counts for the options whose label (less
    choices.json's ``not_in_labels``) or listed words contain it, shared equally when
    several do. A word right after an «is not» (choices.json ``choice_negations``: «مو
    داخل», «ما دخل», «not inside») counts against its option instead: when nothing else
    picks one, of two options the other is returned (``by_negation``; choices.json
    ``side_options`` such as «حالة طلبي» are not counted), of more None. The
    best option wins when at least half the message's words were understood; a tie at the
    top is returned as candidates, so the dialogue asks which."""
    data = choice_words()
    ids = [option_id for option_id, _label in offered]
    tokens = _answer_tokens(text, data)
    if not tokens or len(tokens) > 8:
        return None
    # «لي» in «تابع لي أو مكفول لدي» does not name that option («لي» alone is «لي أنا»:
    # found by tester 12, it was asked about): such label words are listed apart
    vocab = {
        option_id: frozenset(words(label)) - data.fillers - data.not_in_labels
        | data.option_words.get(_pattern_key(option_id, data), frozenset())
        for option_id, label in offered
    }
    score = dict.fromkeys(ids, 0.0)
    understood = [False] * len(tokens)
    negated: set[str] = set()
    denied: set[str] = set()  # what the words just read deny
    # listed phrases of several words first («بس كذا», «that's all»), read as the message
    # is, without its fillers («زي ما هي» is «زي ما» once «هي» is set aside)
    for option_id in ids:
        for phrase in (_phrase_tokens(p, data) for p in vocab[option_id] if " " in p):
            for i in range(len(tokens) - len(phrase) + 1):
                if tokens[i : i + len(phrase)] == phrase:
                    score[option_id] += 1
                    understood[i : i + len(phrase)] = [True] * len(phrase)
    for i, token in enumerate(tokens):
        if understood[i]:
            continue
        polar = _polar(ids, data.yes_options) if token in data.yes else []
        if token in data.no:
            polar = _polar(ids, data.no_options)
        if token in data.yes or token in data.no:
            # a yes where no option is a yes is understood, not a reason to refuse
            understood[i] = True
            for option_id in polar:
                score[option_id] += 2
            denied = set()
            continue
        holders = [o for o in ids if any(near(v, w) for v in _variants(token) for w in vocab[o])]
        if not holders:
            denied = set()
        else:
            understood[i] = True
            denial = _denial_at(tokens, i, data, _negates)
            if denial is not None:
                # the denying words are understood too: «ما سمحوا له بدخول المملكة»
                understood[denial:i] = [True] * (i - denial)
                # «مو داخل المملكة»: the option named is the one it is not (routing
                # engineer, session 16: it recorded the holder inside the kingdom)
                denied = set(holders)
                negated.update(denied)
                continue
            if denied & set(holders):
                # «المملكة» of «مو داخل المملكة» goes on with the denied label
                continue
            denied = set()
            for holder in holders:
                score[holder] += 1 / len(holders)
    for option_id in ids:
        # «اقامتي خلصت»: an iqama ran out, no «done» (choices.json not_with, tester 13 §20)
        if option_id in negated or any(t in data.not_with.get(option_id, ()) for t in tokens):
            score[option_id] = 0.0
    if sum(understood) * 2 < len(tokens):
        return None
    best = max(score.values(), default=0.0)
    if best <= 0:
        # of two answers the one denied names the other; of more, the person is asked.
        # Side options do not count: «مو منشأة» at the first question, which also shows
        # «حالة طلبي» and «أسئلة شائعة», is an individual (faults list, session 18, item 5)
        answers = [o for o in ids if o not in data.side_options]
        rest = [o for o in answers if o not in negated]
        if negated and len(answers) == 2 and len(rest) == 1:
            return Understood(rest[0], by_negation=True)
        return None
    top = tuple(o for o in ids if score[o] == best)
    if len(top) == 1:
        return Understood(top[0])
    return Understood(None, top)


def says_only(text: str, option_id: str) -> bool:
    """True when the whole message is one of ``option_id``'s listed words in
    choices.json («تم», «خلاص», «done» for "done"), fillers aside: a step that takes the
    person's own words uses it so a word meant as a button is not kept as their text."""
    data = choice_words()
    listed = data.option_words.get(option_id, frozenset())
    tokens = words(text)
    bare = [w for w in tokens if w not in data.fillers]
    # a listed phrase is compared as the message is, without its fillers too («زي ما هي»)
    return bool(tokens) and (
        " ".join(tokens) in listed or (bool(bare) and " ".join(bare) in _listed_bare(option_id))
    )


def plain_yes_or_no(text: str, *, yes_only: bool = False) -> bool:
    """True when the message is only yes or no words, fillers aside («ايه», «تمام»,
    «لا والله»): an answer to whatever was asked last, which a different question must
    not take for its own; with ``yes_only``, only yes words («ايوه»)."""
    data = choice_words()
    tokens = [w for w in words(emoji_as_words(text, data)) if w not in data.fillers]
    return bool(tokens) and all(t in data.yes or (t in data.no and not yes_only) for t in tokens)


def options_named(text: str, option_ids: Sequence[str], *, in_sentence: bool = False) -> list[str]:
    """The options of ``option_ids`` that a longer message names by the words choices.json
    lists for them (``option_words``), each once, in ``option_ids``' order. A word right
    after an «is not» (``negations``: «مو», «ليست», «not») is no mention: «امي سورية مو
    مصرية» names «q:syrian» only. Words are matched whole (a leading و, ل or ب aside), not
    within a typo: a sentence holds many words that resemble others. ``in_sentence``: by
    the narrower ``sentence_words`` instead (see :func:`sentence_answer`)."""
    data = choice_words()
    lists = data.sentence_words if in_sentence else data.option_words
    tokens = words(text)
    named = []
    for option_id in option_ids:
        for phrase in lists.get(option_id, frozenset()):
            parts = phrase.split()
            size = len(parts)
            if any(
                _is_at(tokens, i, parts) and _denial_at(tokens, i, data, _negation) is None
                for i in range(len(tokens) - size + 1)
            ):
                named.append(option_id)
                break
    return named


def _negation(token: str, data: ChoiceWords) -> bool:
    # «وليست», «ومو»: the conjunction written onto the word
    return token in data.negations or (token[:1] == "و" and token[1:] in data.negations)


def _negates(token: str, data: ChoiceWords) -> bool:
    # «ومو داخل»: the conjunction written onto the word
    return token in data.choice_negations or (
        token[:1] == "و" and token[1:] in data.choice_negations
    )


def _denial_at(
    tokens: Sequence[str], i: int, data: ChoiceWords, denies: Callable[[str, ChoiceWords], bool]
) -> int | None:
    """Where the words denying the word at ``i`` begin, or None when it is not denied: an
    «is not» right before it (``denies``), or a denied ability (choices.json
    ``abilities``) with a short word between at most: «ما قدر دخول المملكة», «لا يستطيع
    دخول», «ما سمحوا له بدخول» say the holder is not inside (faults list of session 18:
    «ما قدر دخول المملكة» recorded the holder inside)."""
    if i and denies(tokens[i - 1], data):
        return i - 1
    for at in (i - 1, i - 2):
        if at < 1 or tokens[at] not in data.abilities:
            continue
        if at == i - 2 and len(tokens[i - 1]) > 3:
            continue
        before = tokens[at - 1]
        if denies(before, data) or before in data.ability_negations:
            return at - 1
    return None


def _is_at(tokens: Sequence[str], i: int, parts: Sequence[str]) -> bool:
    if len(parts) > 1:
        return list(tokens[i : i + len(parts)]) == list(parts)
    token = tokens[i]
    joined = token[1:] if len(token) >= 4 and token[0] == "و" else token
    return parts[0] in {*_variants(token), *_variants(joined)}


def sentence_answer(text: str, options: Sequence[tuple[str, bool]]) -> str | None:
    """The option id a longer sentence answers a ``sentence_questions`` question with,
    given the question's ``options`` as (option id with its «q:» prefix, allowed): the
    one option it names by choices.json ``sentence_words`` when that option is allowed,
    else None (none named, several — «انا سوري وامي مصرية» — or a refused one). Found by
    review 12 (§2): «امي مصرية بس جات من سوريا» was read as «سوري» by the country's name
    and lifted the visit-visa refusal."""
    named = options_named(text, [option for option, _ in options], in_sentence=True)
    if len(named) != 1:
        return None
    return named[0] if dict(options)[named[0]] else None


def answers_in_sentence(question_id: str) -> bool:
    """Whether a sentence at the refusal step may change the refused answer to question
    ``question_id`` (choices.json ``sentence_questions``)."""
    return question_id in choice_words().sentence_questions


def content_words(text: str) -> list[str]:
    """A message's matching keys (:func:`words`) without the fillers of choices.json
    («انا», «يعني», «my»...): the words that carry what the person says."""
    fillers = choice_words().fillers
    return [w for w in words(text) if w not in fillers]


def answer_words(text: str) -> list[str]:
    """:func:`content_words` of an answer to a question, without a leading «قلت لك»,
    «سبق وذكرت» (choices.json ``said_before``): what is weighed as the answer."""
    return _answer_tokens(text, choice_words())


def question_answer(text: str, question_id: str, option_ids: Sequence[str]) -> str | None:
    """The option of eligibility question ``question_id`` that a short typed answer
    means by the words choices.json lists for that question ("question_words", keyed
    "<question id>:<option id>"): «ولدي» or «زوجتي» at «هل صاحب الطلب تابع لك أو مكفول
    لديك؟» is its "yes", «صديقي» its "no". None when no option's words are there, or when
    several options' are (the person is asked again rather than guessed for)."""
    data = choice_words()
    tokens = answer_words(text)
    if not tokens:
        return None
    found = []
    for option_id in option_ids:
        listed = data.question_words.get(f"{question_id}:{option_id}", frozenset())
        if any(_says(tokens, phrase.split()) for phrase in listed):
            found.append(option_id)
    return found[0] if len(found) == 1 else None


def _says(tokens: Sequence[str], phrase: Sequence[str]) -> bool:
    if len(phrase) == 1:
        return any(phrase[0] in _variants(token) for token in tokens)
    return has_phrase(tokens, phrase)


def _pattern_key(option_id: str, data: ChoiceWords) -> str:
    """The option_words entry for an option id ("s:iqama_renew" -> "s:iqama_renew" or "s:*")."""
    if option_id in data.option_words:
        return option_id
    head = option_id.split(":", 1)[0]
    return f"{head}:*"


def has_phrase(tokens: Sequence[str], phrase: Sequence[str]) -> bool:
    """Whether ``phrase`` (word keys) appears in ``tokens`` as consecutive words."""
    n = len(phrase)
    return any(list(tokens[i : i + n]) == list(phrase) for i in range(len(tokens) - n + 1))
