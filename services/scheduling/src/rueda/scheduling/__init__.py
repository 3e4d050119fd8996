"""Scheduling: agreed meetings placed in both parties' local windows.

Its face is its composition root (`app.py`), loaded on first use."""

from rueda.shared.faces import composition_root

__all__ = ["SchedulingSettings", "create_app", "main"]
__getattr__ = composition_root(__name__, __all__)
