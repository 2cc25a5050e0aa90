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
