"""The receipt card as a person sees it: a real PNG, Arabic joined and right to left, the
number in order and scannable, English mirrored; the two shaping paths agree."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageChops, ImageDraw, ImageFont, features

from bot.fonts import font_file
from bot.receipt import (
    HEIGHT,
    MARGIN,
    WIDTH,
    Card,
    Painter,
    available_shaping,
    render_card,
)
from bot.receipt_cards import ReceiptCards, Shaping
from conversations.receipt import Receipt
from domain.catalogue import load_catalogue

NUMBER = "6418407042"
SHAPINGS: list[Shaping] = ["raqm", "basic"] if features.check("raqm") else ["basic"]


def _receipt(locale: str = "ar", **changes: object) -> Receipt:
    fields: dict[str, object] = {
        "number": NUMBER,
        "service_id": "iqama_renew",
        "filed": dt.date(2026, 11, 22),
        "due": dt.date(2026, 12, 1),
        "working_days": 7,
        "locale": locale,
        **changes,
    }
    return Receipt(**fields)  # type: ignore[arg-type]


def _card(locale: str = "ar", shaping: Shaping | None = None) -> Card:
    return render_card(_receipt(locale), load_catalogue(), shaping=shaping)


def _ink(image: Image.Image) -> Image.Image:
    """Dark pixels white, the rest black: getbbox() then finds the ink."""
    return ImageChops.invert(image.convert("L")).point(lambda v: 255 if v > 100 else 0)


def _segments(image: Image.Image, gap: int = 9) -> list[int]:
    """Widths of the runs of ink separated by at least ``gap`` blank columns (the words of
    a line), from right to left."""
    ink = _ink(image)
    width, height = ink.size
    runs: list[tuple[int, int]] = []
    start = last = blank = 0
    inside = False
    for x in range(width):
        if ink.crop((x, 0, x + 1, height)).getbbox() is not None:
            if not inside:
                start, inside = x, True
            last, blank = x, 0
        elif inside:
            blank += 1
            if blank >= gap:
                runs.append((start, last))
                inside = False
    if inside:
        runs.append((start, last))
    return [b - a + 1 for a, b in reversed(runs)]


def _alike(a: list[int], b: list[int]) -> bool:
    """Same words in the same places, allowing for kerning and ligature differences."""
    return len(a) == len(b) and all(
        abs(x - y) <= max(6, 0.2 * max(x, y)) for x, y in zip(a, b, strict=True)
    )


def _line(text: str, draw_with: Shaping | None, size: int = 48) -> Image.Image:
    """One right-aligned Arabic line; ``None`` draws it naively (no shaping, no bidi)."""
    image = Image.new("RGB", (1100, 120), "white")
    draw = ImageDraw.Draw(image)
    if draw_with is None:
        font = ImageFont.truetype(str(font_file()), size, layout_engine=ImageFont.Layout.BASIC)
        draw.text((1080, 60), text, font=font, anchor="rm", fill="black")
    else:
        Painter(draw, draw_with).text("line", (1080, 60), text, size, anchor="rm", rtl=True)
    return image


def _file_facts(path: Path) -> tuple[str | None, tuple[int, int], int, int]:
    with Image.open(path) as image:
        image.verify()  # a whole, valid PNG
    with Image.open(path) as image:
        facts = (image.format, image.size)
    status = path.stat()
    return (*facts, stat.S_IMODE(status.st_mode), status.st_mtime_ns)


def _listing(directory: Path) -> list[Path]:
    return list(directory.iterdir())


@pytest.mark.parametrize("locale", ["ar", "en"])
async def test_the_card_is_a_png_of_the_expected_size_kept_private(
    tmp_path: Path, locale: str
) -> None:
    cards = ReceiptCards(tmp_path / "receipts", load_catalogue())
    try:
        path = await cards.make(_receipt(locale))
        assert path is not None and path.endswith(
            f"{NUMBER}-{locale}-{'arab' if locale == 'ar' else 'latn'}.png"
        )
        image_format, size, mode, written = _file_facts(Path(path))
        assert (image_format, size) == ("PNG", (WIDTH, HEIGHT))
        assert mode == 0o600
        # drawn once: the second ask gets the same file, untouched
        assert await cards.make(_receipt(locale)) == path
        assert _file_facts(Path(path))[3] == written
    finally:
        cards.close()


async def test_warming_the_pool_draws_in_its_process_and_leaves_no_card(tmp_path: Path) -> None:
    cards = ReceiptCards(tmp_path / "receipts", load_catalogue())
    try:
        assert await cards.warm() > 0
        assert not (tmp_path / "receipts").exists()
        path = await cards.make(_receipt("ar"))  # the warmed process draws the real one
        assert path is not None and _file_facts(Path(path))[0] == "PNG"
    finally:
        cards.close()


async def test_a_card_that_cannot_be_drawn_is_no_error(tmp_path: Path) -> None:
    cards = ReceiptCards(tmp_path, load_catalogue())
    try:
        assert await cards.make(_receipt(service_id="no_such_service")) is None
    finally:
        cards.close()
    assert _listing(tmp_path) == []  # nothing half-written left behind


@pytest.mark.parametrize("shaping", SHAPINGS)
def test_the_qr_code_scans_to_the_request_number(shaping: Shaping) -> None:
    for locale in ("ar", "en"):
        card = _card(locale, shaping)
        found = zxingcpp.read_barcodes(card.image)
        assert [(r.format.name, r.text) for r in found] == [("QRCode", NUMBER)]


@pytest.mark.parametrize("shaping", SHAPINGS)
def test_arabic_hangs_from_the_right_and_the_code_sits_left(shaping: Shaping) -> None:
    card = _card("ar", shaping)
    qr = card.one("qr").box
    assert qr[0] < WIDTH // 3  # the side the eye reaches last in Arabic
    for placed in card.placed:
        if placed.role in ("qr", "footer"):
            continue
        left, _top, right, _bottom = placed.box
        assert abs(right - (WIDTH - MARGIN)) <= 4, placed
        assert left > qr[2], placed  # no line runs into the code
        # and there is ink where the layout says a line is
        assert _ink(card.image.crop(placed.box)).getbbox() is not None, placed
    # nothing drawn in the right margin below the header
    assert _ink(card.image.crop((WIDTH - MARGIN + 6, 180, WIDTH, HEIGHT - 90))).getbbox() is None


@pytest.mark.parametrize("shaping", SHAPINGS)
def test_english_is_the_mirror_image(shaping: Shaping) -> None:
    card = _card("en", shaping)
    assert card.one("qr").box[2] > WIDTH * 2 // 3
    for placed in card.placed:
        if placed.role not in ("qr", "footer"):
            assert abs(placed.box[0] - MARGIN) <= 6, placed
    assert card.one("label:number").text == "Request number"
    assert card.one("days").text == "7 working days"


@pytest.mark.parametrize("shaping", SHAPINGS)
def test_the_request_number_reads_left_to_right_in_an_arabic_card(shaping: Shaping) -> None:
    card = _card("ar", shaping)
    placed = card.one("number")
    drawn = card.image.crop(placed.box).convert("L")
    # the same digits drawn by Pillow alone, without our layout code, in both orders
    font = ImageFont.truetype(
        str(font_file(bold=True)), placed.size, layout_engine=ImageFont.Layout.BASIC
    )

    def plain(text: str) -> Image.Image:
        image = Image.new("L", drawn.size, 255)
        ImageDraw.Draw(image).text((drawn.width, 0), text, font=font, anchor="rt", fill=0)
        return image

    def difference(a: Image.Image, b: Image.Image) -> float:
        histogram = ImageChops.difference(a, b).histogram()
        return sum(i * n for i, n in enumerate(histogram)) / (a.width * a.height)

    in_order = difference(_ink(drawn), _ink(plain(NUMBER)))
    reversed_ = difference(_ink(drawn), _ink(plain(NUMBER[::-1])))
    assert in_order < reversed_ / 4, (in_order, reversed_)


@pytest.mark.parametrize("shaping", SHAPINGS)
def test_arabic_words_run_from_right_to_left_on_the_card(shaping: Shaping) -> None:
    card = _card("ar", shaping)
    label = card.one("label:number")
    assert label.text == "رقم الطلب"
    words = _segments(card.image.crop(label.box))
    first_alone = _segments(_line("رقم", shaping, label.size))
    last_alone = _segments(_line("الطلب", shaping, label.size))
    # the first word of the sentence is the rightmost one
    assert _alike(words, first_alone + last_alone), (words, first_alone, last_alone)
    assert card.one("days").text == "٧ أيام عمل"
    assert card.one("label:service").text == "الخدمة"


@pytest.mark.skipif(not features.check("raqm"), reason="Pillow here has no libraqm to compare")
@pytest.mark.parametrize(
    "text",
    [
        "رقم الطلب",
        "تاريخ تقديم الطلب",
        "الثلاثاء ٢١ جمادى الآخرة ١٤٤٨هـ",
        "١ ديسمبر ٢٠٢٦م",
        "تجديد هوية مقيم",
        "٧ أيام عمل",
        "تواصل · المديرية العامة للجوازات",
        "مشكلة تقنية في خدمة إلكترونية",
        "موعد الرد في أقصاه",
    ],
)
def test_reshaper_and_bidi_agree_with_raqm(text: str) -> None:
    """The fallback path (arabic-reshaper + python-bidi, basic layout) puts the same words
    in the same places as Pillow's own shaping; unshaped, unordered text does not."""
    with_raqm = _segments(_line(text, "raqm"))
    fallback = _segments(_line(text, "basic"))
    naive = _segments(_line(text, None))
    assert _alike(fallback, with_raqm), (fallback, with_raqm)
    assert not _alike(naive, with_raqm), (naive, with_raqm)
    # joined letters take less room than the same letters standing alone
    assert sum(with_raqm) < 0.9 * sum(naive)


