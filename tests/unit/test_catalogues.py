"""Every text the bot can send exists, translated and not fuzzy, in every catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
METHOD_MAP = [
    ("domain/**.py", "python"),
    ("conversations/**.py", "python"),
    ("officers/**.py", "python"),
    ("bot/**.py", "python"),
]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def _code_messages() -> set[str | tuple[str, ...]]:
    found: set[str | tuple[str, ...]] = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        str(ROOT), METHOD_MAP, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


@pytest.mark.parametrize("locale", ["ar", "en"])
def test_catalogue_has_every_message_translated(locale: str) -> None:
    path = ROOT / "locales" / locale / "LC_MESSAGES" / "tawasul.po"
    with path.open("rb") as fh:
        catalogue = read_po(fh, locale=locale)
    problems = []
    for message in sorted(_code_messages(), key=str):
        key = message[0] if isinstance(message, tuple) else message
        entry = catalogue.get(key)
        if entry is None:
            problems.append(f"missing: {key!r}")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {key!r}")
        elif not all(entry.string if isinstance(entry.string, tuple) else [entry.string]):
            problems.append(f"untranslated: {key!r}")
    assert not problems, f"{locale} catalogue:\n" + "\n".join(problems)


def test_arabic_plurals_have_six_forms() -> None:
    path = ROOT / "locales" / "ar" / "LC_MESSAGES" / "tawasul.po"
    with path.open("rb") as fh:
        catalogue = read_po(fh, locale="ar")
    assert catalogue.num_plurals == 6
    plural = [m for m in catalogue if m.id and isinstance(m.id, tuple)]
    assert plural, "the Arabic catalogue should hold plural messages"
    for message in plural:
        assert len(message.string) == 6 and all(message.string), message.id


# CLDR's Arabic plural categories, in the order of the catalogue's six forms
_FORMS = ("zero", "one", "two", "few", "many", "other")


def test_arabic_plural_rule_is_cldrs() -> None:
    """Babel writes Arabic catalogues with a rule that puts 11–99 in the sixth form and
    100–102 in the fifth, the wrong way round: «١١ ملف» and «١٠٠ ملفًا». The header is
    corrected once and kept by `pybabel update`; this fails if it ever comes back."""
    import gettext

    from babel import Locale

    path = ROOT / "locales" / "ar" / "LC_MESSAGES" / "tawasul.po"
    with path.open("rb") as fh:
        catalogue = read_po(fh, locale="ar")
    form_of = gettext.c2py(catalogue.plural_expr)  # what gettext does with the .mo header
    category_of = Locale("ar").plural_form
    wrong = [n for n in range(1250) if _FORMS[form_of(n)] != category_of(n)]
    assert not wrong, f"numbers in the wrong plural form: {wrong[:10]}"


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "يوم عمل واحد"),
        (2, "يوما عمل"),
        (3, "٣ أيام عمل"),
        (10, "١٠ أيام عمل"),
        (11, "١١ يوم عمل"),
        (99, "٩٩ يوم عمل"),
        (100, "١٠٠ يوم عمل"),
    ],
)
def test_counts_take_the_arabic_plural_form(count: int, expected: str) -> None:
    from conversations.formatting import present
    from conversations.i18n import Texts

    text = Texts("ar").ngettext("%(count)d working day", "%(count)d working days", count)
    assert present(text % {"count": count}, "ar", "arab") == expected


def test_english_counts_take_the_english_plural() -> None:
    from conversations.i18n import Texts

    texts = Texts("en")
    one = texts.ngettext("%(count)d working day", "%(count)d working days", 1)
    assert one % {"count": 1} == "1 working day"
    assert (
        texts.ngettext("%(count)d working day", "%(count)d working days", 7) % {"count": 7}
        == "7 working days"
    )
