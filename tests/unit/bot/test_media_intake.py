"""The bytes decide what a file is: real images and PDFs are kept (HEIC as JPEG), anything
else is refused whatever its name or declared type says."""

from __future__ import annotations

import asyncio
import io
import warnings
from pathlib import Path

import pytest
from PIL import Image

from bot.media_intake import CappedBuffer, MediaIntake, TooLarge, inspect
from bot.media_store import MediaStore
from conversations.events import Media, Origin
from domain.attachments import check_attachment
from tests import samples


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (samples.png(), "image/png"),
        (samples.jpeg(), "image/jpeg"),
        (samples.encoded(samples.picture(), "WEBP"), "image/webp"),
        (samples.pdf(), "application/pdf"),
    ],
)
def test_images_and_pdfs_are_known_by_their_bytes(data: bytes, mime: str) -> None:
    found = inspect(data)
    assert found is not None and (found.mime, found.data, found.converted) == (mime, data, False)


def test_heic_becomes_an_upright_jpeg_without_its_metadata() -> None:
    picture = samples.picture(40, 20)
    exif = Image.Exif()
    exif[0x0112] = 6  # shot with the phone on its side: rotate 90° to show upright
    exif[0x010F] = "Apple"
    data = samples.encoded(picture, "HEIF", exif=exif.tobytes())
    found = inspect(data)
    assert found is not None and found.converted and found.mime == "image/jpeg"
    with Image.open(io.BytesIO(found.data)) as image:
        assert image.format == "JPEG" and image.size == (20, 40)
        assert not image.getexif()


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"PK\x03\x04" + b"\0" * 100,  # a zip
        b"MZ" + b"\0" * 100,  # a Windows program
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,  # starts like a PNG, is not one
        samples.png()[:200],  # a PNG cut short
        b"%PDF-1.7\n" + b"0" * 100,  # a PDF without its end
        samples.encoded(samples.picture(), "GIF"),  # an image officers' desk does not take
        b"<html><body>%PDF-</body></html>",
    ],
)
def test_other_bytes_are_refused(data: bytes) -> None:
    assert inspect(data) is None


def test_a_small_file_that_unpacks_into_a_huge_picture_is_refused() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        bomb = samples.encoded(Image.new("1", (12_000, 12_000)), "PNG")
    assert len(bomb) < 1_000_000
    assert inspect(bomb) is None


def test_the_capped_buffer_stops_past_its_limit() -> None:
    buffer = CappedBuffer(10)
    buffer.write(b"12345")
    with pytest.raises(TooLarge) as caught:
        buffer.write(b"123456")
    assert caught.value.seen == 11 and buffer.getvalue() == b"12345"


def test_a_damaged_pdf_fetched_is_marked_unreadable(tmp_path: Path) -> None:
    intake = MediaIntake(MediaStore(tmp_path))
    declared = Media(Origin("telegram", "1", "e"), "document", "f", "application/pdf", 13)
    kept = asyncio.run(intake.keep(declared, b"%PDF-1.4 oops"))
    assert kept.problem == "unreadable" and kept.checksum is None
    assert check_attachment(kept.kind, kept.mime, kept.size, 0, problem=kept.problem) == (
        "unreadable"
    )
