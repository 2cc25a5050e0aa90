"""File names from a sender's phone, cleaned before they are used again."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from domain.file_names import MAX_NAME_CHARS, clean_file_name, safe_file_name

CHECKSUM = "3f2a9c1b" + "0" * 56


def test_a_line_break_in_a_name_is_dropped() -> None:
    assert clean_file_name("scan\r\n.pdf") == "scan.pdf"


def test_bidi_controls_cannot_disguise_an_extension() -> None:
    # «invoice‮fdp.exe» reads as «invoiceexe.pdf» on screen
    assert clean_file_name("invoice\u202efdp.exe") == "invoicefdp.exe"
    assert clean_file_name("\u200fصورة\u200c الإقامة\u2066.jpg") == "صورة الإقامة.jpg"


def test_separators_and_leading_dots_cannot_name_a_path() -> None:
    assert clean_file_name("../../etc/passwd") == "_.._etc_passwd"
    assert clean_file_name("C:\\x\\y.pdf") == "C__x_y.pdf"
    assert clean_file_name(".hidden.pdf") == "hidden.pdf"


def test_arabic_names_stay_as_they_are() -> None:
    assert clean_file_name("جواز سفر  محمد.pdf") == "جواز سفر محمد.pdf"


def test_a_name_with_nothing_readable_falls_back_to_kind_and_checksum() -> None:
    for name in (None, "", "\u200f\u202e", "...", " .pdf", "\r\n"):
        assert clean_file_name(name) is None
        assert safe_file_name(name, kind="document", checksum=CHECKSUM, mime="application/pdf") == (
            "document-3f2a9c1b.pdf"
        )
    assert safe_file_name(None, kind="photo", checksum=None, mime="image/jpeg") == "photo-file.jpg"


def test_a_long_name_keeps_its_extension() -> None:
    cleaned = clean_file_name("ا" * 500 + ".pdf")
    assert cleaned is not None and len(cleaned) == MAX_NAME_CHARS and cleaned.endswith(".pdf")


@given(st.text(max_size=300))
def test_whatever_arrives_the_name_is_safe_to_use(name: str) -> None:
    safe = safe_file_name(name, kind="document", checksum=CHECKSUM, mime="application/pdf")
    assert safe and len(safe) <= MAX_NAME_CHARS
    assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs") for ch in safe)
    assert not any(ch in '/\\:*?"<>|' for ch in safe)
    assert not safe.startswith(".") and safe == safe.strip()
    # what an HTTP header would carry: nothing that ends or splits it
    assert "\r" not in safe and "\n" not in safe
