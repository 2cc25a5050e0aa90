"""Photos downloaded inside the engine's turn (``build_dispatcher(fetching=...)``, as
`tawasul run` wires it), through the real stack: aiogram, the resident channel, the engine
on real Redis and SQLite, the Bot API stand-in. The state the turn loads decides whether a
photo is fetched, so no Redis read of its own comes first (issue 12), and what a person
sees does not change: a photo is fetched and kept only at a step that takes files."""

from __future__ import annotations

from standins.telegram_updates import TgUser
from tests import samples
from tests.integration.telegram_rig import Rig, rig

__all__ = ["rig"]  # the fixture

USER = TgUser(5_300_000_077, "هند")


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