def test_the_fallback_never_hands_raqm_reordered_text() -> None:
    # reshaped and reordered text drawn by raqm comes out backwards: the basic path must
    # draw with Pillow's basic layout only
    font = Painter(ImageDraw.Draw(Image.new("RGB", (1, 1))), "basic").font(30)
    assert font.layout_engine == ImageFont.Layout.BASIC
    if features.check("raqm"):
        font = Painter(ImageDraw.Draw(Image.new("RGB", (1, 1))), "raqm").font(30)
        assert font.layout_engine == ImageFont.Layout.RAQM


def test_the_shaping_follows_what_pillow_can_do() -> None:
    assert available_shaping() == ("raqm" if features.check("raqm") else "basic")


def test_western_digits_on_the_card_when_configured() -> None:
    card = render_card(_receipt(arabic_digits="latn"), load_catalogue())
    assert card.one("days").text == "7 أيام عمل"
    assert [p.text for p in card.find("filed")] == ["12 جمادى الآخرة 1448هـ", "22 نوفمبر 2026م"]


def test_the_cards_process_ends_with_a_killed_worker(tmp_path: Path) -> None:
    """A worker SIGKILLed (no clean-up runs) does not leave its cards' process behind."""
    code = (
        "import asyncio, multiprocessing, sys, time\n"
        "from pathlib import Path\n"
        "from bot.receipt_cards import ReceiptCards\n"
        "from domain.catalogue import load_catalogue\n"
        "async def main():\n"
        f"    cards = ReceiptCards(Path({str(tmp_path)!r}), load_catalogue())\n"
        "    await cards.warm()\n"
        "    print(*[p.pid for p in multiprocessing.active_children()], flush=True)\n"
        "    time.sleep(600)\n"
        "asyncio.run(main())\n"
    )
    worker = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert worker.stdout is not None
        children = [int(pid) for pid in worker.stdout.readline().split()]
        assert children and all(_alive(pid) for pid in children)
    finally:
        worker.kill()
        worker.wait()
    for _ in range(300):  # the kernel's signal is immediate; this bounds a slow machine
        if not any(_alive(pid) for pid in children):
            break
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in children)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has ended, waiting for its parent to read it


async def test_a_killed_cards_process_is_replaced_and_the_card_still_drawn(
    tmp_path: Path,
) -> None:
    """Before, a pool whose process was killed stayed broken: every card after it was
    «could not draw» (None), so every later receipt was dropped until the worker restarted."""
    cards = ReceiptCards(tmp_path / "receipts", load_catalogue())
    try:
        await cards.warm()
        (first,) = cards.pids()
        os.kill(first, signal.SIGKILL)
        for _ in range(100):  # bounded: the kernel reaps it at once
            if not _alive(first):
                break
            await asyncio.sleep(0.05)
        path = await cards.make(_receipt("ar"))
        assert path is not None and _file_facts(Path(path))[0] == "PNG"
        (second,) = cards.pids()
        assert second != first and _alive(second)
        # and the next card is drawn by the new process, as any card is
        other = await cards.make(_receipt("en"))
        assert other is not None and _file_facts(Path(other))[0] == "PNG"
    finally:
        cards.close()
