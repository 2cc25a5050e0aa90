"""A worker's SQLite writers take turns in its event loop, first come, first served, before
they ask SQLite for the write lock.

SQLite writes one transaction at a time, and a connection refused the lock waits in
SQLite's busy handler, which sleeps and asks again (1, 2, 5, 10 ... up to 100 ms between
asks): not first come, first served, and the lock may stand free for most of a sleep. With
200 residents confirming (``bench/dialogue.py --users 200 --warmup 50``, issue 12), a BEGIN
IMMEDIATE waited 137–334 ms at the 90th percentile and up to 3.4 s, for transactions that
held the lock 3–4 ms at the median: the «confirm» turns were the whole of the p99.

Here every BEGIN IMMEDIATE (or EXCLUSIVE) of one engine first takes that engine's
:class:`asyncio.Lock` (FIFO), held until the transaction's COMMIT or ROLLBACK is done, so a
worker's own writers queue in order and the next starts the moment the last one ends;
SQLite's busy handler is left to arbitrate between processes only (another worker, the
staff CLI). A writer that waits longer than :data:`QUEUE_WAIT_S` (the busy timeout) goes
on to SQLite's lock without its turn, as every writer did before: a transaction stuck
holding the turn costs the others what it always cost them, never more.

The turn is taken in SQLAlchemy's "begin" hook (:func:`take_turn`, called by
bot.db.engine), which runs inside SQLAlchemy's greenlet for an async engine, so it can
wait on the loop. It is given back by the dialect's ``do_commit`` and ``do_rollback`` after
they return or fail (:func:`give_back_after_end`), and, should neither run (a connection
invalidated mid-transaction), when the connection returns to its pool.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from typing import Any, Final

from sqlalchemy import event
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.util.concurrency import await_, in_greenlet

log = logging.getLogger(__name__)

#: How long a writer waits for its turn before going to SQLite's lock without it: the
#: busy timeout (bot.db.engine.SQLITE_BUSY_TIMEOUT_MS), as long as SQLite itself waits.
QUEUE_WAIT_S: Final = 15.0

#: Where a connection keeps the turn it holds (the pool record's ``info``).
_HELD: Final = "tawasul_sqlite_turn"

#: Per engine, the loop its turns are taken on and the lock (asyncio's locks belong to one
#: loop; tests run engines on several).
_TURNS: weakref.WeakKeyDictionary[Engine, tuple[asyncio.AbstractEventLoop, asyncio.Lock]] = (
    weakref.WeakKeyDictionary()
)


#: The engines whose writers take turns: SQLite files (bot.db.engine.make_engine).
_QUEUED: weakref.WeakSet[Engine] = weakref.WeakSet()


def _turns(engine: Engine, loop: asyncio.AbstractEventLoop) -> asyncio.Lock:
    found = _TURNS.get(engine)
    if found is None or found[0] is not loop:
        found = (loop, asyncio.Lock())
        _TURNS[engine] = found
    return found[1]


async def _wait_turn(lock: asyncio.Lock, wait_s: float) -> bool:
    try:
        async with asyncio.timeout(wait_s):
            await lock.acquire()
    except TimeoutError:
        return False
    return True


def take_turn(conn: Connection, wait_s: float = QUEUE_WAIT_S) -> None:
    """Waits for this engine's turn to write (see the module's text) before `conn` sends
    BEGIN IMMEDIATE; the turn is the connection's until its transaction ends. Does nothing
    outside an event loop's greenlet (a plain synchronous engine), nor for an engine not
    made to take turns (:func:`queue_writers`)."""
    if conn.engine not in _QUEUED or not in_greenlet():
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    lock = _turns(conn.engine, loop)
    if await_(_wait_turn(lock, wait_s)):
        conn.connection.info[_HELD] = lock
    else:
        log.warning("a SQLite writer waited %.0f s for its turn; asking SQLite directly", wait_s)


def give_back(info: dict[Any, Any] | None) -> None:
    """Ends the turn a connection (its pool record's `info`) holds, if any."""
    lock = info.pop(_HELD, None) if info is not None else None
    if lock is not None and lock.locked():
        lock.release()


def _info(dbapi_connection: Any) -> dict[Any, Any] | None:
    """The pool record's ``info`` of what SQLAlchemy hands the dialect (a pooled
    connection), or None for one that has none (the engine's first connect)."""
    try:
        info: dict[Any, Any] = dbapi_connection.info
    except (AttributeError, NotImplementedError):
        return None
    return info


def queue_writers(engine: Engine, dialect: Dialect) -> None:
    """Has `engine`'s writers take turns (:func:`take_turn`), and `dialect`'s COMMIT and
    ROLLBACK (the engine's own dialect instance) give the turn back once they are done or
    have failed, and `engine`'s pool take back a turn a returned connection still holds."""
    _QUEUED.add(engine)
    commit, rollback = dialect.do_commit, dialect.do_rollback

    def do_commit(dbapi_connection: Any) -> None:
        try:
            commit(dbapi_connection)
        finally:
            give_back(_info(dbapi_connection))

    def do_rollback(dbapi_connection: Any) -> None:
        try:
            rollback(dbapi_connection)
        finally:
            give_back(_info(dbapi_connection))

    dialect.do_commit = do_commit  # type: ignore[method-assign]
    dialect.do_rollback = do_rollback  # type: ignore[method-assign]

    def on_checkin(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        give_back(record.info)

    event.listen(engine, "checkin", on_checkin)
    event.listen(engine, "invalidate", lambda _c, record, _e: give_back(record.info))
