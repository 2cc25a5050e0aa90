"""The dialogue store: one Redis key per (channel, user), compare-and-set on a version.

Two updates of one person handled on two workers at once both read version v; only the
first write of v+1 lands, the other is told and re-runs its step on the fresh state, so
no answer is lost. Event ids are claimed with SET NX before handling so a redelivered
update is handled once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis

from conversations.state import DialogueState

DEFAULT_TTL_S = 24 * 3600
EVENT_TTL_S = 7 * 24 * 3600

# KEYS[1] state key; ARGV: expected version, new json, ttl seconds
_CAS = """
local cur = redis.call('GET', KEYS[1])
local ver = 0
if cur then ver = tonumber(cjson.decode(cur)['version']) end
if ver ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', tonumber(ARGV[3]))
return 1
"""


class DialogueStore(Protocol):
    async def claim_and_load(
        self, channel: str, user_key: str, event_id: str
    ) -> tuple[bool, DialogueState]: ...

    async def load(self, channel: str, user_key: str) -> DialogueState: ...

    async def save(self, channel: str, user_key: str, state: DialogueState) -> bool: ...

    async def release(self, channel: str, event_id: str) -> None: ...


@dataclass
class RedisDialogueStore:
    redis: Redis
    ttl_s: int = DEFAULT_TTL_S
    prefix: str = "tawasul"

    def __post_init__(self) -> None:
        self._cas = self.redis.register_script(_CAS)

    def _state_key(self, channel: str, user_key: str) -> str:
        return f"{self.prefix}:dlg:{channel}:{user_key}"

    def _event_key(self, channel: str, event_id: str) -> str:
        return f"{self.prefix}:evt:{channel}:{event_id}"

    async def claim_and_load(
        self, channel: str, user_key: str, event_id: str
    ) -> tuple[bool, DialogueState]:
        """Claims the event id and reads the state in one round trip."""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.set(self._event_key(channel, event_id), b"1", nx=True, ex=EVENT_TTL_S)
            pipe.get(self._state_key(channel, user_key))
            claimed, raw = await pipe.execute()
        state = DialogueState.from_json(raw) if raw else DialogueState()
        return bool(claimed), state

    async def load(self, channel: str, user_key: str) -> DialogueState:
        raw = await self.redis.get(self._state_key(channel, user_key))
        return DialogueState.from_json(raw) if raw else DialogueState()

    async def save(self, channel: str, user_key: str, state: DialogueState) -> bool:
        """Writes ``state`` if nobody wrote since it was read; bumps its version."""
        expected = state.version
        state.version = expected + 1
        ok = await self._cas(
            keys=[self._state_key(channel, user_key)],
            args=[expected, state.to_json(), self.ttl_s],
        )
        if not ok:
            state.version = expected
        return bool(ok)

    async def release(self, channel: str, event_id: str) -> None:
        """Forgets a claimed event whose handling failed, so a redelivery is tried again."""
        await self.redis.delete(self._event_key(channel, event_id))
