"""The SQL side of bench/load.py's deployment, and the database fault done to it."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from tests.servers import PostgresServer


@dataclass
class Database:
    """The SQL side: the SQLite file under the data directory, or a PostgreSQL cluster."""

    data_dir: Path
    postgres: PostgresServer | None = None
    _lock: sqlite3.Connection | None = None

    @property
    def url(self) -> str:
        if self.postgres is not None:
            return self.postgres.url_for("tawasul_load")
        return f"sqlite+aiosqlite:///{(self.data_dir / 'tawasul.sqlite3').resolve()}"

    @classmethod
    def start(cls, data_dir: Path, postgres: bool) -> Database:
        if not postgres:
            return cls(data_dir)
        server = PostgresServer.start()
        server.create_database("tawasul_load")
        return cls(data_dir, server)

    async def outage(self) -> None:
        """Takes the database away. PostgreSQL: the server is stopped (fast shutdown, its
        connections are cut). SQLite has no server: another process holds the file's
        exclusive lock, so every reader and writer waits and then fails with «database is
        locked», which is what an unavailable SQLite looks like to the bot."""
        if self.postgres is not None:
            await asyncio.to_thread(self.postgres.pause)
            return
        conn = sqlite3.connect(self.data_dir / "tawasul.sqlite3", timeout=30, isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        self._lock = conn

    async def back(self) -> None:
        if self.postgres is not None:
            await asyncio.to_thread(self.postgres.resume)
            return
        if self._lock is not None:
            self._lock.execute("ROLLBACK")
            self._lock.close()
            self._lock = None

    def stop(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None
        if self.postgres is not None:
            self.postgres.stop()
