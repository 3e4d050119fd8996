"""Matching: scored counterparts, auto-mode plans and meeting requests.

Its face is its composition root (`app.py`), loaded on first use."""

from rueda.shared.faces import composition_root

__all__ = ["MatchingSettings", "create_app", "main"]
__getattr__ = composition_root(__name__, __all__)
