"""Request mode rules: roles, approval, duplicates, caps, answers, expiry."""

from __future__ import annotations

import datetime as dt

import pytest

from rueda.matching.domain import (
    MeetingRequest,
    Participant,
    RequestRefusedError,
    expired_requests,
    open_request,
    requests_withdrawn_with,
    respond_to_request,
)

pytestmark = pytest.mark.unit

NOW = dt.datetime(2020, 6, 20, 12, 0, tzinfo=dt.UTC)
TTL = dt.timedelta(hours=72)


def person(pid: str, role: str) -> Participant:
    return Participant(pid, role, "CL" if role == "exporter" else "GB", "UTC")  # type: ignore[arg-type]


APPROVED = {
    p.participant_id: p
    for p in (
        person("e1", "exporter"),
        person("e2", "exporter"),
        person("i1", "importer"),
        person("i2", "importer"),
    )
}


def ask(
    from_participant: str,
    to_participant: str,
    *,
    requests: list[MeetingRequest] | None = None,
    agreed: list[tuple[str, str]] | None = None,
    cap: int = 2,
    now: dt.datetime = NOW,
) -> MeetingRequest:
    return open_request(
        request_id=f"r-{from_participant}-{to_participant}",
        from_participant=from_participant,
        to_participant=to_participant,
        approved=APPROVED,
        agreed=agreed or [],
        requests=requests or [],
        max_meetings=cap,
        now=now,
        ttl=TTL,
    )


def refusal(excinfo: pytest.ExceptionInfo[RequestRefusedError]) -> str:
    return excinfo.value.code


def test_a_request_orients_the_pair_and_expires_after_the_ttl() -> None:
    request = ask("i1", "e2")
    assert (request.exporter_id, request.importer_id) == ("e2", "i1")
    assert request.requested_by == "i1"
    assert request.requested_of == "e2"
    assert request.status == "pending"
    assert request.expires_at == NOW + TTL


@pytest.mark.parametrize(
    ("src", "dst", "code"),
    [
        ("e1", "e2", "same_role"),
        ("i1", "i2", "same_role"),
        ("e1", "e1", "same_role"),
        ("ghost", "i1", "requester_not_approved"),
        ("e1", "pending-importer", "counterpart_not_approved"),
    ],
)
def test_wrong_role_or_unapproved_parties_are_refused(src: str, dst: str, code: str) -> None:
    with pytest.raises(RequestRefusedError) as excinfo:
        ask(src, dst)
    assert refusal(excinfo) == code


def test_duplicate_open_request_is_refused_in_either_direction() -> None:
    first = ask("e1", "i1")
    for src, dst in (("e1", "i1"), ("i1", "e1")):
        with pytest.raises(RequestRefusedError) as excinfo:
            ask(src, dst, requests=[first])
        assert refusal(excinfo) == "duplicate_request"
    # Once expired or declined it no longer blocks a new request.
    later = NOW + TTL
    assert ask("e1", "i1", requests=[first], now=later).created_at == later
    declined = respond_to_request(
        first, participant_id="i1", accept=False, agreed=[], max_meetings=2, now=NOW
    )
    assert ask("i1", "e1", requests=[declined]).status == "pending"


def test_already_agreed_pair_is_refused() -> None:
    with pytest.raises(RequestRefusedError) as excinfo:
        ask("i1", "e1", agreed=[("e1", "i1")])
    assert refusal(excinfo) == "already_agreed"


def test_caps_count_agreed_meetings_and_open_requests() -> None:
    pending = ask("e1", "i1", cap=2)
    # e1: one agreed + one open request = 2 = cap.
    with pytest.raises(RequestRefusedError) as excinfo:
        ask("e1", "i2", requests=[pending], agreed=[("e1", "i9")], cap=2)
    assert refusal(excinfo) == "requester_at_cap"
    # The counterpart's commitments count too.
    with pytest.raises(RequestRefusedError) as excinfo:
        ask("e2", "i1", requests=[pending], agreed=[("e9", "i1")], cap=2)
    assert refusal(excinfo) == "counterpart_at_cap"
    # An expired request no longer counts.
    assert ask("e1", "i2", requests=[pending], agreed=[("e1", "i9")], cap=2, now=NOW + TTL)


def test_only_the_requested_party_answers_while_open() -> None:
    request = ask("e1", "i1")
    with pytest.raises(RequestRefusedError) as excinfo:
        respond_to_request(
            request, participant_id="e1", accept=True, agreed=[], max_meetings=2, now=NOW
        )
    assert refusal(excinfo) == "not_requested_party"
    accepted = respond_to_request(
        request, participant_id="i1", accept=True, agreed=[], max_meetings=2, now=NOW
    )
    assert accepted.status == "accepted"
    with pytest.raises(RequestRefusedError) as excinfo:
        respond_to_request(
            accepted, participant_id="i1", accept=False, agreed=[], max_meetings=2, now=NOW
        )
    assert refusal(excinfo) == "not_pending"
    with pytest.raises(RequestRefusedError) as excinfo:
        respond_to_request(
            request, participant_id="i1", accept=True, agreed=[], max_meetings=2, now=NOW + TTL
        )
    assert refusal(excinfo) == "expired"


def test_accepting_respects_the_cap_in_agreed_meetings() -> None:
    request = ask("e1", "i1", cap=3)
    with pytest.raises(RequestRefusedError) as excinfo:
        respond_to_request(
            request,
            participant_id="i1",
            accept=True,
            agreed=[("e5", "i1"), ("e6", "i1"), ("e7", "i1")],
            max_meetings=3,
            now=NOW,
        )
    assert refusal(excinfo) == "at_cap"
    declined = respond_to_request(
        request,
        participant_id="i1",
        accept=False,
        agreed=[("e5", "i1")] * 3,
        max_meetings=3,
        now=NOW,
    )
    assert declined.status == "declined"


def test_expiry_is_decided_at_now() -> None:
    early = ask("e1", "i1")
    late = ask("e2", "i2", now=NOW + dt.timedelta(hours=10))
    accepted = respond_to_request(
        ask("e1", "i2"), participant_id="i2", accept=True, agreed=[], max_meetings=2, now=NOW
    )
    requests = [early, late, accepted]
    assert expired_requests(requests, NOW + TTL - dt.timedelta(seconds=1)) == ()
    expired = expired_requests(requests, NOW + TTL)
    assert [(r.request_id, r.status) for r in expired] == [("r-e1-i1", "expired")]
    assert len(expired_requests(requests, NOW + TTL + dt.timedelta(hours=10))) == 2


def test_withdrawn_participant_takes_its_pending_requests_with_it() -> None:
    requests = [ask("e1", "i1"), ask("i2", "e2"), ask("i2", "e1")]
    withdrawn = requests_withdrawn_with("e1", requests)
    assert [r.request_id for r in withdrawn] == ["r-e1-i1", "r-i2-e1"]
    assert {r.status for r in withdrawn} == {"withdrawn"}


def test_request_round_trips_through_a_plain_dict() -> None:
    request = ask("e1", "i1")
    data = request.to_dict()
    assert MeetingRequest.from_dict(data) == request
    as_text = {**data, "created_at": NOW.isoformat(), "expires_at": (NOW + TTL).isoformat()}
    assert MeetingRequest.from_dict(as_text) == request
    with pytest.raises(ValueError, match="timezone-aware"):
        ask("e1", "i1", now=NOW.replace(tzinfo=None))
