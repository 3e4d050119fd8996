"""Notifications: e-mails with ICS invitations, reminders and signed webhooks.

Its face is its composition root (`app.py`), loaded on first use."""

from rueda.shared.faces import composition_root

__all__ = ["NotificationsSettings", "create_app", "main"]
__getattr__ = composition_root(__name__, __all__)
