"""Lazy re-exports for a package's __init__ (PEP 562): the rule that importing a package loads none of
its modules until one of their names is used.

rankings.services, rankings.selectors and rankings.scoring re-export their modules' names ("import from
here"). Importing them eagerly made every management command, and the admin, import pandas and numpy
at start-up for names it never called. With `lazy_exports` a name loads its own module on first use
(`from rankings.services import ScoringError` loads rankings/services/errors.py alone), and is then
an ordinary attribute of the package.
"""
from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping


def lazy_exports(package: str, modules: Mapping[str, tuple[str, ...]]) -> tuple[Callable[[str], object],
                                                                                Callable[[], list[str]]]:
    """The `__getattr__` and `__dir__` of `package`, which exports each module's names
    ({module: (name, …)}, modules relative to the package)."""
    where = {name: module for module, names in modules.items() for name in names}

    def __getattr__(name: str) -> object:
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{where[name]}"), name)
        setattr(sys.modules[package], name, value)  # from now on an ordinary attribute
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *where})

    return __getattr__, __dir__
