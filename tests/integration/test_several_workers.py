"""Two webhook workers (two apps, each with its own dispatcher, channel, queue and journal
view) on one real Redis and one SQLite database, as two `tawasul run` processes behind a
load balancer: what a person depends on is shared, whichever worker takes an update."""

from __future__ import annotations

from typing import Any

from tests.integration.test_telegram_webhook import SARA, Harness, Worker, h

__all__ = ["h"]  # the fixture, shared with the single-worker tests


async def _say(w: Worker, h: Harness, raw: dict[str, Any]) -> None:
    assert (await w.post(raw)).status == 200
    await w.settle()


async def test_the_share_my_number_keyboard_is_taken_away_by_the_other_worker(
    h: Harness,
) -> None:
    a, b = await h.worker(), await h.worker()
    for raw in (
        h.updates.text(SARA, "/start"),
        h.updates.callback(SARA, "ind"),
        h.updates.text(SARA, "ابي اجدد اقامتي"),
        h.updates.callback(SARA, "s:iqama_renew"),
        h.updates.callback(SARA, "q:inside"),
        h.updates.text(SARA, "2000000006"),
    ):
        await _say(a, h, raw)
    asked = h.api.calls_for(SARA.id, "sendMessage")[-1].params["reply_markup"]
    assert any(b.get("request_contact") for row in asked["keyboard"] for b in row)
    # the person goes back instead of sharing; the load balancer sends it to the other
    # worker, which must take the keyboard away from under the input field
    before = len(h.api.calls_for(SARA.id, "sendMessage"))
    await _say(b, h, h.updates.text(SARA, "رجوع"))
    after = [c.params for c in h.api.calls_for(SARA.id, "sendMessage")[before:]]
    assert after, "the person is answered"
    assert {"remove_keyboard": True} in [p.get("reply_markup") for p in after]
    # and once taken away, neither worker sends the removal again
    before = len(h.api.calls_for(SARA.id, "sendMessage"))
    await _say(a, h, h.updates.text(SARA, "2000000006"))
    await _say(a, h, h.updates.text(SARA, "رجوع"))
    again = [c.params for c in h.api.calls_for(SARA.id, "sendMessage")[before:]]
    assert [p.get("reply_markup") for p in again].count({"remove_keyboard": True}) == 1
