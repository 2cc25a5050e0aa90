"""Officers have no recorded gender, so the Arabic the staff group and the terminal show
must read correctly whoever acted: a name never follows a verb that would have to agree
with it («حظره نورة», «قَبِل نورة» read wrong for a woman officer; found by the
fresh-clone tester). Names come after a preposition («بقرار من نورة», «لدى نورة») or stand
at the start of a line, and a line addressed to a named officer does not use a masculine
imperative («نورة، اكتب»)."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

from conversations.i18n import Texts
from officers.confirmations import Confirmations

ROOT = Path(__file__).resolve().parents[3]
NUMBER = "4512345671"
#: the placeholders that stand for an officer's name
NAMES = re.compile(r"%\((officer|previous|by)\)s")
#: the words after which a name needs no agreement
BEFORE_A_NAME = {"من", "لدى", "إلى", "—", "منك"}
#: masculine imperatives: wrong after «نورة،»
IMPERATIVES = {"اكتب", "اختر", "أرسل", "أضف", "حدّد"}


def _arabic() -> list[tuple[str, str]]:
    with (ROOT / "locales/ar/LC_MESSAGES/tawasul.po").open("rb") as f:
        catalogue = read_po(f, locale="ar")
    pairs = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        pairs += [(str(message.id), s) for s in strings if s]
    return pairs


def test_no_officer_name_follows_a_verb_in_the_arabic_catalogue() -> None:
    wrong = []
    for msgid, text in _arabic():
        for found in NAMES.finditer(text):
            before = text[: found.start()].split()
            if before and before[-1] not in BEFORE_A_NAME:
                wrong.append((msgid, text))
        if NAMES.match(text):
            after = NAMES.sub("", text, count=1).lstrip("، ").split()
            if after and after[0] in IMPERATIVES:
                wrong.append((msgid, text))
    assert not wrong, wrong


def test_the_group_names_a_woman_officer_correctly() -> None:
    texts = Texts("ar")
    group = Confirmations(texts.gettext, texts.ngettext, "group")
    assert group.blocked(NUMBER, "نورة", changed=True).startswith(
        f"حُظِر صاحب الطلب رقم {NUMBER} بقرار من نورة:"
    )
    assert group.unblocked(NUMBER, "سارة", changed=True, by="نورة").startswith(
        f"رُفِع الحظر عن صاحب الطلب رقم {NUMBER} بقرار من سارة،"
    )
    assert "وكان الحظر بقرار من نورة." in group.unblocked(NUMBER, "سارة", changed=True, by="نورة")
    assert group.rejected(NUMBER, "نورة", grace_s=0).startswith(
        f"رُفِض الطلب {NUMBER} بقرار من نورة."
    )
    assert group.reopened(NUMBER, "نورة").startswith(f"أُعيد فتح الطلب {NUMBER} بقرار من نورة")
    assert group.taken(NUMBER, previous="نورة") == (
        f"تولّيت الطلب {NUMBER} بدلًا من نورة، وأُرسل إشعار بذلك."
    )
