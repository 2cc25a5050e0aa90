"""Issue 15.9: a signed webhook body that is not a payload we can read (JSON nested a
hundred thousand deep, a number of thousands of digits, odd shapes) is answered 400 or 200,
never 500, and nothing is logged with a traceback or with the body's content."""

from __future__ import annotations

import logging

import pytest

from standins.whatsapp_payloads import sign
from tests.integration.test_whatsapp_webhook import APP_SECRET, MONA, Harness, h

__all__ = ["h"]  # the harness fixture, shared with the webhook tests

DEEP = 100_000


async def _post_raw(h: Harness, body: bytes) -> int:
    headers = {"X-Hub-Signature-256": sign(body, APP_SECRET), "Content-Type": "application/json"}
    response = await h.client.post("/whatsapp/webhook", data=body, headers=headers)
    return response.status


UNREADABLE = [
    b"[" * DEEP + b"]" * DEEP,
    b'{"object": "whatsapp_business_account", "entry": ' + b"[" * DEEP + b"]" * DEEP + b"}",
    b'{"a":' * DEEP + b"1" + b"}" * DEEP,
    b'{"object": "whatsapp_business_account", "n": ' + b"7" * 10_000 + b"}",
    b"\xff\xfe not even text",
]
ODD = [
    b"[]",
    b'"whatsapp_business_account"',
    b'{"object": "whatsapp_business_account", "entry": 5}',
    b'{"object": "whatsapp_business_account", "entry": [{"changes": [{"value": '
    b'{"messages": [{"type": "text", "text": 5, "from": [], "id": {}}], '
    b'"contacts": "x", "statuses": [null, 1]}}]}]}',
]


async def test_an_unreadable_signed_body_is_400_without_a_traceback(
    h: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for body in UNREADABLE:
        assert await _post_raw(h, body) == 400, body[:40]
    assert not [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]
    assert all("7777777777" not in r.getMessage() for r in caplog.records)
    # and the webhook keeps working for the next person
    await h.send(h.payloads.text(MONA, "مرحبا"))
    assert h.texts(MONA)


async def test_odd_shapes_are_accepted_and_ignored(
    h: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for body in ODD:
        assert await _post_raw(h, body) == 200, body[:40]
    await h.settle()
    assert not [r for r in caplog.records if r.exc_info]
