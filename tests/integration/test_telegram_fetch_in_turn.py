"""Photos downloaded inside the engine's turn (``build_dispatcher(fetching=...)``, as
`tawasul run` wires it), through the real stack: aiogram, the resident channel, the engine
on real Redis and SQLite, the Bot API stand-in. The state the turn loads decides whether a
photo is fetched, so no Redis read of its own comes first (issue 12), and what a person
sees does not change: a photo is fetched and kept only at a step that takes files."""

from __future__ import annotations

from typing import Any

from conversations.engine import apology
from domain.normalize import clean_input
from standins.telegram_botapi import ApiError
from standins.telegram_updates import TgUser
from tests import samples
from tests.integration.telegram_rig import Rig, rig

__all__ = ["rig"]  # the fixture

USER = TgUser(5_300_000_077, "هند")
PATIENT = TgUser(5_300_000_078, "نورة")


async def test_a_photo_is_fetched_in_the_turn_only_where_a_step_takes_files(rig: Rig) -> None:
    u = rig.updates
    for raw in (
        u.text(USER, "/start"),
        u.callback(USER, "ind"),
        u.text(USER, "ابي اجدد اقامتي"),
        u.callback(USER, "s:iqama_renew"),
        u.callback(USER, "q:inside"),
    ):
        await rig.feed(USER, raw)
    # at the identity step a photo is not what is asked: not downloaded, step kept
    await rig.feed(USER, rig.photo(USER, samples.jpeg(seed=1)))
    assert rig.api.downloads == []
    assert (await rig.state(USER)).step == "identity"
    for raw in (
        u.text(USER, "2000000006"),
        u.contact(USER, "966501234567", own=True),
        u.text(USER, "إقامتي انتهت ويظهر لي خطأ عند التجديد في أبشر"),
    ):
        await rig.feed(USER, raw)
    assert (await rig.state(USER)).step == "attachments"
    data = samples.jpeg(seed=2)
    await rig.feed(USER, rig.photo(USER, data))
    assert len(rig.api.downloads) == 1
    [kept] = (await rig.state(USER)).answers["attachments"]
    assert kept["checksum"] is not None
    assert rig.services.media.read(kept["checksum"]) == data


async def test_a_photo_whose_get_file_meets_a_429_is_kept_once_the_wait_is_over(
    rig: Rig,
) -> None:
    """Found by bench/load.py's api fault (the Bot API answering 429 and 502 for 2 s): a
    getFile refused with 429 failed the whole turn, and the person was asked to send the
    photo again."""
    refused: list[str] = []

    def flood_once(method: str, params: dict[str, Any]) -> ApiError | None:
        if method.lower() == "getfile" and not refused:
            refused.append(method)
            return ApiError(429, "Too Many Requests: retry after 1", retry_after=1)
        return None

    u = rig.updates
    for raw in (
        u.text(PATIENT, "/start"),
        u.callback(PATIENT, "ind"),
        u.text(PATIENT, "ابي اجدد اقامتي"),
        u.callback(PATIENT, "s:iqama_renew"),
        u.callback(PATIENT, "q:inside"),
        u.text(PATIENT, "2000000006"),
        u.contact(PATIENT, "966501234567", own=True),
        u.text(PATIENT, "إقامتي انتهت ويظهر لي خطأ عند التجديد في أبشر"),
    ):
        await rig.feed(PATIENT, raw)
    assert (await rig.state(PATIENT)).step == "attachments"
    rig.api.add_policy(flood_once)
    data = samples.jpeg(seed=3)
    said = await rig.feed(PATIENT, rig.photo(PATIENT, data))
    assert len(refused) == 1
    # no apology: the photo is acknowledged and kept, downloaded after the wait
    assert clean_input(apology("ar")) not in said
    [kept] = (await rig.state(PATIENT)).answers["attachments"]
    assert kept["checksum"] is not None
    assert rig.services.media.read(kept["checksum"]) == data
