"""Photos downloaded inside the engine's turn (``build_dispatcher(fetching=...)``, as
`tawasul run` wires it), through the real stack: aiogram, the resident channel, the engine
on real Redis and SQLite, the Bot API stand-in. The state the turn loads decides whether a
photo is fetched, so no Redis read of its own comes first (issue 12), and what a person
sees does not change: a photo is fetched and kept only where the dialogue keeps it."""

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


async def _to_identity(rig: Rig, user: TgUser) -> None:
    """A resident renewing an iqama inside the kingdom, at the identity step."""
    u = rig.updates
    for raw in (
        u.text(user, "/start"),
        u.callback(user, "ind"),
        u.text(user, "ابي اجدد اقامتي"),
        u.callback(user, "s:iqama_renew"),
        u.callback(user, "q:inside"),
    ):
        await rig.feed(user, raw)


async def _identity_to_attachments(rig: Rig, user: TgUser) -> None:
    """From the identity step to the attachments step: a number, a phone, a description."""
    u = rig.updates
    for raw in (
        u.text(user, "2000000006"),
        u.contact(user, "966501234567", own=True),
        u.text(user, "إقامتي انتهت ويظهر لي خطأ عند التجديد في أبشر"),
    ):
        await rig.feed(user, raw)
    assert (await rig.state(user)).step == "attachments"


async def test_a_photo_is_fetched_in_the_turn_only_where_it_is_kept(rig: Rig) -> None:
    await _to_identity(rig, USER)
    # at the identity step a photo is kept for the request (conversations.flows.
    # early_files): downloaded in the turn, and the step kept
    early = samples.jpeg(seed=1)
    await rig.feed(USER, rig.photo(USER, early))
    assert len(rig.api.downloads) == 1
    assert (await rig.state(USER)).step == "identity"
    await _identity_to_attachments(rig, USER)
    data = samples.jpeg(seed=2)
    await rig.feed(USER, rig.photo(USER, data))
    assert len(rig.api.downloads) == 2
    kept = (await rig.state(USER)).answers["attachments"]
    assert [rig.services.media.read(k["checksum"]) for k in kept] == [early, data]


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

    await _to_identity(rig, PATIENT)
    await _identity_to_attachments(rig, PATIENT)
    rig.api.add_policy(flood_once)
    data = samples.jpeg(seed=3)
    said = await rig.feed(PATIENT, rig.photo(PATIENT, data))
    assert len(refused) == 1
    # no apology: the photo is acknowledged and kept, downloaded after the wait
    assert clean_input(apology("ar")) not in said
    [kept] = (await rig.state(PATIENT)).answers["attachments"]
    assert kept["checksum"] is not None
    assert rig.services.media.read(kept["checksum"]) == data
