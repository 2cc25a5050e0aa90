"""The dialogue store on Redis (:class:`conversations.store.DialogueStore`): one key per
(channel, user), compare-and-set on a version in a Lua script, event ids claimed with
SET NX GET before handling.

The language a person chose lives in its own key, without a TTL, so it outlasts the
24-hour dialogue key; it is read in the same round trip as the state and written by the
same compare-and-set script. Both keys, and the event's claim, carry the person's hash tag
(:mod:`conversations.keys`), so on a Redis Cluster that script runs on one node. Redis
that cannot be reached raises :class:`conversations.store.StoreUnavailable`
(:mod:`bot.redis_store.errors`). The rules the store keeps are the port's
(conversations.store).
"""

from __future__ import annotations

import itertools
import logging
import os
import secrets
import time
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import NoScriptError

from bot.redis_store.errors import unreachable_as_unavailable
from conversations.keys import person_tag
from conversations.state import DialogueState
from conversations.store import (
    DEFAULT_TTL_S,
    EVENT_TTL_S,
    locale_value,
    unfinished,
    with_account_locale,
)

log = logging.getLogger(__name__)

#: How long one save waits for the replicas in all (seconds). Longer than the
#: ``min-replicas-max-lag 10`` the README asks for: with it, a master whose replica has not
#: acknowledged for that long refuses the rewrite (NOREPLICAS), which redis-py retries and
#: the engine answers with the apology; without it, this bounds the wait.
REPLICA_WAIT_S = 15.0
#: One WAIT's timeout (milliseconds); the save waits again until REPLICA_WAIT_S.
_WAIT_MS = 1000

# KEYS[1] state key, KEYS[2] the account's locale key, KEYS[3] (optional) the claim of the
# event whose turn this is; ARGV: expected version, new json, ttl seconds, the locale to
# remember ('' leaves it as it is, '-' forgets it). A state already equal to the new one is
# this very write, landed on an attempt whose reply was lost (redis-py retries a command
# after a dropped connection, as in a failover): it counts as written, else the engine
# would run the person's message again on the state it already moved on. The claim is
# turned DONE in the same script, so a turn costs two round trips (claim-and-load, this),
# not three. ARGV[5] '1' (a store that waits for replicas): the equal state is written again,
# so that the WAIT after it covers this connection's offset, which only a write moves.
_CAS = """
local cur = redis.call('GET', KEYS[1])
if cur == ARGV[2] then
  if ARGV[5] == '1' then redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL') end
  return 1
end
local ver = 0
if cur then ver = tonumber(cjson.decode(cur)['version']) end
if ver ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', tonumber(ARGV[3]))
if ARGV[4] == '-' then redis.call('DEL', KEYS[2])
elseif ARGV[4] ~= '' then redis.call('SET', KEYS[2], ARGV[4]) end
if KEYS[3] then redis.call('SET', KEYS[3], '1', 'XX', 'KEEPTTL') end
return 1
"""


# KEYS[1] the event's claim, KEYS[2] the state, KEYS[3] the account's locale; ARGV[1] the
# claim's token, ARGV[2] its TTL (seconds). The claim (SET NX GET: what was there, if
# anything) and both reads in one script rather than a pipeline of three commands: the same
# one round trip, for about half the client's CPU (a pipeline object, three commands packed
# and three replies read, each under its own timeout: ~335 against ~157 µs a call measured
# with redis-py 8 on the embedded Valkey; issue 12). All three keys carry the person's hash
# tag, so on a Redis Cluster it runs on one node, as _CAS does.
_CLAIM_AND_LOAD = """
local before = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'GET', 'EX', tonumber(ARGV[2]))
return {before, redis.call('GET', KEYS[2]), redis.call('GET', KEYS[3])}
"""


class _ClaimTokens:
    """Tokens for event claims: a random prefix drawn once per process (again in a forked
    child) and a counter, so no two claims of any two processes share one. A uuid4 per
    claim cost ~4 µs, drawn from os.urandom on every update (issue 12's profile)."""

    def __init__(self) -> None:
        self._renew()
        os.register_at_fork(after_in_child=self._renew)

    def _renew(self) -> None:
        self._prefix = secrets.token_hex(8).encode()
        self._count = itertools.count()

    def __call__(self) -> bytes:
        return b"%s.%x" % (self._prefix, next(self._count))


