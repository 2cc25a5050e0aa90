"""Real files for the tests: images Pillow can read back and a minimal PDF, made on the
fly (nothing binary is committed). Noise makes a picture as large as a test needs."""

from __future__ import annotations

import io
import random

import pillow_heif
from PIL import Image

pillow_heif.register_heif_opener()


def picture(width: int = 64, height: int = 48, *, seed: int = 0) -> Image.Image:
    """A picture of noise: it does not compress, so its file is about w × h × 3 bytes."""
    noise = random.Random(seed).randbytes(width * height * 3)
    return Image.frombytes("RGB", (width, height), noise)


def encoded(image: Image.Image, image_format: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=image_format, **options)
    return out.getvalue()


def png(width: int = 64, height: int = 48, *, seed: int = 0) -> bytes:
    return encoded(picture(width, height, seed=seed), "PNG")


def jpeg(width: int = 64, height: int = 48, *, seed: int = 0) -> bytes:
    return encoded(picture(width, height, seed=seed), "JPEG", quality=95)


def heic(width: int = 64, height: int = 48, *, seed: int = 0) -> bytes:
    return encoded(picture(width, height, seed=seed), "HEIF")


def pdf(padding: int = 2048) -> bytes:
    """A one-page PDF's shape: header, a body and the end-of-file mark."""
    return b"%PDF-1.4\n" + b"0" * padding + b"\n%%EOF\n"
