"""domain.number_shapes: what a typed number looks like."""

from __future__ import annotations

import pytest

from domain.number_shapes import number_shape


@pytest.mark.parametrize(
    ("typed", "shape"),
    [
        ("1000000008", "citizen"),
        ("2123456788x", "resident"),
        ("٢٠٠٠ ٠٠٠ ٠٠٦", "resident"),
        ("3000000000", "border"),
        ("7001234567", "establishment"),
        ("رقم المنشأة 7001234567", "establishment"),
        ("4512345671", "request"),
        ("0501234567", "mobile"),
        ("+966501234567", "mobile"),
        ("501234567", "mobile"),
        # a 10-digit number starting 5 that fails the request number's check digit
        ("5000000006", None),
        ("12345", None),
        ("انتهت اقامتي قبل 3 ايام وابي اجددها", None),
        ("عندي منشأة رقمها 7001234567 وابي انقل عامل", None),
    ],
)
def test_number_shape(typed: str, shape: str | None) -> None:
    assert number_shape(typed) == shape
