"""How an Arabic line addresses its reader: the masculine forms a woman reads as addressed to
someone else. Shared by tests/unit/test_catalogue_address.py (the catalogue) and
tests/unit/test_data_address.py (the data files' texts). Two readings:

- `imperatives`: a masculine singular imperative («اكتب», «اختر», «فضلًا»);
- `second_person_verbs`: a masculine second-person present or future («تحتاج», «تريدها»,
  «ستحتاج», «هل تقدّم», «تختار», «تتابع»), review 14 §10 and session 15 (the verbs were a
  list of six stems: «تصل», «تختار», «تتابع» were not read; now the verbs of the bot's prompts). Unvocalised, «تحتاج» is also the third-person
  feminine («الخدمة تحتاج…»): a verb with its subject beside it is not counted, that is a noun
  in «ة»/«هي» just before it (past «لا/لن/لم/قد»), or a definite noun, «هذه/هذا» or a «…» label
  just after it («تقدّمها المنشأة», «فتقدّم «تواصل»»), or «التي» before it, or the bot as
  its object («لم تصلني», «تصلنا»: what reaches the bot); nor a verb written with a damma on its
  «ت» (a passive, «تُقدَّم»). The feminine second person («تحتاجين») and the plural
  («تحتاجون») address their readers and are not counted;
- `masculine_pasts`: a past tense vocalised for a man («قدّمتَ», «رأيتَ»): unvocalised
  («قدّمت») it reads for anyone;
- `reader_adjectives`: a masculine adjective of how the reader feels («راضٍ», «غير راضٍ
  إطلاقًا», «محايد»: the rating buttons and «٥ يعني أنك راضٍ جدًا», fresh-clone tester 15
  §6); words about the service («مُرضٍ», «مقبول») read for anyone.
"""

from __future__ import annotations

import re

_HARAKAT = "\u064b-\u0652\u0670"
_DIACRITIC = re.compile(f"[{_HARAKAT}\u0640]")
_WORD = re.compile(f"[\u0621-\u064a{_HARAKAT}\u0640]+")
_QUOTED = re.compile(r"«[^«»]*»")
#: masculine singular imperatives (unvocalised), and «فضلًا», which the catalogue put only
#: before one; a leading و/ف and an object pronoun are allowed («فاكتبه», «وأرسلها»)
_VERBS = frozenset(
    (
        "فضلا راسلنا شغل اضغط اكتب اختر أجب أرسل أعد انتظر حاول تأكد قارن طابق أضف شارك أكمل "
        "راجع صف أدخل ادخل استخدم ابدأ اطلب اذكر احذف احتفظ اختصر ألغ عد تابع تحقق ضع عدل "
        "اتصل توجه احجز اصطحب أبق اقرأ انقر المس افتح اسأل جرب حدد أرفق ارفق اتبع تجاهل ابحث "
        "أخبر قل دع خذ اسمح اطلع استلم اضبط تفضل أعط انسخ اترك وضح"
    ).split()
)
_PRONOUNS = ("", "ه", "ها", "هما", "هم", "ني", "نا")
#: words spelt like an imperative that are nouns here («وصف الطلب», «يُرجى وصفه»)
_NOUNS = frozenset(("وصف", "وصفه", "وصفها"))
_LEADING_MARKS = re.compile(f"^[{_HARAKAT}]+")


def imperatives(text: str) -> list[str]:
    """The masculine imperatives of an Arabic text, as written (diacritics dropped)."""
    found = []
    for raw in _WORD.findall(_QUOTED.sub(" ", text)):
        bare = _DIACRITIC.sub("", raw)
        if bare in _NOUNS:
            continue
        for start in (0, 1) if bare[:1] in "وف" else (0,):
            rest = _LEADING_MARKS.sub("", raw[1:]) if start else raw
            if rest.startswith("أُ"):
                continue  # passive or first person: «أُرسل», «وأُرسل»
            word = bare[start:]
            if any(word.endswith(p) and word[: len(word) - len(p)] in _VERBS for p in _PRONOUNS):
                found.append(bare)
                break
    return found


