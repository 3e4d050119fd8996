"""Sending e-mail: the `Mailer` port, its SMTP adapter (aiosmtplib) and an in-memory fake."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Protocol

import aiosmtplib

__all__ = ["Mailer", "MemoryMailer", "SmtpMailer"]


class Mailer(Protocol):
    async def send(self, message: EmailMessage) -> None:
        """Hand the message to the mail server; returns once the server accepted it."""
        ...


@dataclass(frozen=True)
class SmtpMailer:
    """One SMTP connection per message: simple, and a broken server never poisons a pool.

    `start_tls` upgrades a plain connection (submission, port 587); `use_tls` is implicit TLS
    (port 465). Credentials are used only when a username is set.
    """

    host: str
    port: int
    username: str | None = None
    password: str | None = None
    start_tls: bool = False
    use_tls: bool = False
    timeout_s: float = 20.0

    async def send(self, message: EmailMessage) -> None:
        await aiosmtplib.send(
            message,
            hostname=self.host,
            port=self.port,
            username=self.username or None,
            password=self.password if self.username else None,
            start_tls=self.start_tls,
            use_tls=self.use_tls,
            timeout=self.timeout_s,
        )


@dataclass
class MemoryMailer:
    """Keeps messages in a list; fails the next `fail_next` sends (tests, local runs)."""

    sent: list[EmailMessage] = field(default_factory=list)
    fail_next: int = 0

    async def send(self, message: EmailMessage) -> None:
        if self.fail_next > 0:
            self.fail_next -= 1
            raise ConnectionError("memory mailer told to fail")
        self.sent.append(message)
