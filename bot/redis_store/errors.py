"""Redis's «cannot be reached» errors, as the conversations layer's port says them.

conversations/ tells a store that cannot be reached (wait for it, or say the file did not
reach us) from a bug by :class:`conversations.store.StoreUnavailable`, and imports no Redis
type (the layering rule). Every Redis-backed port it calls raises through
:func:`unreachable_as_unavailable`, which turns redis-py's ``ConnectionError`` (a refused or
dropped connection, a server still loading its data, no master found by Sentinel) and
``TimeoutError`` into that exception.

The exceptions raised are still the redis-py errors they replace (both bases), so code in
bot/ that catches ``RedisError`` around these ports (the WhatsApp webhook's apology, the
health checks) works as before; the original error is kept as the cause.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from conversations.store import StoreUnavailable


class RedisUnreachable(StoreUnavailable, RedisConnectionError):
    """Redis refused or dropped the connection (or is still loading its data)."""


class RedisTimedOut(StoreUnavailable, RedisTimeoutError):
    """Redis did not answer within the client's timeout."""


@contextmanager
def unreachable_as_unavailable() -> Iterator[None]:
    """Raises :class:`RedisUnreachable` / :class:`RedisTimedOut` (a
    :class:`~conversations.store.StoreUnavailable`) for redis-py's connection and timeout
    errors inside the block; any other error, a Redis refusal (``ResponseError``) or a
    bug, passes unchanged."""
    try:
        yield
    except StoreUnavailable:
        raise  # translated already, by a port called inside this one
    except RedisTimeoutError as exc:
        raise RedisTimedOut(*exc.args) from exc
    except RedisConnectionError as exc:
        raise RedisUnreachable(*exc.args) from exc
