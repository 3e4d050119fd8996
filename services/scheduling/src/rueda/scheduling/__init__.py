"""Scheduling: agreed meetings placed in both parties' local windows.

The package's face is its composition root (`app.py`): the settings, the ASGI app factory and
the process entry point. They load on first use, so importing `rueda.scheduling.domain` (or any
other part) does not import the whole service.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SchedulingSettings", "create_app", "main"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
