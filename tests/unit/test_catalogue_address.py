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
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from conversations.languages import OTHER_LANGUAGE_HINT
from tests.unit.arabic_address import (
    imperatives,
    masculine_pasts,
    reader_adjectives,
    second_person_verbs,
)

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = Path(__file__).with_name("ar_masculine.json")

#: How many lines may still be masculine: lowered with every rewrite, never raised.
MASCULINE_AT_MOST = 0


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


#: third-person uses the reading cannot tell from the second person (a broken plural or an
#: indefinite subject beside the verb, a noun spelt like a verb): removed before reading
THIRD_PERSON = {
    "رسائلك تصل": "«your messages arrive»: the messages are the subject",
    "لن تصل تنبيهات": "«no more alerts will arrive», in the officers' alert",
    "أرقام تبدأ": "«digits that start with 7»",
    "إشعارات تنتظر": "«notifications waiting», a metrics line",
    "لي تنتظر": "«a message of mine waits for your answer»",
    "تغيّر الطلب": "a past tense: «the request changed»",
    "تراجع أو": "a noun: «a step back or a reopening», an officers' label",
    "رسالتي التي تطلبه": "«my message asking for it»: the message is the subject",
}


def _read_second_person(form: str) -> list[str]:
    for phrase in THIRD_PERSON:
        form = form.replace(phrase, " ")
    return second_person_verbs(form)


def test_no_line_addresses_a_man_in_the_present_or_future(
    arabic: dict[str, tuple[str, ...]],
) -> None:
    """Review 14 §10: «أيّ هذه الخدمات تحتاج؟», «هل تريد حذف بياناتك؟», «ستحتاج إلى…» speak to a
    man; «أيّ هذه الخدمات هي المطلوبة؟», «هل تُحذف بياناتك؟», «يلزم…» to anyone. Session 15:
    the reading knew six stems; with the verbs of the prompts it found «فيمكنك أن تطلب…»
    (twice) and «كنت تستعلم عن طلب», rewritten («فيمكنك طلب…», «كان لديك استعلام…»)."""
    found = {
        msgid: sorted({w for form in forms for w in _read_second_person(form)})
        for msgid, forms in arabic.items()
        if any(_read_second_person(form) for form in forms)
    }
    assert found == {}, "rewrite these lines for anyone («ما الخدمة المطلوبة؟», «يلزم…»)"


def test_no_line_has_a_past_vocalised_for_a_man(arabic: dict[str, tuple[str, ...]]) -> None:
    """«قدّمتَ طلبًا واحدًا…», «وإن رأيتَ أن الرفض…»: the fatha makes it a man's; «قدّمت» is anyone's."""
    found = {
        msgid: [w for form in forms for w in masculine_pasts(form)]
        for msgid, forms in arabic.items()
        if any(masculine_pasts(form) for form in forms)
    }
    assert found == {}
    assert masculine_pasts("قدّمتَ طلبًا، وأُرسلتْ رسالتك؛ بدأتِ «كتبتَ»، يُتَّخذ") == ["قدّمتَ"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("أيّ هذه الخدمات تحتاج؟", ["تحتاج"]),
        ("ما الخدمة التي تحتاجها؟", ["تحتاجها"]),
        ("هل تقدّم الطلب بصفتك فردًا؟", ["تقدم"]),
        ("ستحتاج إلى رقم هوية صاحب الطلب.", ["ستحتاج"]),
        ("هل تريد طلب إعادة النظر؟ وإن لم ترغب، تُسجَّل رسالتك.", ["تريد", "ترغب"]),
        ("وفي النهاية تحصل على رقم الطلب، وستجده في رسالتك.", ["تحصل", "وستجده"]),
        ("لم ترسل أي ملف.", ["ترسل"]),
        ("أنت الآن ترد على سؤال الموظف.", ["ترد"]),
        ("ليس لديك طلب مفتوح لتضيف إليه ملاحظة.", ["لتضيف"]),
        ("ليس لديك طلب تُضاف إليه ملاحظة، والرسالة ترد عليه.", []),
        ("هذه الخدمة تحتاج إلى رقم.", []),
        ("فالطلبات المقدَّمة من هذه المحادثة لا تحتاج إلى رقم.", []),
        ("هذه الخدمة تقدّمها المنشأة لعامليها.", []),
        ("أما تأشيرات الزيارة فتقدّم «تواصل» تمديدها فقط.", []),
        ("الخدمات التي تُقدَّم عبر «تواصل»، ولم تُرسل ملاحظتك.", []),
        ("ما الخدمة المطلوبة؟ يلزم رقم هوية، ويمكنك كتابة «أبي تجديد».", []),
        ("هل تحتاجين إلى مساعدة؟ هل تريدون المتابعة؟", []),
        ("يمكنك أن تختار خدمة، أو تتابع طلبك حتى تصل إلى الملخص.", ["تختار", "تتابع", "تصل"]),
        ("فيمكنك أن تطلب إعادة النظر. كنت تستعلم عن طلب.", ["تطلب", "تستعلم"]),
        ("لم تصلني أي صورة، ولن تُحتسب المدة حتى تصلنا إجابتك.", []),
        ("الطلبات التي تنتظر رد أصحابها.", []),
    ],
)
def test_the_second_person_verbs_are_found(text: str, expected: list[str]) -> None:
    assert second_person_verbs(text) == expected


