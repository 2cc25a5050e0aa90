"""aiogram's Telegram types and methods build their pydantic schemas when first used, not all
at import; start-up builds those the bot uses (bot.channels.aiogram_models).

Importing aiogram built a validator and a serializer for each of its ~330 types (the
``model_rebuild`` loop at the end of ``aiogram.types``) and ~170 methods (at class
definition), each holding compiled copies of every type it reaches (a Message reaches most):
126 MB of a worker's ~250 MB peak RSS with 200 residents at once (issue 12; measured from
/proc/self/status around each import), for a bot that receives updates and sends a dozen
kinds of call. Deferred, ``import aiogram`` costs ~13 MB, and the models the bot uses a few
MB more when built.

How, without changing aiogram: :func:`install` (run by ``bot/__init__.py``, so before any
of the bot's modules imports aiogram) wraps the import of three aiogram modules. While
``aiogram.types`` runs, its types' ``model_rebuild`` does nothing; after, each
``aiogram.types`` module is lent the names that loop passed (every type, imported there only
for type checking), so a type builds itself on first use wherever that happens (as the root
of a schema or nested in another's, which resolves names in the nested type's module).
``TelegramMethod`` gets pydantic's public ``defer_build``, which aiogram's ``TelegramObject``
already declares. What is validated and sent is unchanged. A process that imported aiogram
before the bot (a test, the aiogram-FSM baseline in bench/) builds everything at import, as
before.

Session 14 deferred the types alone for start-up time (2f0674b) and reverted it (06fe29e): a
lone process's first update built models the warm-up had not (38-51 ms). Here the models a
worker uses are built at start-up by name (``aiogram_models.USED_*``, checked against the
code by tests/unit/test_aiogram_lazy.py) besides the warm-up's whole dialogue.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any, Final

#: The aiogram release series whose internals this was written against and tested on
#: (tests/unit/test_aiogram_lazy.py): the rebuild loop at the end of ``aiogram.types``,
#: ``TelegramObject`` in ``aiogram.types.base``, ``TelegramMethod`` in
#: ``aiogram.methods.base``. pyproject.toml pins aiogram to it; under any other release
#: :func:`install` does nothing, and aiogram builds its models at import as it always did
#: (the memory back, nothing broken), which the worker's start-up logs (:data:`skipped`).
TESTED_SERIES: Final = (3, 31)

#: Why the deferral was not installed (an untested aiogram release), or None.
skipped: str | None = None

_TYPES: Final = "aiogram.types"
_TYPES_BASE: Final = "aiogram.types.base"
_METHODS_BASE: Final = "aiogram.methods.base"


def install() -> None:
    """Defers aiogram's schemas as the module's text says; does nothing when aiogram's types
    are imported already or this is installed."""
    global skipped
    if _TYPES in sys.modules or any(isinstance(f, _Finder) for f in sys.meta_path):
        return
    release = _aiogram_release()
    if not tested(release):
        skipped = f"aiogram {release} is not the tested {'.'.join(map(str, TESTED_SERIES))}.x"
        return
    sys.meta_path.insert(0, _Finder())


def tested(release: str | None) -> bool:
    """Whether an aiogram release (``"3.31.0"``; None when aiogram is not installed) is of
    :data:`TESTED_SERIES`."""
    if release is None:
        return False
    parts = release.split(".")
    try:
        return (int(parts[0]), int(parts[1])) == TESTED_SERIES
    except (IndexError, ValueError):
        return False


def _aiogram_release() -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("aiogram")
    except PackageNotFoundError:
        return None


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname not in (_TYPES, _TYPES_BASE, _METHODS_BASE):
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _Deferring(spec.loader)
        return spec


class _Deferring(importlib.abc.Loader):
    def __init__(self, inner: importlib.abc.Loader) -> None:
        self._inner = inner

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self._inner.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._inner.exec_module(module)
        if module.__name__ == _TYPES_BASE:
            # aiogram.types' last lines call it for every type
            module.TelegramObject.model_rebuild = classmethod(_not_now)
        elif module.__name__ == _METHODS_BASE:
            module.TelegramMethod.model_config["defer_build"] = True
        elif module.__name__ == _TYPES:
            del sys.modules[_TYPES_BASE].TelegramObject.model_rebuild
            _lend_names(module)


#: The names aiogram's rebuild loop passes (its ``_types_namespace``), kept from the first
#: call it makes, so the names lent are aiogram's own, whatever a release adds to them.
_passed: dict[str, Any] = {}


def _not_now(cls: type, *args: Any, **kwargs: Any) -> None:
    namespace = kwargs.get("_types_namespace")
    if not _passed and isinstance(namespace, dict):
        _passed.update(namespace)
    return None


def _lend_names(types: ModuleType) -> None:
    """Gives each ``aiogram.types`` module the names aiogram's rebuild loop passed (every
    type, and the typing names its annotations use) that the module lacks: those it passed
    to the first ``model_rebuild``, or, had it passed none, the names aiogram 3.31 passes."""
    from typing import Literal, Optional, Union

    from aiogram.client.default import Default

    names: dict[str, Any] = dict(_passed)
    if not names:
        names = {"List": list, "Optional": Optional, "Union": Union}
        names |= {"Literal": Literal, "Default": Default}
        names |= {name: getattr(types, name) for name in types.__all__}
    prefix = f"{_TYPES}."
    for name, module in list(sys.modules.items()):
        if name.startswith(prefix) and module is not None:
            for key, value in names.items():
                module.__dict__.setdefault(key, value)
