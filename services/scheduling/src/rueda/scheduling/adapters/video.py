"""Video rooms: the port scheduling asks for a meeting's join URL, its default and its fake."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Protocol

__all__ = ["FakeVideoRooms", "JitsiRooms", "VideoRooms"]


class VideoRooms(Protocol):
    """Gives a meeting its video room. Called once, when the meeting first gets a slot;
    the URL is stored with the meeting and kept through reschedules."""

    def join_url(self, roundtable_id: str, meeting_id: str) -> str: ...


class JitsiRooms:
    """Unguessable rooms on a Jitsi-compatible server (any server that opens a room on
    first visit to `<base>/<room name>`, e.g. https://meet.jit.si or a self-hosted one).

    The room name is an HMAC-SHA256 of the meeting id under a secret: 160 bits, so a room
    cannot be found by trying names, and the same meeting always gets the same room.
    """

    def __init__(self, base_url: str, secret: str, *, prefix: str = "rueda-") -> None:
        if not secret:
            raise ValueError("a video room secret is required")
        self._base = base_url.rstrip("/")
        self._secret = secret.encode()
        self._prefix = prefix

    def join_url(self, roundtable_id: str, meeting_id: str) -> str:
        digest = hmac.new(self._secret, meeting_id.encode(), hashlib.sha256).digest()[:20]
        room = base64.b32encode(digest).decode().lower()
        return f"{self._base}/{self._prefix}{room}"


class FakeVideoRooms:
    """Predictable rooms for tests; records what it was asked for."""

    def __init__(self, base_url: str = "https://video.test") -> None:
        self._base = base_url
        self.requested: list[tuple[str, str]] = []

    def join_url(self, roundtable_id: str, meeting_id: str) -> str:
        self.requested.append((roundtable_id, meeting_id))
        return f"{self._base}/{roundtable_id}/{meeting_id}"