def test_no_line_calls_the_reader_satisfied_as_a_man(arabic: dict[str, tuple[str, ...]]) -> None:
    """Fresh-clone tester 15 (§6): the rating buttons «⭐⭐⭐⭐⭐ راضٍ جدًا … ⭐ غير راضٍ إطلاقًا»,
    «محايد» and «٥ يعني أنك راضٍ جدًا» describe a man; «مُرضٍ جدًا», «مقبول», «غير مُرضٍ»
    describe the handling, for anyone."""
    found = {
        msgid: sorted({w for form in forms for w in reader_adjectives(form)})
        for msgid, forms in arabic.items()
        if any(reader_adjectives(form) for form in forms)
    }
    assert found == {}
    assert reader_adjectives("غير راضٍ إطلاقًا، ومحايد؛ راضية، مُرضٍ جدًا «راضي»") == ["راض", "ومحايد"]


def test_the_way_to_arabic_held_in_the_code_addresses_anyone(
    arabic: dict[str, tuple[str, ...]],
) -> None:
    """Fresh-clone tester 15 (§6): the welcome's line to English readers, «للمتابعة بالعربية
    اكتب «عربي».», is a masculine imperative; it is a string of conversations/languages.py,
    not of the catalogue, and the kept-language line must hold it word for word (the code
    looks for it there so as not to say it twice)."""
    hint = OTHER_LANGUAGE_HINT["en"]
    assert imperatives(hint) + second_person_verbs(hint) + masculine_pasts(hint) == []
    assert hint == "للمتابعة بالعربية يُرجى كتابة «عربي»."
    [kept] = arabic["This chat stays in English. To continue in Arabic, type «عربي»."]
    assert hint in kept


def test_the_terminal_goodbye_invites_anyone_back(arabic: dict[str, tuple[str, ...]]) -> None:
    [goodbye] = arabic["Goodbye. Start the chat again whenever you need us."]
    assert goodbye == "مع السلامة. يمكنك بدء المحادثة من جديد متى احتجت إلينا."


def test_the_button_after_an_answer_invites_anyone(arabic: dict[str, tuple[str, ...]]) -> None:
    """«قدّم طلبًا الآن» under a knowledge answer told a man to file; a verbal noun is anyone's
    (the imperative «قدّم» is not among the words looked for: unvocalised it is also the past
    tense, «من قدّمه»)."""
    assert arabic["File a request now"] == ("تقديم طلب الآن",)
