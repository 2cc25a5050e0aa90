"""The receipt card: a picture of the filed request that a person keeps in their gallery.

It shows the request number (large, and as a QR code of it), the service, the filing day
and the day the answer is due in both calendars, and how many working days that is, in
the person's language: right to left with joined letters in Arabic, left to right in
English, the QR code on the side the eye reaches last.

Arabic needs shaping (letters change form with their neighbours) and bidi reordering.
Pillow does both itself when it was built with libraqm (``features.check("raqm")``);
otherwise the text is shaped with arabic-reshaper and reordered with python-bidi, and
Pillow's basic layout draws the result as it is. Never both: raqm would reorder the
already reordered text and the line would come out backwards. :class:`Painter` owns that
choice, so nothing else draws text.

The card is drawn once per request and language into the data directory (mode 0600, like
the received photos), in a worker process (:class:`bot.receipt_cards.ReceiptCards`, which
imports this module only there), by the outbox delivery that sends it after the
confirmation text (see ``bot/outbox/receipts.py``); every channel sends it as a local
image file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import arabic_reshaper
import qrcode
from bidi import get_display
from PIL import Image, ImageDraw, ImageFont, features
from qrcode.constants import ERROR_CORRECT_M

from bot.fonts import font_file
from bot.receipt_cards import Shaping
from conversations.formatting import digits_for, format_gregorian, format_hijri, to_digits
from conversations.formatting import weekday_name as _weekday
from conversations.i18n import Texts
from conversations.receipt import Receipt
from domain.catalogue import Catalogue, local

WIDTH, HEIGHT = 1200, 1000
MARGIN = 60
HEADER_HEIGHT = 170
QR_AREA = 300
GUTTER = 60

_GREEN = (0, 98, 65)
_INK = (22, 27, 34)
_MUTED = (96, 104, 112)
_PAPER = (255, 255, 255)
_RULE = (214, 219, 223)
_ON_GREEN = (255, 255, 255)
_ON_GREEN_MUTED = (204, 230, 219)


def available_shaping() -> Shaping:
    return "raqm" if features.check("raqm") else "basic"


@cache
def _font(size: int, bold: bool, shaping: Shaping) -> ImageFont.FreeTypeFont:
    engine = ImageFont.Layout.RAQM if shaping == "raqm" else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(font_file(bold)), size, layout_engine=engine)


def _has_arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" for ch in text)


Box = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class Placed:
    """One thing drawn on the card, where it was drawn (left, top, right, bottom)."""

    role: str
    text: str
    box: Box
    size: int = 0
    bold: bool = False


@dataclass
class Painter:
    """Draws one line of text in one direction with the shaping chosen once for all."""

    draw: ImageDraw.ImageDraw
    shaping: Shaping
    placed: list[Placed] = field(default_factory=list)

    def font(self, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
        return _font(size, bold, self.shaping)

    def _args(self, text: str, rtl: bool) -> tuple[str, dict[str, str]]:
        if self.shaping == "raqm":
            return text, {"direction": "rtl" if rtl else "ltr", "language": "ar" if rtl else "en"}
        if rtl or _has_arabic(text):
            # shaped to presentation forms, then put in display order: drawn as is
            return get_display(arabic_reshaper.reshape(text), base_dir="R" if rtl else "L"), {}
        return text, {}

    def width(self, text: str, size: int, *, bold: bool = False, rtl: bool = False) -> int:
        shown, args = self._args(text, rtl)
        return int(self.draw.textlength(shown, font=self.font(size, bold), **args))  # type: ignore[arg-type]

    def fit(self, text: str, size: int, room: int, *, bold: bool = False, rtl: bool = False) -> int:
        """The largest size up to ``size`` at which ``text`` fits in ``room`` pixels."""
        while size > 18 and self.width(text, size, bold=bold, rtl=rtl) > room:
            size -= 2
        return size

    def text(
        self,
        role: str,
        xy: tuple[int, int],
        text: str,
        size: int,
        *,
        anchor: str,
        rtl: bool,
        bold: bool = False,
        fill: tuple[int, int, int] = _INK,
    ) -> Box:
        shown, args = self._args(text, rtl)
        font = self.font(size, bold)
        box = self.draw.textbbox(xy, shown, font=font, anchor=anchor, **args)  # type: ignore[arg-type]
        self.draw.text(xy, shown, font=font, anchor=anchor, fill=fill, **args)  # type: ignore[arg-type]
        placed = Placed(
            role, text, (int(box[0]), int(box[1]), int(box[2]), int(box[3])), size, bold
        )
        self.placed.append(placed)
        return placed.box


@dataclass(frozen=True, slots=True)
class CardLines:
    """The card's words, already in the person's language and digits."""

    title: str
    subtitle: str
    number_label: str
    number: str
    rows: tuple[tuple[str, str, tuple[str, ...]], ...]  # (role, label, value lines)
    footer: str


def card_lines(receipt: Receipt, service_name: str) -> CardLines:
    texts = Texts(receipt.locale)
    _ = texts.gettext
    digits = digits_for(receipt.locale, receipt.arabic_digits)

    def local_digits(text: str) -> str:
        return to_digits(text, digits)

    days = receipt.working_days
    due_day = _("%(weekday)s %(date)s") % {
        "weekday": _weekday(receipt.due, receipt.locale),
        "date": format_hijri(receipt.due, texts),
    }
    rows = (
        ("service", _("Service"), (service_name,)),
        (
            "filed",
            _("Filing date"),
            (format_hijri(receipt.filed, texts), format_gregorian(receipt.filed, texts)),
        ),
        ("due", _("Reply due by"), (due_day, format_gregorian(receipt.due, texts))),
        (
            "days",
            _("Time to reply"),
            (
                texts.ngettext("%(count)d working day", "%(count)d working days", days)
                % {"count": days},
            ),
        ),
    )
    return CardLines(
        title=_("Tawasul · General Directorate of Passports"),
        subtitle=_("Request receipt"),
        number_label=_("Request number"),
        # an identifier, typed back and scanned: ASCII digits in every language
        number=receipt.number,
        rows=tuple(
            (role, label, tuple(local_digits(v) for v in values)) for role, label, values in rows
        ),
        footer=_("Keep the request number: you will need it to ask about your request."),
    )


def qr_matrix(data: str) -> list[list[bool]]:
    """The QR code of ``data`` as rows of dark (True) modules, quiet zone included."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=1, border=4)
    code.add_data(data)
    code.make(fit=True)
    return [[bool(cell) for cell in row] for row in code.get_matrix()]


