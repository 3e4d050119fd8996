"""The gateway: the public HTTP API, which turns calls into commands.

Its face is its composition root (`app.py`), loaded on first use."""

from rueda.shared.faces import composition_root

__all__ = ["GatewaySettings", "create_app", "main"]
__getattr__ = composition_root(__name__, __all__)
