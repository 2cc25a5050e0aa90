"""File names people send, made safe to use as a name again (an upload's filename, a
header, a caption).

A name comes from the sender's phone and may hold anything: line breaks (``scan\\r\\n.pdf``
makes an HTTP client refuse the whole multipart upload), bidi controls that make
``invoice‮fdp.exe`` read as ``invoice.exe.pdf``, zero-width characters, path separators,
a leading dot. Such characters are dropped, separators become "_", and a name with
nothing readable left falls back to one made from the file's kind and checksum. Letters
of any script stay: people name their files in Arabic.
"""

from __future__ import annotations

import unicodedata
from typing import Final

#: Longest name kept, in characters (the extension is kept whole).
MAX_NAME_CHARS: Final = 120
#: Unicode categories dropped: controls, format characters (bidi embeddings, overrides
#: and isolates, LRM/RLM/ALM, ZWJ/ZWNJ, BOM), line and paragraph separators, unassigned
#: and private-use code points, and lone surrogates.
_DROPPED: Final = frozenset({"Cc", "Cf", "Zl", "Zp", "Cn", "Co", "Cs"})
_SEPARATORS: Final = frozenset('/\\:*?"<>|')
_EXTENSIONS: Final = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/heic": ".heic",
    "image/heif": ".heif",
}


def clean_file_name(name: str | None) -> str | None:
    """`name` without control, format or bidi characters, separators made "_", spaces
    collapsed, leading dots and spaces removed, at most :data:`MAX_NAME_CHARS`; None when
    nothing readable is left (no letter or digit)."""
    if not name:
        return None
    kept: list[str] = []
    for ch in unicodedata.normalize("NFC", name):
        category = unicodedata.category(ch)
        if category in _DROPPED:
            continue
        if ch in _SEPARATORS:
            kept.append("_")
        elif category.startswith("Z"):
            kept.append(" ")
        else:
            kept.append(ch)
    joined = " ".join("".join(kept).split())
    stem, dot, extension = joined.rpartition(".")
    if not (dot and extension.isalnum() and len(extension) <= 10):
        stem = joined
    if not any(ch.isalnum() for ch in stem):
        return None  # nothing but an extension, dots or spaces
    cleaned = joined.lstrip(". ")
    if len(cleaned) > MAX_NAME_CHARS:
        stem, dot, extension = cleaned.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            cleaned = stem[: MAX_NAME_CHARS - len(extension) - 1].rstrip() + "." + extension
        else:
            cleaned = cleaned[:MAX_NAME_CHARS].rstrip()
    return cleaned


def safe_file_name(name: str | None, *, kind: str, checksum: str | None, mime: str) -> str:
    """A name that is always safe to use: :func:`clean_file_name` of `name`, or else
    ``<kind>-<first 8 of checksum><extension of mime>`` (e.g. ``document-3f2a9c1b.pdf``)."""
    cleaned = clean_file_name(name)
    if cleaned is not None:
        return cleaned
    tag = (checksum or "")[:8] or "file"
    return f"{kind}-{tag}{_EXTENSIONS.get(mime.lower(), '')}"
