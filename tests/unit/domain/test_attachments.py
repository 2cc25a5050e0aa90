import pytest

from domain.attachments import (
    ALLOWED_MIME,
    MAX_FILE_BYTES,
    MAX_FILES,
    check_attachment,
    worth_inspecting,
)

PHOTO = 2 * 1024 * 1024


@pytest.mark.parametrize("mime", sorted(ALLOWED_MIME))
def test_phone_photos_and_pdf_scans_are_accepted(mime: str) -> None:
    assert check_attachment("document", mime, PHOTO, 0) is None


def test_a_telegram_photo_is_accepted() -> None:
    assert check_attachment("photo", "image/jpeg", PHOTO, 3) is None


@pytest.mark.parametrize(
    ("kind", "mime"),
    [
        ("document", "application/zip"),
        ("document", "application/x-msdownload"),
        ("document", "text/html"),
        ("video", "video/mp4"),
        ("voice", "audio/ogg"),
        ("sticker", "image/webp"),
    ],
)
def test_other_types_are_refused(kind: str, mime: str) -> None:
    assert check_attachment(kind, mime, PHOTO, 0) == "type"


def test_mime_parameters_and_case_do_not_matter() -> None:
    assert check_attachment("document", "Application/PDF; name=x.pdf", PHOTO, 0) is None


def test_size_limit_is_inclusive() -> None:
    assert check_attachment("document", "application/pdf", MAX_FILE_BYTES, 0) is None
    assert check_attachment("document", "application/pdf", MAX_FILE_BYTES + 1, 0) == "size"


def test_unknown_size_is_left_for_after_the_download() -> None:
    assert check_attachment("photo", "image/jpeg", 0, 0) is None


def test_count_limit() -> None:
    assert check_attachment("photo", "image/jpeg", PHOTO, MAX_FILES - 1) is None
    assert check_attachment("photo", "image/jpeg", PHOTO, MAX_FILES) == "count"


def test_limits_fit_the_platforms() -> None:
    assert MAX_FILE_BYTES < 20 * 1000 * 1000  # Telegram getFile limit for bots
    assert MAX_FILES <= 10  # Telegram media group


@pytest.mark.parametrize(
    "declared",
    ["application/octet-stream", "", "binary/octet-stream", "image/jpg", "image/heif",
     "IMAGE/PNG", "application/pdf"],
)  # fmt: skip
def test_vague_or_image_types_are_worth_a_look_at_the_bytes(declared: str) -> None:
    assert worth_inspecting(declared)


@pytest.mark.parametrize(
    "declared", ["application/zip", "video/mp4", "text/html", "application/x-msdownload"]
)
def test_types_that_cannot_be_an_image_or_pdf_are_not_downloaded(declared: str) -> None:
    assert not worth_inspecting(declared)


def test_a_file_the_daily_allowance_kept_out_is_refused_as_such() -> None:
    assert check_attachment("photo", "image/jpeg", 0, 0, problem="quota") == "quota"
    # the count is said first: more files could not join anyway
    assert check_attachment("photo", "image/jpeg", 0, MAX_FILES, problem="quota") == "count"
