"""One hand-off to aiosqlite's thread per SQL statement instead of four.

aiosqlite runs each sqlite3 call in a thread of its own, and every call it is given is one
trip there and back: a queue put, the thread woken, the answer handed back to the event
loop through its self-pipe, and the GIL passed each way. SQLAlchemy's aiosqlite adapter
makes four such calls for every statement (``cursor()``, ``execute``, ``fetchall``,
``close``), three for one that returns no rows. The profile of ``bench/dialogue.py``
(issue 12) had this thread traffic as the largest single cost of a turn's SQL: the
lost-file read at the documents steps, the first menu's list of requests and the filing's
dozen statements each paid it four times over. Measured alone, a primary-key SELECT costs
about 200 µs of CPU through the four hand-offs and about 80 µs through one.

:class:`OneHandOffCursor` keeps SQLAlchemy's adapter (its ``execute`` and ``executemany``,
its ``_handle_exception`` that turns a driver error into SQLAlchemy's, so the
``handle_error`` event that ``/metrics`` and ``test_filing_locked`` watch sees every
failure as before) and changes only what reaches the thread: one function that makes a
sqlite3 cursor, executes, fetches every row when the statement returns any, and closes the
cursor. Server-side cursors (``stream_results``) are SQLAlchemy's own, unchanged.

Neither aiosqlite nor SQLAlchemy offers this (aiosqlite's public ``execute_fetchall`` does
it for its own callers, not for SQLAlchemy's adapter, and gives no description, rowcount
or lastrowid, which SQLAlchemy needs; SQLAlchemy has no hook between its adapter and the
driver). So it rests on private parts of both, listed by :func:`missing_internals`:
aiosqlite's ``Connection._execute`` (the method every aiosqlite call goes through) and
``_conn``, and SQLAlchemy's asyncio adapter as 2.1 has it (the cursor's
``_execute_async``/``_executemany_async`` and slots, the connection's ``_cursor_cls`` and
``_execute_mutex``; SQLAlchemy 2.0's aiosqlite cursor has none of these and would break).
pyproject.toml therefore pins the versions this was tested with (SQLAlchemy 2.1.x,
aiosqlite 0.20-0.22; tests/integration/test_sqlite_handoff.py fails loudly when one of the
parts is missing), and at run time a connection is left to SQLAlchemy's own adapter, slower
but right, when any is missing.
"""

from __future__ import annotations

import collections
import functools
import inspect
import logging
import sqlite3
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
)
from sqlalchemy.util import EMPTY_DICT

log = logging.getLogger(__name__)

#: What :class:`OneHandOffCursor` sets or reads on SQLAlchemy's cursor adapter (its slots).
_CURSOR_SLOTS = frozenset(
    {"_adapt_connection", "_connection", "_cursor", "_soft_closed_memoized", "_rows"}
)


def _slots(cls: type) -> set[str]:
    found: set[str] = set()
    for klass in cls.__mro__:
        slots = klass.__dict__.get("__slots__", ())
        found.update((slots,) if isinstance(slots, str) else slots)
    return found


@functools.cache
def missing_internals() -> tuple[str, ...]:
    """The private parts of aiosqlite and SQLAlchemy this module relies on that the
    installed versions lack (empty when every one is there, as with the pinned versions)."""
    missing: list[str] = []
    execute = getattr(aiosqlite.Connection, "_execute", None)
    if execute is None or not inspect.iscoroutinefunction(execute):
        missing.append("aiosqlite.Connection._execute (a coroutine function)")
    if not isinstance(getattr(aiosqlite.Connection, "_conn", None), property):
        missing.append("aiosqlite.Connection._conn (a property)")
    cursor = AsyncAdapt_aiosqlite_cursor
    for name in ("_execute_async", "_executemany_async"):
        if not inspect.iscoroutinefunction(getattr(cursor, name, None)):
            missing.append(f"AsyncAdapt_aiosqlite_cursor.{name} (a coroutine function)")
    if not isinstance(getattr(cursor, "_awaitable_cursor_close", None), bool):
        missing.append("AsyncAdapt_aiosqlite_cursor._awaitable_cursor_close")
    for name in sorted(_CURSOR_SLOTS - _slots(cursor)):
        missing.append(f"AsyncAdapt_aiosqlite_cursor slot {name}")
    connection = AsyncAdapt_aiosqlite_connection
    if getattr(connection, "_cursor_cls", None) is not cursor:
        missing.append("AsyncAdapt_aiosqlite_connection._cursor_cls")
    if "_execute_mutex" not in _slots(connection):
        missing.append("AsyncAdapt_aiosqlite_connection slot _execute_mutex")
    return tuple(missing)


