"""Keeps aiogram's ``Response[...]`` models alive for the life of the process.

aiogram reads every Bot API answer with ``Response[method.__returning__]`` (in
``BaseSession.check_response``). pydantic builds such a parametrised generic model on first
use (tens of milliseconds: a class, its core schema, a validator) and caches it in a
``WeakValueDictionary`` (pydantic/_internal/_generics.py): nothing else holds the class,
so the next garbage collection drops it and a later call builds it again. Profiling
bench/dialogue.py showed exactly that: ``create_generic_submodel`` 6 times in 33 warm
updates, ~60 ms each, at random updates (the long tail of the sequential figures). Holding
one reference to each of them stops it; there are about 40 distinct return types across
aiogram's methods, built in about 0.3 s once at start-up.
"""

from __future__ import annotations

import logging
from typing import Any

import aiogram.methods
from aiogram.methods import Response, TelegramMethod
from pydantic.errors import PydanticSchemaGenerationError

log = logging.getLogger(__name__)

_PINNED: list[Any] = []


def pin_response_models() -> int:
    """Builds ``Response[T]`` for every return type of aiogram's methods and keeps them;
    returns how many are held. Once per process; later calls return at once."""
    if not _PINNED:
        seen: dict[str, Any] = {}
        for name in aiogram.methods.__all__:
            method = getattr(aiogram.methods, name, None)
            if (
                isinstance(method, type)
                and issubclass(method, TelegramMethod)
                and hasattr(method, "__returning__")
            ):
                seen.setdefault(repr(method.__returning__), method.__returning__)
        generic: Any = Response
        for returning in seen.values():
            try:
                _PINNED.append(generic[returning])
            except PydanticSchemaGenerationError:
                # a return type pydantic cannot build outside aiogram's own context; it
                # is built (and may be rebuilt) on use, as before
                log.debug("Response[%r] not pinned", returning)
    return len(_PINNED)
