"""Every Redis key of one person lands in one Redis Cluster slot (redis-py's key_slot, the
CRC16 the cluster uses), so the dialogue's compare-and-set script, which writes the state
and the language together, runs on one node; and the webhook journals' script and
transaction likewise."""

from __future__ import annotations

import pytest
from redis.crc import key_slot

from bot.channels.telegram_webhook import JOURNAL_KEY
from bot.channels.whatsapp import _menu_key, _pending_key, _wa_id_key, last_inbound_key
from bot.channels.whatsapp_bursts import album_key, burst_key
from bot.channels.whatsapp_channel import _offer_key
from bot.redis_store.dialogue import RedisDialogueStore
from bot.web import INBOX_KEY
from bot.webhook_journal import Journal


def slot(key: str) -> int:
    return key_slot(key.encode())


class _NoScripts:
    def register_script(self, script: str) -> object:
        return object()


def _store() -> RedisDialogueStore:
    return RedisDialogueStore(_NoScripts())  # type: ignore[arg-type]  # names only


@pytest.mark.parametrize(
    ("channel", "user"), [("telegram", "123"), ("console", "local"), ("whatsapp", "966501112223")]
)
def test_a_persons_dialogue_and_language_share_a_slot(channel: str, user: str) -> None:
    store = _store()
    state, locale = store._state_key(channel, user), store._locale_key(channel, user)
    assert slot(state) == slot(locale)
    assert f"{{{channel}:{user}}}" in state  # the tag is the person, not a constant


def test_an_events_claim_shares_the_persons_slot() -> None:
    """The compare-and-set script turns the turn's claim done in the same write."""
    claim = _store()._event_key("telegram", "123", "9001")
    assert slot(claim) == slot(_store()._state_key("telegram", "123"))


def test_every_whatsapp_key_of_a_person_shares_their_dialogues_slot() -> None:
    user = "966501112223"
    keys = [
        _store()._state_key("whatsapp", user),
        _store()._locale_key("whatsapp", user),
        last_inbound_key(user),
        _wa_id_key(user),
        _pending_key(user),
        _menu_key(user, "t0k3n"),
        _offer_key(user),
        burst_key(user),
        album_key(user, "wa-0123456789ab"),
    ]
    assert len({slot(k) for k in keys}) == 1, keys


def test_two_people_are_spread_over_the_slots() -> None:
    slots = {slot(_store()._state_key("telegram", str(user))) for user in range(1000, 1100)}
    assert len(slots) > 90  # not one hot slot for everybody


@pytest.mark.parametrize("key", [JOURNAL_KEY, INBOX_KEY])
def test_a_webhook_journal_and_its_done_markers_share_a_slot(key: str) -> None:
    journal = Journal(_NoScripts(), key)  # type: ignore[arg-type]  # names only
    assert slot(key) == slot(journal._done_key("874520001"))
    assert slot(key) == slot(journal._keeper_key("874520001"))