#: What the thread hands back: description, rows, rowcount, lastrowid.
_Outcome = tuple[Any, list[Any], int, int | None]


def _run(driver: Any, operation: str, parameters: Any, many: bool) -> _Outcome:
    """In aiosqlite's thread: the whole statement, its cursor closed before returning."""
    raw: sqlite3.Connection = driver._conn
    cursor = raw.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        # read after the fetch: a DML statement with RETURNING counts its rows as fetched
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneHandOffCursor(AsyncAdapt_aiosqlite_cursor):
    """SQLAlchemy's aiosqlite cursor adapter, each statement one trip to the driver's
    thread (see the module's text). Raises what SQLAlchemy's adapter raises."""

    __slots__ = ("_description", "_lastrowid", "_rowcount")

    # nothing to close on the driver's side: the thread closed its cursor already
    _awaitable_cursor_close = False

    def __init__(self, adapt_connection: AsyncAdapt_aiosqlite_connection) -> None:
        # not SQLAlchemy's __init__: it asks aiosqlite's thread for a cursor (a hand-off)
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        return self._lastrowid  # type: ignore[return-value]

    @property
    def arraysize(self) -> int:
        return 1

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        pass  # every row is fetched at once

    def setinputsizes(self, *inputsizes: Any) -> None:
        pass  # sqlite3's own does nothing either

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        async with self._adapt_connection._execute_mutex:
            await self._run(operation, parameters, many=False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> Any:
        async with self._adapt_connection._execute_mutex:
            await self._run(operation, seq_of_parameters, many=True)

    async def _run(self, operation: Any, parameters: Any, *, many: bool) -> None:
        driver: Any = self._connection  # aiosqlite's Connection
        outcome: _Outcome = await driver._execute(_run, driver, operation, parameters, many)
        self._description, rows, self._rowcount, self._lastrowid = outcome
        self._rows = collections.deque(rows)


class OneHandOffConnection(AsyncAdapt_aiosqlite_connection):
    """SQLAlchemy's aiosqlite connection adapter whose plain cursors are
    :class:`OneHandOffCursor`."""

    __slots__ = ()

    _cursor_cls = OneHandOffCursor  # type: ignore[assignment]


def one_hand_off(dbapi_connection: Any) -> None:
    """Makes a SQLAlchemy aiosqlite connection (the pool's ``connect`` event's argument)
    run each statement in one hand-off; leaves any other connection as it is, and every
    one when the installed versions lack a part this relies on (:func:`missing_internals`,
    logged once)."""
    if type(dbapi_connection) is not AsyncAdapt_aiosqlite_connection:
        return
    if missing_internals():
        _warn_once()
        return
    # same layout (no slots of its own), so the instance can change class in place
    dbapi_connection.__class__ = OneHandOffConnection


@functools.cache
def _warn_once() -> None:
    log.warning(
        "SQLite statements go through SQLAlchemy's own aiosqlite adapter (slower): the"
        " installed SQLAlchemy or aiosqlite lacks %s; see pyproject.toml's tested versions",
        ", ".join(missing_internals()),
    )
