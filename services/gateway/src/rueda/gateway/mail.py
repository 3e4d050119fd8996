"""Sign-in and invitation e-mails, sent by the gateway itself over SMTP.

Why not through notifications: its e-mails start as events on Kafka topics retained for
days and copied to dead-letter topics, and a sign-in link is a bearer credential for 15
minutes; it must not sit in a log that many consumers (and agencies' ACLs) can read. The
gateway holds the link only in memory, hands it to the SMTP server (the same server and
`RUEDA_SMTP_*` settings notifications uses) and stores only its hash. If the send fails the
person asks for another link; nothing else depends on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Literal, Protocol

import aiosmtplib

__all__ = ["LinkMail", "LinkMailer", "MemoryLinkMailer", "SmtpLinkMailer", "compose_link_mail"]

Kind = Literal["sign_in", "invitation"]
LANGUAGES = ("es", "en", "pt")

_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "sign_in.subject": "Your Rueda sign-in link",
        "sign_in.body": (
            "Hello {name},\n\n"
            "Use this link to sign in to Rueda{where}:\n\n{link}\n\n"
            "It works once, within {minutes} minutes. If you did not ask to sign in, ignore "
            "this message: nobody can sign in without the link.\n"
        ),
        "invitation.subject": "You are invited to {roundtable} on Rueda",
        "invitation.body": (
            "Hello,\n\nYou are invited to {roundtable} on Rueda as {role}.\n"
            "Use this link to accept and sign in:\n\n{link}\n\n"
            "It works once, within {days} days.\n"
        ),
        "where": " ({roundtable})",
    },
    "es": {
        "sign_in.subject": "Su enlace para entrar en Rueda",
        "sign_in.body": (
            "Hola, {name}:\n\n"
            "Use este enlace para entrar en Rueda{where}:\n\n{link}\n\n"
            "Funciona una sola vez, durante {minutes} minutos. Si usted no pidió entrar, "
            "ignore este mensaje: nadie puede entrar sin el enlace.\n"
        ),
        "invitation.subject": "Invitación a {roundtable} en Rueda",
        "invitation.body": (
            "Hola:\n\nLe invitan a {roundtable} en Rueda como {role}.\n"
            "Use este enlace para aceptar y entrar:\n\n{link}\n\n"
            "Funciona una sola vez, durante {days} días.\n"
        ),
        "where": " ({roundtable})",
    },
    "pt": {
        "sign_in.subject": "O seu link de acesso ao Rueda",
        "sign_in.body": (
            "Olá, {name}:\n\n"
            "Use este link para entrar no Rueda{where}:\n\n{link}\n\n"
            "Funciona uma única vez, durante {minutes} minutos. Se não pediu para entrar, "
            "ignore esta mensagem: ninguém entra sem o link.\n"
        ),
        "invitation.subject": "Convite para {roundtable} no Rueda",
        "invitation.body": (
            "Olá:\n\nFoi convidado para {roundtable} no Rueda como {role}.\n"
            "Use este link para aceitar e entrar:\n\n{link}\n\n"
            "Funciona uma única vez, durante {days} dias.\n"
        ),
        "where": " ({roundtable})",
    },
}


@dataclass(frozen=True)
class LinkMail:
    """What one e-mail says; the link is its only secret."""

    to: str
    kind: Kind
    link: str
    language: str = "en"
    name: str = ""
    roundtable: str = ""
    role: str = ""
    minutes: int = 15
    days: int = 7


def pick_language(languages: list[str] | None) -> str:
    """The first of the contact's languages that Rueda writes, else English."""
    for language in languages or []:
        code = language.strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "en"


def compose_link_mail(mail: LinkMail, mail_from: str) -> EmailMessage:
    texts = _TEXTS.get(mail.language, _TEXTS["en"])
    values = {
        "name": mail.name or mail.to,
        "link": mail.link,
        "roundtable": mail.roundtable or "Rueda",
        "role": mail.role,
        "minutes": mail.minutes,
        "days": mail.days,
        "where": texts["where"].format(roundtable=mail.roundtable) if mail.roundtable else "",
    }
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = mail.to
    message["Subject"] = texts[f"{mail.kind}.subject"].format(**values)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=mail_from.rpartition("@")[2].strip("> ") or None)
    message["X-Rueda-Kind"] = mail.kind
    message["Content-Language"] = mail.language
    message.set_content(texts[f"{mail.kind}.body"].format(**values))
    return message


class LinkMailer(Protocol):
    async def send(self, mail: LinkMail) -> None:
        """Hand the e-mail to the mail server; raises if it was not accepted."""
        ...


@dataclass(frozen=True)
class SmtpLinkMailer:
    host: str
    port: int
    mail_from: str
    username: str | None = None
    password: str | None = None
    start_tls: bool = False
    use_tls: bool = False
    timeout_s: float = 10.0

    async def send(self, mail: LinkMail) -> None:
        await aiosmtplib.send(
            compose_link_mail(mail, self.mail_from),
            hostname=self.host,
            port=self.port,
            username=self.username or None,
            password=self.password if self.username else None,
            start_tls=self.start_tls,
            use_tls=self.use_tls,
            timeout=self.timeout_s,
        )


@dataclass
class MemoryLinkMailer:
    """Keeps the e-mails (unit tests)."""

    sent: list[LinkMail] = field(default_factory=list)

    async def send(self, mail: LinkMail) -> None:
        self.sent.append(mail)
