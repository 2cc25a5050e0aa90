"""Which database ``tawasul staff`` opens, and its refusal to make a new empty one.

Without ``TAWASUL_DATABASE_URL`` the bot keeps its requests in SQLite under the data
directory, ``.data`` by default: a path relative to where the command is run. An officer
who ran ``tawasul staff show N`` from another folder was told the request did not exist,
because the terminal made and migrated a new empty database there. The bot itself
(``tawasul run``) makes the database on its first start; the officers' terminal only opens
one that exists.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.settings import Settings
from conversations.i18n import Texts

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine


def missing_database(settings: Settings) -> Path | None:
    """The SQLite file the settings name when it does not exist yet, else ``None`` (it
    exists, or the database is a server's, ``TAWASUL_DATABASE_URL``, which is not ours to
    look for on disk)."""
    if settings.database_url:
        return None
    path = (settings.data_dir / "tawasul.sqlite3").resolve()
    return None if path.exists() else path


def no_database_text(texts: Texts, path: Path) -> str:
    """The officer's answer when :func:`missing_database` found nothing: where it looked
    (on a line of its own, so a right-to-left terminal does not reorder the path) and the
    two ways to point the terminal at the bot's database."""
    _ = texts.gettext
    return _(
        "There is no bot database here:\n%(path)s\nRun the command from the bot's folder, "
        "or set TAWASUL_DATA_DIR (or TAWASUL_DATABASE_URL) to the bot's own."
    ) % {"path": path}


async def open_database(settings: Settings, texts: Texts, err: TextIO) -> AsyncEngine | None:
    """The bot's database, migrated to the code's schema, for a ``tawasul staff`` command;
    None, with :func:`no_database_text` written to ``err``, when there is none to open
    (:func:`missing_database`). The caller disposes of the engine."""
    from bot.db.engine import make_engine
    from bot.db.migrate import upgrade

    if (absent := missing_database(settings)) is not None:
        print(no_database_text(texts, absent), file=err)
        return None
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    await upgrade(settings.sqlalchemy_url)
    return make_engine(settings.sqlalchemy_url)
