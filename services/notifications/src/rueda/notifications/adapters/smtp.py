"""Sending e-mail: the `Mailer` port, its SMTP adapter (aiosmtplib) and an in-memory fake."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from email.message import Message
from typing import Protocol

import aiosmtplib

__all__ = ["MailSession", "Mailer", "MemoryMailer", "SmtpMailer"]


class MailSession(Protocol):
    async def send(self, message: Message) -> None:
        """Hand the message to the mail server; returns once the server accepted it."""
        ...


class Mailer(Protocol):
    def session(self) -> contextlib.AbstractAsyncContextManager[MailSession]:
        """A session for a batch of messages: one connection, reused while it works."""
        ...


@dataclass(frozen=True)
class SmtpMailer:
    """One SMTP connection per batch, opened on the first message of the batch.

    A message the server refuses (4xx/5xx) fails alone: aiosmtplib resets the envelope and the
    connection carries the next message. A broken connection fails its message and is opened
    again for the next one, so a bad server never poisons more than one message per attempt.
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

    @contextlib.asynccontextmanager
    async def session(self) -> AsyncIterator[MailSession]:
        session = _SmtpSession(self)
        try:
            yield session
        finally:
            await session.close()

    async def connect(self) -> aiosmtplib.SMTP:
        client = aiosmtplib.SMTP(
            hostname=self.host,
            port=self.port,
            username=self.username or None,
            password=self.password if self.username else None,
            start_tls=self.start_tls,
            use_tls=self.use_tls,
            timeout=self.timeout_s,
        )
        await client.connect()
        return client


class _SmtpSession:
    def __init__(self, mailer: SmtpMailer) -> None:
        self._mailer = mailer
        self._client: aiosmtplib.SMTP | None = None

    async def send(self, message: Message) -> None:
        if self._client is None or not self._client.is_connected:
            await self.close()
            self._client = await self._mailer.connect()
        try:
            await self._client.send_message(message)
        except aiosmtplib.SMTPResponseException:
            raise  # refused by the server; the connection itself still works
        except BaseException:
            await self.close()  # in doubt about the connection: the next message opens another
            raise

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        if client.is_connected:
            with contextlib.suppress(Exception):
                await client.quit()
        client.close()


@dataclass
class MemoryMailer:
    """Keeps messages in a list; fails the next `fail_next` sends (tests, local runs)."""

    sent: list[Message] = field(default_factory=list)
    fail_next: int = 0

    @contextlib.asynccontextmanager
    async def session(self) -> AsyncIterator[MailSession]:
        yield self

    async def send(self, message: Message) -> None:
        if self.fail_next > 0:
            self.fail_next -= 1
            raise ConnectionError("memory mailer told to fail")
        self.sent.append(message)