#: present-tense stems (after the «ت») of the verbs the catalogue used to address a man
_PRESENT_STEMS = frozenset(
    (
        "حتاج ريد قدم رغب ستطيع عرف ود قصد سأل جد حصل تمكن بحث كتب رسل رد ضيف "
        # session 15: «تصل», «تختار», «تتابع» were not read; the verbs of the same prompts
        "صل ختار تابع ضغط دخل نتظر ستخدم ستلم حمل رفق رفع ذكر حجز راجع طلب جيب عيد غير "
        "حتفظ ستفسر شارك بدأ بدا كمل لغي حذف رجع فتح قرأ نسى ستعلم صور دفع نتقل كتفي "
        "ستطع حدد ختر رى تلقى لقى جدد ثبت عبئ عدل"
    ).split()
)
#: stems whose object takes a preposition («تحتاج إلى»): a noun right after one is its subject
_INTRANSITIVE = frozenset(("حتاج", "رغب", "تمكن"))
_OBJECTS = ("", "ه", "ها", "هما", "هم", "ني", "نا")
#: an object pronoun of the bot itself: the verb's subject is what reaches it, not the reader
_FIRST_PERSON = ("ني", "نا")
_TOKEN = re.compile(f"«[^«»]*»|[\u0621-\u064a{_HARAKAT}\u0640]+")
_PARTICLES = frozenset("لا لن لم قد".split())
_PREPOSITIONS = frozenset("في وفي من إلى على عن مع بعد قبل عند".split())


def _subject_before(words: list[str], at: int) -> bool:
    back = at - 1
    if back >= 0 and words[back] in _PARTICLES:
        back -= 1
    if back < 0:
        return False
    word = words[back]
    if back and words[back - 1] in _PREPOSITIONS:
        return False  # «وفي النهاية تحصل»: no subject
    return word == "هي" or (word.endswith("ة") and not word.startswith("«"))


def _subject_after(words: list[str], at: int, stem: str, pronoun: str) -> bool:
    # after a transitive verb with no object pronoun («هل تقدّم الطلب»), the noun is its object
    if at + 1 >= len(words) or not (pronoun or stem in _INTRANSITIVE):
        return False
    word = words[at + 1]
    return word.startswith(("«", "ال")) or word in ("هذه", "هذا")


def _mark_after_taa(raw: str, lead: int) -> str:
    """The diacritic written on the «ت» that follows `lead` letters of `raw`, or ''."""
    letters = 0
    for i, char in enumerate(raw):
        if _DIACRITIC.match(char):
            continue
        if letters == lead:
            following = raw[i + 1 : i + 2]
            return following if _DIACRITIC.match(following) else ""
        letters += 1
    return ""


def second_person_verbs(text: str) -> list[str]:
    """The masculine second-person present/future verbs of an Arabic text, diacritics dropped."""
    raws = _TOKEN.findall(text)
    words = [_DIACRITIC.sub("", raw) for raw in raws]
    found = []
    for at, (raw, word) in enumerate(zip(raws, words, strict=True)):
        if word.startswith("«"):
            continue
        for lead in ("", "و", "ف", "ل", "س", "وس", "فس", "ول", "فل"):
            if not word.startswith(lead + "ت"):
                continue
            rest = word[len(lead) + 1 :]
            pronoun = next(
                (
                    o
                    for o in reversed(_OBJECTS)
                    if rest.endswith(o) and rest[: len(rest) - len(o)] in _PRESENT_STEMS
                ),
                None,
            )
            if pronoun is None:
                continue
            stem = rest[: len(rest) - len(pronoun)]
            if pronoun in _FIRST_PERSON:
                break  # «لم تصلني أي صورة», «حتى تصلنا إجابتك»: it reaches the bot
            if _mark_after_taa(raw, len(lead)) == "\u064f":
                break  # «تُقدَّم», «وتُرسل»: a passive
            if not pronoun and at and words[at - 1] == "التي":
                break  # «الطلبات التي تنتظر»: its subject is the noun («التي تحتاجها» is not)
            if _subject_before(words, at) or _subject_after(words, at, stem, pronoun):
                break
            found.append(word)
            break
    return found


_MASCULINE_PAST = re.compile(
    "[\u0621-\u064a][\u0621-\u064a\u0651]*\u062a\u064e(?![\u0621-\u064a\u064b-\u0652])"
)


def masculine_pasts(text: str) -> list[str]:
    """The words of an Arabic text ending in «تَ» (a fatha on a final «ت»), as written."""
    return _MASCULINE_PAST.findall(_QUOTED.sub(" ", text))


#: masculine adjectives of the reader's feelings (unvocalised); the feminine («راضية») and
#: words about the service («مُرضٍ», «مقبول») are not here
_FEELINGS = frozenset("راض راضي راضيا محايد محايدا مستاء مستاءا متضايق منزعج غاضب ممتن".split())


def reader_adjectives(text: str) -> list[str]:
    """The masculine adjectives of the reader's feelings in an Arabic text, diacritics
    dropped (a leading و/ف allowed: «وراضٍ»)."""
    found = []
    for raw in _WORD.findall(_QUOTED.sub(" ", text)):
        bare = _DIACRITIC.sub("", raw)
        if bare in _FEELINGS or (bare[:1] in "وف" and bare[1:] in _FEELINGS):
            found.append(bare)
    return found
