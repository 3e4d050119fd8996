"""How an operation documents itself in the OpenAPI document: its error codes and examples.

Every route states the `error.code` values it can answer and an example of its success body:

    @router.post("/things", status_code=202, response_model=Accepted, openapi_extra=IDEMPOTENT,
                 responses=responses(*WRITE, "not_found", status=202,
                                     example=accepted("things", thing_id="t-1")))
    async def create_thing(...):
        \"\"\"What it does. **Who**: which roles. **Then**: what happens behind the 202.\"\"\"

`responses()` groups the codes by HTTP status, each with its meaning and an example body
(`{"error": {"code", "message", "details"}}`); the route's docstring becomes its
description. tests/contract/test_api_docs.py fails for an operation without a description,
error codes or examples, or with an example its schema refuses; a new error code is added to
`ERROR_CODES` below.
"""

from __future__ import annotations

from typing import Any

from .errors import ErrorResponse

__all__ = [
    "ERROR_CODES",
    "IDEMPOTENT",
    "READ",
    "WRITE",
    "accepted",
    "error_example",
    "errors",
    "responses",
]

ERROR_CODES: dict[str, tuple[int, str]] = {
    "bad_request": (
        400,
        "The body is not readable (e.g. not JSON), or a header is malformed "
        "(e.g. `Last-Event-ID` is not an integer).",
    ),
    "bad_idempotency_key": (400, "`Idempotency-Key` is not 1-200 characters."),
    "unauthenticated": (401, "This operation needs a bearer token and none was sent."),
    "invalid_token": (401, "The token is malformed, expired, badly signed or lacks a claim."),
    "forbidden": (
        403,
        "The token's role or scope (roundtable, country, participant) does not allow this.",
    ),
    "not_found": (404, "The roundtable, participant, meeting, request or subscription is unknown."),
    "registration_closed": (409, "The roundtable does not accept registrations now."),
    "meeting_not_held": (409, "Outcomes are recorded only for meetings marked held."),
    "validation_error": (
        422,
        "The body, path or query is not valid; `details` lists each "
        "invalid field (`loc`, `msg`, `type`).",
    ),
    "idempotency_key_reused": (422, "This `Idempotency-Key` was used with another body."),
    "rejected_by_service": (422, "The owning service refused the read's parameters."),
    "invalid_code": (401, "The sign-in or invitation code is unknown, used or expired."),
    "invalid_refresh_token": (
        401,
        "The refresh token is unknown, expired or revoked; a used one also revokes its session.",
    ),
    "unknown_choice": (422, "The session cannot act as that `choice`."),
    "unknown_agency": (422, "`agency` is not one of the roundtable's agency codes."),
    "not_a_party": (422, "The participant is not a party of this meeting."),
    "invalid_amount": (422, "An amount is not a finite decimal."),
    "negative_amount": (422, "An amount is negative."),
    "unknown_currency": (
        422,
        "The roundtable has no US-dollar rate for the currency; "
        "`details.accepted` lists those it has.",
    ),
    "absurd_amount": (422, "An amount exceeds US$1,000,000,000 for one meeting."),
    "amount_required": (422, "A `deal` needs an immediate or a 12-month projected amount."),
    "amount_without_deal": (
        422,
        "Only a `deal` carries an immediate amount; `no_interest` carries none.",
    ),
    "payload_too_large": (413, "The request body exceeds the limit (`RUEDA_MAX_BODY_BYTES`)."),
    "rate_limited": (
        429,
        "Too many requests from this caller (or address); retry after `Retry-After` seconds.",
    ),
    "service_unavailable": (503, "The owning service did not answer; retry after `Retry-After`."),
    "broker_unavailable": (
        503,
        "Kafka did not take the command; retry after `Retry-After` "
        "(with the same `Idempotency-Key`).",
    ),
    "database_unavailable": (
        503,
        "The gateway's database (idempotency keys, identities, sessions) did not answer; "
        "retry after `Retry-After`.",
    ),
    "mail_unavailable": (
        503,
        "The e-mail could not be sent now; retry after `Retry-After`.",
    ),
    "identity_provider_unavailable": (
        503,
        "The token's identity provider cannot be reached for its keys; retry after `Retry-After`.",
    ),
}
"""Every `error.code` the gateway answers, with its HTTP status and meaning."""

