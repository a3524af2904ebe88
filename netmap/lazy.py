"""Names a package imports on first use (PEP 562), so that importing it stays cheap.

``import netmap`` and the command line's start-up must not load networkx, pandas or the Neo4j
driver before a name that needs them is used.

>>> import types, sys
>>> pkg = types.ModuleType("pkg_demo"); sys.modules["pkg_demo"] = pkg
>>> pkg.__getattr__ = first_use("pkg_demo", {"dedent": ("textwrap", "dedent"), "fill": "textwrap"})
>>> pkg.fill.__module__, "fill" in vars(pkg)
('textwrap', True)
>>> pkg.nothing
Traceback (most recent call last):
...
AttributeError: module 'pkg_demo' has no attribute 'nothing'
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def first_use(package: str, names: Mapping[str, str | tuple[str, str]]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: ``names`` maps a name to its module (or to (module, name there)).

    The value is kept in the package once imported, so it is looked up once.
    """

    def __getattr__(name: str) -> Any:
        if name not in names:
            raise AttributeError(f"module '{package}' has no attribute '{name}'")
        target = names[name]
        module, attribute = target if isinstance(target, tuple) else (target, name)
        value = getattr(importlib.import_module(module), attribute)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
