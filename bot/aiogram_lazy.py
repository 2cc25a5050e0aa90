"""aiogram's Telegram types built when first used, not all of them at import.

``aiogram.types`` ends its import by calling ``model_rebuild`` on each of its ~400 pydantic
models with a namespace holding every type: 403 validators compiled, each with the whole
closure of the models it nests (a Message holds most of them). That was 7 s of CPU on
this 2-core machine, the largest part of a worker's start as a whole interpreter (26-40 s
of wall time at a load average of 8: a lone worker restarted by systemd or compose; the
supervisor's workers are forked from a forkserver that paid it once). The models are
declared ``defer_build=True``: only that loop builds them.

While ``aiogram.types`` is imported, :func:`install` makes that call store the namespace on
the model (``__pydantic_parent_namespace__``, what pydantic reads when a deferred model is
first used and built) instead of building it; once ``aiogram.methods`` is imported, the
methods that could not be built (their fields name types not built yet) get the same
namespace. A process then builds what it uses, on first use: an Update with a message
0.2 s, a SendMessage 0.03 s, every type and method 6 s if it ever used them all. The
warm-up at start (bot.warmup) pays a worker's before /readyz. Import alone: 7.0 -> 1.7 s.
tests/unit/test_aiogram_lazy.py builds every type, method and ``Response[...]`` this way.

Installed by the ``bot`` package (bot/__init__.py) as an import hook for those two
modules, so it holds whoever imports aiogram first; a process that imported aiogram before
``bot`` keeps aiogram's own way.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any, Final

_TYPES: Final = "aiogram.types"
_METHODS: Final = "aiogram.methods"
#: every type's name -> the type, filled by aiogram.types' own loop
_NAMESPACE: dict[str, Any] = {}


class _Loader(importlib.machinery.SourceFileLoader):
    def exec_module(self, module: ModuleType) -> None:
        if self.name == _TYPES:
            _deferred(super().exec_module, module)
        else:
            super().exec_module(module)
            _name_types_for(module)


def _deferred(run: Any, module: ModuleType) -> None:
    from pydantic import BaseModel

    build = BaseModel.model_rebuild.__func__  # type: ignore[attr-defined]

    def record(cls: type[BaseModel], /, **options: Any) -> bool | None:
        namespace = options.get("_types_namespace")
        if namespace is None or options.get("force") or not cls.__module__.startswith("aiogram."):
            return build(cls, **options)  # type: ignore[no-any-return]
        _NAMESPACE.update(namespace)
        cls.__pydantic_parent_namespace__ = _NAMESPACE
        return None

    BaseModel.model_rebuild = classmethod(record)  # type: ignore[assignment,method-assign]
    try:
        run(module)
    finally:
        BaseModel.model_rebuild = classmethod(build)  # type: ignore[assignment,method-assign]


def _name_types_for(module: ModuleType) -> None:
    """The methods not built at import (a field names a type not built yet) find every
    type when first used, and so does each ``Response[T]`` aiogram reads an answer with
    (a generic's parametrisation inherits ``Response``'s namespace)."""
    from pydantic import BaseModel

    if not _NAMESPACE:
        return  # aiogram.types was imported the usual way: everything is built
    names = [*getattr(module, "__all__", ()), "Response"]
    for name in names:
        model = getattr(module, name, None)
        if isinstance(model, type) and issubclass(model, BaseModel):
            model.__pydantic_parent_namespace__ = {
                **_NAMESPACE,
                **(model.__pydantic_parent_namespace__ or {}),
            }


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in (_TYPES, _METHODS):
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
            return spec  # not aiogram's source as this module knows it: left alone
        spec.loader = _Loader(fullname, spec.origin)
        return spec


def install() -> None:
    """Builds aiogram's types on first use from now on (see the module docstring); once."""
    if _TYPES in sys.modules or any(isinstance(f, _Finder) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _Finder())


def build_all() -> int:
    """Builds every aiogram type and method now (what aiogram's import did), returning how
    many; for the supervisor's forkserver (bot.aiogram_built), whose forked workers then
    inherit them built instead of each building what it uses."""
    import aiogram.methods
    import aiogram.types
    from pydantic import BaseModel

    built = 0
    for module in (aiogram.types, aiogram.methods):
        for name in module.__all__:
            model = getattr(module, name, None)
            if isinstance(model, type) and issubclass(model, BaseModel):
                model.model_rebuild()
                built += 1
    return built