_claim_token = _ClaimTokens()


@dataclass
class RedisDialogueStore:
    """The dialogue store on Redis. With ``replicas`` (behind Sentinel: 1) a turn's state
    counts as saved only once that many replicas hold it (``WAIT`` after the compare-and-set,
    on the same connection): Redis replicates asynchronously, and a failover promotes a
    replica, so a state only the old master held would be dropped though the person was
    answered. ``replica_wait_s``: how long a save waits for them, in all; past that the
    turn is answered all the same, with a warning in the log (see :meth:`_cas_on_replicas`)."""

    redis: Redis
    ttl_s: int = DEFAULT_TTL_S
    prefix: str = "tawasul"
    replicas: int = 0
    replica_wait_s: float = REPLICA_WAIT_S

    def __post_init__(self) -> None:
        self._cas = self.redis.register_script(_CAS)
        self._claim = self.redis.register_script(_CLAIM_AND_LOAD)

    def _state_key(self, channel: str, user_key: str) -> str:
        return f"{self.prefix}:dlg:{person_tag(channel, user_key)}"

    def _event_key(self, channel: str, user_key: str, event_id: str) -> str:
        # the person's hash tag, so that the compare-and-set script may mark it done
        return f"{self.prefix}:evt:{person_tag(channel, user_key)}:{event_id}"

    def _locale_key(self, channel: str, user_key: str) -> str:
        return f"{self.prefix}:locale:{person_tag(channel, user_key)}"

    async def claim_and_load(
        self, channel: str, user_key: str, event_id: str
    ) -> tuple[bool, DialogueState]:
        """Claims the event id and reads the state and the account's locale in one round
        trip.

        The claim holds a token of this call: when redis-py retries the round trip after a
        dropped connection and finds the claim already there, it is ours (the first attempt
        landed and only its reply was lost), not a redelivery, so the message is handled
        rather than dropped as a duplicate. A claim still busy (a token, not DONE) whose id
        no saved turn holds was left by a process that died on the way: it is taken over
        (see the module's text). An event the state says was handled is a duplicate
        whatever its claim says (a claim gone, or named the way an older release named it)."""
        token = _claim_token()
        keys = [
            self._event_key(channel, user_key, event_id),
            self._state_key(channel, user_key),
            self._locale_key(channel, user_key),
        ]
        with unreachable_as_unavailable():
            # SET NX GET (Redis 7.0): sets the claim if absent, and says what was there
            before, raw, locale = await self._claim(keys=keys, args=[token, EVENT_TTL_S])
        state = _state(raw, locale)
        new = before is None or before == token or unfinished(before, state, event_id)
        return new and event_id not in state.handled, state

    async def load(self, channel: str, user_key: str) -> DialogueState:
        """The person's state with their account's language, in one round trip."""
        with unreachable_as_unavailable():
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.get(self._state_key(channel, user_key))
                pipe.get(self._locale_key(channel, user_key))
                raw, locale = await pipe.execute()
        return _state(raw, locale)

    async def save(
        self,
        channel: str,
        user_key: str,
        state: DialogueState,
        *,
        remember_locale: bool = False,
        forget_locale: bool = False,
        done: str | None = None,
    ) -> bool:
        """Writes ``state`` if nobody wrote since it was read; bumps its version. With
        ``done`` the event's claim is turned DONE in the same write."""
        expected = state.version
        state.version = expected + 1
        keys = [self._state_key(channel, user_key), self._locale_key(channel, user_key)]
        if done is not None:
            keys.append(self._event_key(channel, user_key, done))
        args: list[str | int] = [
            expected,
            state.to_json(),
            self.ttl_s,
            _locale_arg(state, remember_locale, forget_locale),
        ]
        try:
            with unreachable_as_unavailable():
                if self.replicas:
                    ok = await self._cas_on_replicas(keys, args)
                else:
                    ok = await self._cas(keys=keys, args=args)
        except BaseException:
            state.version = expected
            raise
        if not ok:
            state.version = expected
        return bool(ok)

    async def _cas_on_replicas(self, keys: list[str], args: list[str | int]) -> bool:
        """The compare-and-set, then WAIT in the same pipeline (WAIT counts the replicas
        that hold what this connection wrote). A WAIT short of :attr:`replicas` is tried
        again, the script rewriting the equal state so that the new WAIT covers it; redis-py
        retries the pair after a dropped connection (a failover), where the script finds
        either its own state (it landed) or the version it expects (it was lost with the old
        master, and is written anew).

        A master that has lost its replica (promoted in a failover, or lagging past
        ``min-replicas-max-lag``) refuses the rewrite with NOREPLICAS, so a state written on
        an old master just as the failover began is written again on the new one rather
        than answered. Past :attr:`replica_wait_s` with no acknowledgement (a master
        without that setting) the state is taken as saved, with a warning: it is on the
        master, and answering with the apology would ask the person to send again a
        message that did move their dialogue on. Another turn of the same person landing
        between two WAITs makes this return False, as any lost race does."""
        deadline = time.monotonic() + self.replica_wait_s
        acked = 0
        while True:
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.evalsha(self._cas.sha, len(keys), *keys, *args, "1")
                pipe.execute_command("WAIT", self.replicas, _WAIT_MS)
                try:
                    ok, acked = await pipe.execute()
                except NoScriptError:
                    # a promoted replica has not got the script: load it, then again
                    await self.redis.script_load(_CAS)
                    if time.monotonic() > deadline:
                        raise
                    continue
            if not ok:
                return False
            if int(acked) >= self.replicas:
                return True
            if time.monotonic() > deadline:
                log.warning(
                    "dialogue state saved on the master, acknowledged by %s of %s replicas "
                    "within %.0f s",
                    acked,
                    self.replicas,
                    self.replica_wait_s,
                )
                return True

    async def release(self, channel: str, user_key: str, event_id: str) -> None:
        """Forgets a claimed event whose handling failed, so a redelivery is tried again."""
        with unreachable_as_unavailable():
            await self.redis.delete(self._event_key(channel, user_key, event_id))

    async def move(self, channel: str, old_key: str, new_key: str) -> None:
        """Copies the state and the locale to the new key (keeping the TTL) unless it has
        its own (the new number wrote first, so its own is newer), then drops the old.
        Key by key, so the two names may live on different Redis Cluster nodes. The
        state kept loses its note that the chat had no request."""
        for old, new in (
            (self._state_key(channel, old_key), self._state_key(channel, new_key)),
            (self._locale_key(channel, old_key), self._locale_key(channel, new_key)),
        ):
            with unreachable_as_unavailable():
                await self._move_key(old, new)
        # the old number's requests now belong to the new key (bot.db.accounts): a note
        # that this chat had none, either key's, no longer holds
        await self._forget_no_requests(channel, new_key)

    async def _forget_no_requests(self, channel: str, user_key: str) -> None:
        """Drops the state's note that the chat had no request
        (conversations.known_requests), by compare-and-set against a turn saving meanwhile."""
        for _attempt in range(8):
            state = await self.load(channel, user_key)
            if state.no_requests_at is None:
                return
            state.no_requests_at = None
            if await self.save(channel, user_key, state):
                return

    async def _move_key(self, old: str, new: str) -> None:
        raw = await self.redis.get(old)
        if raw is None:
            return
        ttl = await self.redis.pttl(old)
        await self.redis.set(new, raw, nx=True, px=ttl if ttl > 0 else None)
        await self.redis.delete(old)


async def claim_once(redis: Redis, key: str, ttl_s: int) -> bool:
    """Claims ``key`` for ``ttl_s`` seconds: True for the first caller only. A retry of
    this very call by redis-py after a dropped connection (the claim landed, its reply was
    lost) is still True, since the claim holds a token of the call (SET NX GET, Redis 7.0)."""
    token = _claim_token()
    before = await redis.set(key, token, nx=True, ex=ttl_s, get=True)
    return before is None or before == token


def _locale_arg(state: DialogueState, remember: bool, forget: bool) -> str:
    if forget:
        return "-"
    return locale_value(state) if remember else ""


def _state(raw: bytes | None, locale: bytes | None) -> DialogueState:
    """The stored state with the account's locale, which wins over the draft's: the draft
    may be older than the person's last choice (or gone, after its TTL)."""
    state = DialogueState.from_json(raw) if raw else DialogueState()
    return with_account_locale(state, locale.decode() if locale else None)
