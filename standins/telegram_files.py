"""The files the Bot API stand-in holds: what getFile describes and ``/file/...`` serves,
and the files the bot sends (by file_id, by upload or by URL)."""

from __future__ import annotations

import base64
import hashlib
import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from standins.telegram_policies import ApiError

JSON = dict[str, Any]

#: getFile refuses bigger files on the public Bot API.
MAX_DOWNLOAD_BYTES: Final = 20 * 1024 * 1024


@dataclass(slots=True)
class StoredFile:
    """A file the stand-in serves: its ids, bytes and download path."""

    file_id: str
    file_unique_id: str
    data: bytes
    file_path: str
    # what getFile says of the size: None for the truth, 0 to say nothing (Telegram may
    # leave it out), another number to misstate it
    claimed_size: int | None = None


_FILE_ID_PREFIX: Final[dict[str, str]] = {
    "photo": "AgACAgQAAxkBAAI",
    "document": "BQACAgQAAxkBAAI",
    "sticker": "CAACAgIAAxkBAAI",
    "voice": "AwACAgQAAxkBAAI",
    "video": "BAACAgQAAxkBAAI",
    "audio": "CQACAgQAAxkBAAI",
}
_file_counter = itertools.count(1)


def fake_file_id(kind: str = "photo") -> str:
    """A file_id shaped like Telegram's (a type-specific prefix and url-safe base64)."""
    tail = base64.urlsafe_b64encode(
        hashlib.sha256(f"{kind}-{next(_file_counter)}-{time.time_ns()}".encode()).digest()
    )
    return _FILE_ID_PREFIX.get(kind, "BQACAgQAAxkBAAI") + tail.decode().rstrip("=")[:40]


def unique_id(file_id: str) -> str:
    """A file_unique_id for `file_id`, shaped like Telegram's, the same for the same id."""
    digest = hashlib.sha256(file_id.encode()).digest()[:12]
    return "AQAD" + base64.urlsafe_b64encode(digest).decode().rstrip("=")


@dataclass
class FileStore:
    """The stand-in's files (a part of :class:`~standins.telegram_botapi.TelegramBotAPIStandin`)."""

    #: file paths downloaded through /file/bot<token>/<path>, in order.
    downloads: list[str] = field(default_factory=list, init=False)
    _files: dict[str, StoredFile] = field(default_factory=dict, init=False)
    _files_by_path: dict[str, StoredFile] = field(default_factory=dict, init=False)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1), init=False)

    def add_file(
        self,
        file_id: str,
        data: bytes,
        *,
        file_path: str | None = None,
        claimed_size: int | None = None,
    ) -> None:
        """Make `data` downloadable as `file_id` (getFile, then GET /file/...);
        `claimed_size` is what getFile says of its size (0: nothing; None: the truth)."""
        path = file_path or f"files/file_{next(self._ids)}"
        stored = StoredFile(file_id, unique_id(file_id), data, path, claimed_size)
        self._files[file_id] = stored
        self._files_by_path[path] = stored

    def _file_ref(self, params: JSON, value: Any, kind: str) -> StoredFile:
        """A sent file: a known file_id, an upload ("attach://key" or the field itself),
        or a URL / unknown id, which gets a fresh id with empty content."""
        upload: JSON | None = None
        if isinstance(value, str) and value.startswith("attach://"):
            upload = params.get(value.removeprefix("attach://"))
        elif isinstance(value, dict) and "upload" in value:
            upload = value
        if upload is None and isinstance(value, str) and value in self._files:
            return self._files[value]
        data = bytes(upload["data"]) if upload is not None else b""
        file_id = fake_file_id(kind)
        self.add_file(file_id, data, file_path=f"{kind}s/file_{next(self._ids)}")
        return self._files[file_id]

    def _photo_sizes(self, stored: StoredFile) -> list[JSON]:
        return [
            {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_size": len(stored.data),
                "width": 1280,
                "height": 960,
            }
        ]

    def _m_getfile(self, params: JSON) -> JSON:
        stored = self._files.get(str(params.get("file_id", "")))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if len(stored.data) > MAX_DOWNLOAD_BYTES:
            raise ApiError(400, "Bad Request: file is too big")
        answer: JSON = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data) if stored.claimed_size is None else stored.claimed_size,
            "file_path": stored.file_path,
        }
        if answer["file_size"] == 0:
            del answer["file_size"]
        return answer
