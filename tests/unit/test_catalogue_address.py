"""The Arabic lines address anyone: «يُرجى كتابة إجابتك», «يمكنك بدء المحادثة من جديد», not a
masculine imperative («اكتب», «اختر», «اضغط», «صِف») that a woman writing to the service reads
as addressed to someone else. Found in session 12 (the goodbye «شغّل المحادثة مرة أخرى», the
errors «فضلًا اكتب إجابتك»…) and review 12, §6: 155 lines, among them every filing's prompts.

Every msgstr of the Arabic catalogue is read (all plural forms). A line may hold a masculine
imperative only if tests/unit/ar_masculine.json names it: under «masculine» the lines not yet
rewritten (that list only shrinks: a new line with an imperative fails here, and a listed line
that no longer has one must leave the list), under «not_addressed» the lines whose matching
word speaks to no reader (the person's own words on a button, «نعم، احذفه»; a past tense,
«أرسلَ صاحب الطلب»). Text between «…» is a label or words the person types, checked as its
own msgstr, so it is skipped. Written unvocalised, a second-person past («احتجت») or pronoun
(«رسالتك») reads for anyone, so only imperatives are looked for; «أُرسل»/«أُضيف» (a damma on
the hamza: passive or first person) are not imperatives."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = Path(__file__).with_name("ar_masculine.json")

#: How many lines may still be masculine: lowered with every rewrite, never raised.
MASCULINE_AT_MOST = 1

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
        "أخبر قل دع خذ اسمح اطلع استلم اضبط تفضل أعط انسخ اترك"
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


def _catalogue() -> dict[str, tuple[str, ...]]:
    with (ROOT / "locales" / "ar" / "LC_MESSAGES" / "tawasul.po").open("rb") as fh:
        catalogue = read_po(fh, locale="ar")
    found: dict[str, tuple[str, ...]] = {}
    for message in catalogue:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        forms = message.string
        found[key] = (forms,) if isinstance(forms, str) else tuple(forms)
    return found


@pytest.fixture(scope="module")
def arabic() -> dict[str, tuple[str, ...]]:
    return _catalogue()


@pytest.fixture(scope="module")
def allowed() -> dict[str, list[str]]:
    data = json.loads(ALLOWED.read_text(encoding="utf-8"))
    return {"masculine": data["masculine"], "not_addressed": list(data["not_addressed"])}


def test_no_line_but_the_listed_ones_has_a_masculine_imperative(
    arabic: dict[str, tuple[str, ...]], allowed: dict[str, list[str]]
) -> None:
    listed = set(allowed["masculine"]) | set(allowed["not_addressed"])
    new = {
        msgid: sorted({w for form in forms for w in imperatives(form)})
        for msgid, forms in arabic.items()
        if msgid not in listed and any(imperatives(form) for form in forms)
    }
    assert new == {}, "rewrite these lines for anyone («يُرجى كتابة…», «يمكنك الضغط على…»)"


def test_the_list_names_only_lines_that_still_have_one(
    arabic: dict[str, tuple[str, ...]], allowed: dict[str, list[str]]
) -> None:
    stale = [
        msgid
        for msgid in allowed["masculine"] + allowed["not_addressed"]
        if not any(imperatives(form) for form in arabic.get(msgid, ()))
    ]
    assert stale == [], f"remove these from {ALLOWED.name}: rewritten or gone"


def test_the_list_of_masculine_lines_only_shrinks(allowed: dict[str, list[str]]) -> None:
    masculine = allowed["masculine"]
    assert len(masculine) == len(set(masculine))
    assert len(masculine) <= MASCULINE_AT_MOST


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("فضلًا اكتب الرقم.", ["فضلا", "اكتب"]),
        ("صِف طلبك بكلماتك.", ["صف"]),
        ("إن لم يكن الرقم معك، فاختر «إلغاء».", ["فاختر"]),
        ("أرسلها عندما نطلب منك المستندات.", ["أرسلها"]),
        ("عُد إليه لإكماله، أو ألغِه هناك.", ["عد", "ألغه"]),
        ("ولتغييرها اختر «رجوع».", ["اختر"]),
        ("يُرجى كتابة رقم الهوية.", []),
        ("يمكنك إرسال المزيد، أو الضغط على «تم».", []),
        ("أُرسل طلبك، ولم أُضِفه إلى الوصف؛ وأُرسل إشعار.", []),
        ("يُرجى وصف طلبك، واكتب «أضف ملاحظة لطلبي» فيه.", ["واكتب"]),
    ],
)
def test_the_imperatives_are_found(text: str, expected: list[str]) -> None:
    assert imperatives(text) == expected


def test_the_terminal_goodbye_invites_anyone_back(arabic: dict[str, tuple[str, ...]]) -> None:
    [goodbye] = arabic["Goodbye. Start the chat again whenever you need us."]
    assert goodbye == "مع السلامة. يمكنك بدء المحادثة من جديد متى احتجت إلينا."
