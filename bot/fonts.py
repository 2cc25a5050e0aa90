"""Where the Amiri font files are, for the receipt card (Pillow) and the /stats chart
(matplotlib). Apart from both so that finding a font imports neither: the chart's module
is imported by the staff commands in every worker, Pillow's FreeType and the card's
libraries only in the card's process."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_FONT_NAMES = {False: "Amiri-Regular.ttf", True: "Amiri-Bold.ttf"}


@cache
def font_file(bold: bool = False) -> Path:
    """Amiri: an Arabic naskh that also has Latin letters and digits (Noto Arabic has no
    Latin). Shipped by the ``fontpkg-amiri`` package; Debian's fonts-hosny-amiri also works.
    Raises FileNotFoundError when neither is installed."""
    name = _FONT_NAMES[bold]
    try:
        import fontpkg_amiri

        candidate = Path(fontpkg_amiri.ROOT) / "files" / name
        if candidate.is_file():
            return candidate
    except ImportError:
        pass
    for root in (Path("/usr/share/fonts"), Path("/usr/local/share/fonts")):
        for path in root.rglob("*.ttf") if root.is_dir() else ():
            if path.name.lower() == name.lower():
                return path
    raise FileNotFoundError(f"font {name} not found: install fontpkg-amiri or fonts-hosny-amiri")