def _draw_qr(draw: ImageDraw.ImageDraw, left: int, top: int, data: str) -> Box:
    matrix = qr_matrix(data)
    module = QR_AREA // len(matrix)
    side = module * len(matrix)
    # centred in its area so the code's edge lines up whatever its version
    left += (QR_AREA - side) // 2
    top += (QR_AREA - side) // 2
    draw.rectangle((left, top, left + side - 1, top + side - 1), fill=_PAPER)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                x, y = left + c * module, top + r * module
                draw.rectangle((x, y, x + module - 1, y + module - 1), fill=_INK)
    return (left, top, left + side, top + side)


@dataclass(frozen=True, slots=True)
class Card:
    image: Image.Image
    placed: tuple[Placed, ...]
    shaping: Shaping
    rtl: bool

    def find(self, role: str) -> Iterator[Placed]:
        return (p for p in self.placed if p.role == role)

    def one(self, role: str) -> Placed:
        (found,) = self.find(role)
        return found


def draw_card(lines: CardLines, *, rtl: bool, shaping: Shaping | None = None) -> Card:
    """Lays the card out: in Arabic every line hangs from the right margin and the QR code
    sits on the left; in English the mirror image."""
    shaping = shaping or available_shaping()
    image = Image.new("RGB", (WIDTH, HEIGHT), _PAPER)
    draw = ImageDraw.Draw(image)
    painter = Painter(draw, shaping)
    start_x = WIDTH - MARGIN if rtl else MARGIN
    anchor = "ra" if rtl else "la"

    draw.rectangle((0, 0, WIDTH, HEADER_HEIGHT), fill=_GREEN)
    title_size = painter.fit(lines.title, 50, WIDTH - 2 * MARGIN, bold=True, rtl=rtl)
    painter.text("title", (start_x, 38), lines.title, title_size, anchor=anchor, rtl=rtl, bold=True, fill=_ON_GREEN)  # fmt: skip
    painter.text("subtitle", (start_x, 108), lines.subtitle, 32, anchor=anchor, rtl=rtl, fill=_ON_GREEN_MUTED)  # fmt: skip

    qr_left = MARGIN if rtl else WIDTH - MARGIN - QR_AREA
    qr_top = HEADER_HEIGHT + 50
    qr_box = _draw_qr(draw, qr_left, qr_top, lines.number)
    painter.placed.append(Placed("qr", lines.number, qr_box))
    room = WIDTH - 2 * MARGIN - QR_AREA - GUTTER

    y = HEADER_HEIGHT + 36
    painter.text("label:number", (start_x, y), lines.number_label, 28, anchor=anchor, rtl=rtl, fill=_MUTED)  # fmt: skip
    y += 42
    # digits read left to right in either language; drawn as their own left-to-right run
    painter.text("number", (start_x, y), lines.number, 64, anchor=anchor, rtl=False, bold=True)
    y += 92
    for role, label, values in lines.rows:
        painter.text(f"label:{role}", (start_x, y), label, 28, anchor=anchor, rtl=rtl, fill=_MUTED)
        y += 42
        for value in values:
            size = painter.fit(value, 38, room, rtl=rtl)
            painter.text(role, (start_x, y), value, size, anchor=anchor, rtl=rtl)
            y += 54
        y += 14

    draw.line((MARGIN, HEIGHT - 80, WIDTH - MARGIN, HEIGHT - 80), fill=_RULE, width=2)
    footer_size = painter.fit(lines.footer, 26, WIDTH - 2 * MARGIN, rtl=rtl)
    painter.text("footer", (WIDTH // 2, HEIGHT - 44), lines.footer, footer_size, anchor="mm", rtl=rtl, fill=_MUTED)  # fmt: skip
    return Card(image, tuple(painter.placed), shaping, rtl)


def render_card(receipt: Receipt, catalogue: Catalogue, *, shaping: Shaping | None = None) -> Card:
    service = local(catalogue.get(receipt.service_id).name, receipt.locale)
    return draw_card(card_lines(receipt, service), rtl=receipt.locale == "ar", shaping=shaping)


def write_card(receipt: Receipt, service_name: str, path: str, shaping: Shaping | None) -> None:
    """Draws the card into `path` (a worker process runs this). Written whole under
    another name, then renamed: a card is never seen half-written; mode 0600."""
    card = draw_card(card_lines(receipt, service_name), rtl=receipt.locale == "ar", shaping=shaping)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".png.tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            # optimize=True took ~160 ms a card for 3% fewer bytes (bench/dialogue.py
            # halved its throughput); zlib level 3 takes ~25 ms for 12% more
            card.image.save(out, format="PNG", compress_level=3)
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
