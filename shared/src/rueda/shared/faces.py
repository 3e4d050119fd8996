"""A service package's face: the names of its composition root (`<package>.app`), loaded on
first use, so that importing one part of a service (its domain, say) does not import it all."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["composition_root"]


def composition_root(package: str, names: Sequence[str]) -> Callable[[str], Any]:
    """A module `__getattr__` (PEP 562) serving `names` from `<package>.app`."""

    def attribute(name: str) -> Any:
        if name in names:
            return getattr(importlib.import_module(f"{package}.app"), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return attribute
