"""The Arabic the officers read addresses no officer in the masculine. Officers' gender is
not recorded (README, Officers), so a line that speaks to an officer without their name
uses a neutral form: «يُرجى كتابة …», a passive («يُضغط ✅ مرة أخرى»), a noun
(«تراجع أو إعادة فتح»), never a masculine imperative («اكتب», «اضغط», «أعد فتحه»).
Found by the review of session 10: some twenty such lines in bot/staff and officers."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir

from conversations.i18n import Texts

ROOT = Path(__file__).resolve().parents[3]
#: Masculine singular (and plural) imperatives and second-person verbs the staff lines had;
#: «أرسل» is left out: unvowelled it is also the past («أرسل صاحب الطلب …»).
MASCULINE = (
    "اكتب", "اكتبه", "اضغط", "استخدم", "استخدموا", "ابحث", "أعد", "تحقق", "تحقّق", "حاول",
    "أجب", "أوقف", "شغّل", "اضبط", "تولَّ", "تتراجع", "تكتبه", "تسأل", "تتولّاه",
)  # fmt: skip
_WORD = re.compile(r"[\u0600-\u06FF]+")


def _officer_lines() -> list[tuple[str, str]]:
    found = []
    for folder in ("bot/staff", "officers"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder,
            method_map=[("**.py", "python")],
            keywords={"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)},
        ):
            singular = message[0] if isinstance(message, tuple) else message
            if singular:
                found.append((f"{folder}/{_file}", singular))
    return found


def test_no_officer_line_is_in_the_masculine_imperative() -> None:
    lines = _officer_lines()
    assert len(lines) > 200  # the extraction found the staff texts
    texts = Texts("ar")
    wrong = []
    for where, message in lines:
        arabic = texts.gettext(message)
        words = set(_WORD.findall(arabic.replace("فاكتب", "اكتب")))
        if words & set(MASCULINE):
            wrong.append(f"{where}: {arabic}")
    assert wrong == []
