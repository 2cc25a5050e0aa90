"""How the outbox's delivery loop reports a round that failed.

A round reads and writes the database (and Redis, for the send rate): while PostgreSQL
restarts every round fails, the rows stay queued, and the loop tries again a poll later,
losing nothing. An ERROR with a traceback on every such round is what alerting fires on,
for an outage the loop rides out. So a round that failed because a connection could not
be made or was lost is one WARNING without a traceback when the outage starts, repeated
with the time so far every :data:`REPEAT_S` seconds while it lasts (a database that never
comes back must not go quiet: review 15 §4), and one line when a round succeeds again; any other error (a bug, a refused statement) stays an
ERROR with its traceback, every time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ReadOnlyError as RedisReadOnlyError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot.db.requests_repo import connection_lost


def unreachable(exc: BaseException) -> bool:
    """Whether `exc`, or an error it was raised from, says a server (the database, Redis)
    could not be reached or its connection was lost: what
    bot.db.requests_repo reads as a lost database connection (SQLAlchemy's disconnect,
    a connection SQLSTATE 08xxx/57P0x, the socket's OSError), Redis's connection or
    timeout error, or a write refused by a master just demoted in a Sentinel failover
    (``ReadOnlyError``, until the client follows the new master)."""
    seen: set[int] = set()
    error: BaseException | None = exc
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(
            error, RedisConnectionError | RedisTimeoutError | RedisReadOnlyError
        ) or connection_lost(error):
            return True
        error = error.__cause__ or error.__context__
    return False


#: How often a continuing outage is logged again, in seconds.
REPEAT_S = 300.0


@dataclass
class RoundLog:
    """The log lines of a delivery loop's failed and recovered rounds (the module's text)."""

    log: logging.Logger
    clock: Callable[[], float] = time.monotonic
    #: when the present outage was first seen (None: no outage)
    _since: float | None = None
    #: when it was last logged
    _told: float = 0.0

    def failed(self, exc: BaseException, poll_s: float) -> None:
        """A round raised `exc`; the loop tries again in `poll_s` seconds."""
        if not unreachable(exc):
            self.log.error(
                "outbox round failed; retrying in %.1f s",
                poll_s,
                exc_info=(type(exc), exc, exc.__traceback__),
            )
            return
        now = self.clock()
        if self._since is None:
            self._since = self._told = now
            # the type only: a driver's text can quote the statement
            self.log.warning(
                "outbox: database or Redis unreachable (%s); rows stay queued, retrying every "
                "%.1f s",
                type(exc).__name__,
                poll_s,
            )
        elif now - self._told >= REPEAT_S:
            self._told = now
            self.log.warning(
                "outbox: database or Redis still unreachable (%s) after %.0f s; rows stay queued",
                type(exc).__name__,
                now - self._since,
            )

    def succeeded(self) -> None:
        """A round went through: an outage, if one was logged, is over."""
        if self._since is not None:
            lasted = self.clock() - self._since
            self._since = None
            self.log.info("outbox: database and Redis reachable again after %.1f s", lasted)