ALWAYS = ("invalid_token", "validation_error", "payload_too_large", "rate_limited")
"""What every operation can answer: a bad token is refused even where none is needed; a body
over the limit and a caller over its rate are refused before any route runs."""

READ = ("unauthenticated", "forbidden", "not_found", "service_unavailable")
"""A read of a resource in scope from its owning service."""

WRITE = (
    "unauthenticated",
    "forbidden",
    "bad_idempotency_key",
    "idempotency_key_reused",
    "broker_unavailable",
    "database_unavailable",
)
"""A command published for its service (with `Idempotency-Key`)."""

_RETRY = {
    "Retry-After": {
        "description": "Seconds to wait before retrying.",
        "schema": {"type": "integer", "examples": [2]},
    }
}
_AUTHENTICATE = {
    "WWW-Authenticate": {"description": "`Bearer`.", "schema": {"type": "string"}},
}


def error_example(code: str) -> dict[str, Any]:
    """An example body of the error `code`."""
    details: Any = None
    if code == "validation_error":
        details = [{"loc": ["body", "name"], "msg": "Field required", "type": "missing"}]
    elif code == "unknown_currency":
        details = {"field": "immediate_amount", "currency": "EUR", "accepted": ["GBP", "USD"]}
    elif code.endswith("_unavailable"):
        details = {"error": "ConnectError"}
    return {"error": {"code": code, "message": ERROR_CODES[code][1], "details": details}}


def errors(*codes: str) -> dict[int | str, dict[str, Any]]:
    by_status: dict[int, list[str]] = {}
    for code in dict.fromkeys(ALWAYS + codes):
        by_status.setdefault(ERROR_CODES[code][0], []).append(code)
    out: dict[int | str, dict[str, Any]] = {}
    for status, found in sorted(by_status.items()):
        lines = "; ".join(f"`{code}`: {ERROR_CODES[code][1]}" for code in found)
        entry: dict[str, Any] = {
            "model": ErrorResponse,
            "description": f"`error.code` is one of: {lines}",
            "content": {
                "application/json": {
                    "examples": {code: {"value": error_example(code)} for code in found}
                }
            },
        }
        if status == 503:
            entry["headers"] = _RETRY
        elif status == 401:
            entry["headers"] = _AUTHENTICATE
        out[status] = entry
    return out


def responses(
    *codes: str,
    example: Any,
    status: int = 200,
    model: Any = None,
    description: str | None = None,
) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route: its success `example` (and `model`, when the route
    returns plain dicts) and its errors, the codes in `ALWAYS` included."""
    unknown = [c for c in codes if c not in ERROR_CODES]
    if unknown:
        raise ValueError(f"undocumented error codes {unknown}: add them to ERROR_CODES")
    ok: dict[str, Any] = {"content": {"application/json": {"example": example}}}
    if model is not None:
        ok["model"] = model
    if description is not None:
        ok["description"] = description
    return {status: ok, **errors(*codes)}


def accepted(service: str, **ids: str) -> dict[str, Any]:
    """An example 202 body of a command for `service`, naming the resource `ids`."""
    command_id = "0b7e4c1e-6d2f-4a51-9a0e-3f1f2c9d8e77"
    return {
        **ids,
        "status": "pending",
        "command_id": command_id,
        "status_url": f"/v1/commands/{service}/{command_id}",
    }


IDEMPOTENT: dict[str, Any] = {
    "parameters": [
        {
            "name": "Idempotency-Key",
            "in": "header",
            "required": False,
            "description": "Retry-safe writes: the same key and body answer the first 202 "
            "again (`Idempotent-Replayed: true`) and publish nothing new; the same key with "
            "another body is `idempotency_key_reused`.",
            "schema": {"type": "string", "minLength": 1, "maxLength": 200},
            "example": "create-rt-pacific-2020",
        },
        {
            "name": "X-Request-ID",
            "in": "header",
            "required": False,
            "description": "Your correlation id (8-100 letters, digits, `-`, `_`), carried by "
            "the command and every event it causes; answered back. One is made when absent.",
            "schema": {"type": "string"},
            "example": "req-2020-06-01-0001",
        },
    ]
}
"""`openapi_extra=` of every write: the headers it honours."""
