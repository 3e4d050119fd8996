"""Request mode: participants ask counterparts for meetings; rules as pure functions.

A request needs two approved participants of opposite roles, no open request or agreed
meeting for the same pair, and room under the cap on both sides, counting agreed
meetings and open (pending, unexpired) requests. It expires `ttl` after it was made so
that it blocks nobody for long. Only the requested participant may answer; accepting
needs room under the cap in agreed meetings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal, cast

from .model import Participant

__all__ = [
    "MeetingRequest",
    "RequestRefusedError",
    "RequestStatus",
    "commitments",
    "expired_requests",
    "open_request",
    "requests_withdrawn_with",
    "respond_to_request",
]

RequestStatus = Literal["pending", "accepted", "declined", "expired", "withdrawn"]
_STATUSES = ("pending", "accepted", "declined", "expired", "withdrawn")


class RequestRefusedError(ValueError):
    """A request or a response breaks a rule; `code` says which (stable, for API errors)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class MeetingRequest:
    """A meeting request between an exporter and an importer."""

    request_id: str
    exporter_id: str
    importer_id: str
    requested_by: str
    created_at: dt.datetime
    expires_at: dt.datetime
    status: RequestStatus = "pending"
    session: Literal["morning", "afternoon"] | None = None

    @property
    def requested_of(self) -> str:
        """The participant who must answer."""
        return self.importer_id if self.requested_by == self.exporter_id else self.exporter_id

    def is_open(self, now: dt.datetime) -> bool:
        """Pending and not yet expired at `now`."""
        return self.status == "pending" and now < self.expires_at

    def involves(self, participant_id: str) -> bool:
        """Whether the participant is one of the two parties."""
        return participant_id in (self.exporter_id, self.importer_id)

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form (aware datetimes are kept as datetimes, BSON-friendly)."""
        return {
            "request_id": self.request_id,
            "exporter_id": self.exporter_id,
            "importer_id": self.importer_id,
            "requested_by": self.requested_by,
            "created_at": self.created_at,
            "expires_at": self.expires_at,
            "status": self.status,
            "session": self.session,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MeetingRequest:
        """Inverse of `to_dict`; also accepts ISO 8601 strings for the datetimes."""

        def moment(value: Any) -> dt.datetime:
            parsed = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)

        status = str(data.get("status", "pending"))
        if status not in _STATUSES:
            raise ValueError(f"unknown request status {status!r}")
        return cls(
            request_id=str(data["request_id"]),
            exporter_id=str(data["exporter_id"]),
            importer_id=str(data["importer_id"]),
            requested_by=str(data["requested_by"]),
            created_at=moment(data["created_at"]),
            expires_at=moment(data["expires_at"]),
            status=cast("RequestStatus", status),
            session=_session(data.get("session")),
        )


def _session(value: Any) -> Literal["morning", "afternoon"] | None:
    if value not in (None, "morning", "afternoon"):
        raise ValueError(f"unknown session {value!r}")
    return cast("Literal['morning', 'afternoon'] | None", value)


def commitments(
    participant_id: str,
    *,
    agreed: Iterable[tuple[str, str]],
    requests: Iterable[MeetingRequest],
    now: dt.datetime,
) -> int:
    """Agreed meetings plus open requests that involve the participant."""
    return sum(1 for pair in agreed if participant_id in pair) + sum(
        1 for r in requests if r.is_open(now) and r.involves(participant_id)
    )


def open_request(
    *,
    request_id: str,
    from_participant: str,
    to_participant: str,
    approved: Mapping[str, Participant],
    agreed: Iterable[tuple[str, str]],
    requests: Iterable[MeetingRequest],
    max_meetings: int,
    now: dt.datetime,
    ttl: dt.timedelta,
) -> MeetingRequest:
    """A new pending request, or `RequestRefusedError` saying which rule it breaks.

    `approved` maps participant ids to the roundtable's approved participants; `agreed`
    holds (exporter_id, importer_id) pairs of agreed meetings.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    requester = approved.get(from_participant)
    counterpart = approved.get(to_participant)
    if requester is None:
        raise RequestRefusedError("requester_not_approved", "the requester is not approved")
    if counterpart is None:
        raise RequestRefusedError("counterpart_not_approved", "the counterpart is not approved")
    if requester.role == counterpart.role:
        raise RequestRefusedError("same_role", "a meeting is between an exporter and an importer")
    exporter, importer = (
        (requester, counterpart) if requester.role == "exporter" else (counterpart, requester)
    )
    pair = (exporter.participant_id, importer.participant_id)
    agreed_pairs = list(agreed)
    request_list = list(requests)
    if pair in agreed_pairs:
        raise RequestRefusedError("already_agreed", "these two already have a meeting")
    if any(r.is_open(now) and (r.exporter_id, r.importer_id) == pair for r in request_list):
        raise RequestRefusedError("duplicate_request", "an open request exists for this pair")
    for party, code in (
        (from_participant, "requester_at_cap"),
        (to_participant, "counterpart_at_cap"),
    ):
        taken = commitments(party, agreed=agreed_pairs, requests=request_list, now=now)
        if taken >= max_meetings:
            raise RequestRefusedError(
                code, f"{party} has {taken} meetings and open requests (cap {max_meetings})"
            )
    return MeetingRequest(
        request_id=request_id,
        exporter_id=exporter.participant_id,
        importer_id=importer.participant_id,
        requested_by=from_participant,
        created_at=now,
        expires_at=now + ttl,
    )


def respond_to_request(
    request: MeetingRequest,
    *,
    participant_id: str,
    accept: bool,
    agreed: Iterable[tuple[str, str]],
    max_meetings: int,
    now: dt.datetime,
) -> MeetingRequest:
    """The request accepted or declined, or `RequestRefusedError`.

    Only the requested participant answers, only while the request is open; accepting
    needs both sides below the cap in agreed meetings.
    """
    if participant_id != request.requested_of:
        raise RequestRefusedError("not_requested_party", "only the requested participant answers")
    if request.status != "pending":
        raise RequestRefusedError("not_pending", f"the request is {request.status}")
    if not request.is_open(now):
        raise RequestRefusedError("expired", "the request has expired")
    if not accept:
        return replace(request, status="declined")
    agreed_pairs = list(agreed)
    for party in (request.exporter_id, request.importer_id):
        if sum(1 for pair in agreed_pairs if party in pair) >= max_meetings:
            raise RequestRefusedError("at_cap", f"{party} already has {max_meetings} meetings")
    return replace(request, status="accepted")


def expired_requests(
    requests: Iterable[MeetingRequest], now: dt.datetime
) -> tuple[MeetingRequest, ...]:
    """Pending requests whose time is up at `now`, returned with status "expired"."""
    return tuple(
        replace(r, status="expired")
        for r in requests
        if r.status == "pending" and r.expires_at <= now
    )


def requests_withdrawn_with(
    participant_id: str, requests: Iterable[MeetingRequest]
) -> tuple[MeetingRequest, ...]:
    """Pending requests involving a withdrawn participant, returned with status "withdrawn"."""
    return tuple(
        replace(r, status="withdrawn")
        for r in requests
        if r.status == "pending" and r.involves(participant_id)
    )
