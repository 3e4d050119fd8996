from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.accepted import Accepted
from ...models.error_response import ErrorResponse
from ...models.review_in import ReviewIn
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    roundtable_id: str,
    participant_id: str,
    *,
    body: ReviewIn,
    idempotency_key: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    if not isinstance(x_request_id, Unset):
        headers["X-Request-ID"] = x_request_id



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/roundtables/{roundtable_id}/participants/{participant_id}/review".format(roundtable_id=quote(str(roundtable_id), safe=""),participant_id=quote(str(participant_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Accepted | ErrorResponse | None:
    if response.status_code == 202:
        response_202 = Accepted.from_dict(response.json())



        return response_202

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())



        return response_403

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())



        return response_404

    if response.status_code == 413:
        response_413 = ErrorResponse.from_dict(response.json())



        return response_413

    if response.status_code == 422:
        response_422 = ErrorResponse.from_dict(response.json())



        return response_422

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())



        return response_429

    if response.status_code == 503:
        response_503 = ErrorResponse.from_dict(response.json())



        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Accepted | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    roundtable_id: str,
    participant_id: str,
    *,
    client: AuthenticatedClient,
    body: ReviewIn,
    idempotency_key: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,

) -> Response[Accepted | ErrorResponse]:
    """ Approve or reject (its agency, the organizer)

     Approves or rejects a registration, with a reason shown to the company.

    **Who**: the participant's agency (its own country only), the organizer, admins.

    **Then**: the registration service publishes `ParticipantApproved` (matching then
    proposes counterparts: `GET .../participants/{participant_id}/matches`, and in `auto`
    mode agrees meetings that scheduling places) or `ParticipantRejected`; the company is
    e-mailed. Follow `status_url`; a review of a withdrawn participant is `rejected`.

    Args:
        roundtable_id (str): Roundtable id
        participant_id (str): Participant id
        idempotency_key (str | Unset):
        x_request_id (str | Unset):
        body (ReviewIn): An agency's (or the organizer's) decision on a registration.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Accepted | ErrorResponse]
     """


    kwargs = _get_kwargs(
        roundtable_id=roundtable_id,
participant_id=participant_id,
body=body,
idempotency_key=idempotency_key,
x_request_id=x_request_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    roundtable_id: str,
    participant_id: str,
    *,
    client: AuthenticatedClient,
    body: ReviewIn,
    idempotency_key: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,

) -> Accepted | ErrorResponse | None:
    """ Approve or reject (its agency, the organizer)

     Approves or rejects a registration, with a reason shown to the company.

    **Who**: the participant's agency (its own country only), the organizer, admins.

    **Then**: the registration service publishes `ParticipantApproved` (matching then
    proposes counterparts: `GET .../participants/{participant_id}/matches`, and in `auto`
    mode agrees meetings that scheduling places) or `ParticipantRejected`; the company is
    e-mailed. Follow `status_url`; a review of a withdrawn participant is `rejected`.

    Args:
        roundtable_id (str): Roundtable id
        participant_id (str): Participant id
        idempotency_key (str | Unset):
        x_request_id (str | Unset):
        body (ReviewIn): An agency's (or the organizer's) decision on a registration.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Accepted | ErrorResponse
     """


    return sync_detailed(
        roundtable_id=roundtable_id,
participant_id=participant_id,
client=client,
body=body,
idempotency_key=idempotency_key,
x_request_id=x_request_id,

    ).parsed

async def asyncio_detailed(
    roundtable_id: str,
    participant_id: str,
    *,
    client: AuthenticatedClient,
    body: ReviewIn,
    idempotency_key: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,

) -> Response[Accepted | ErrorResponse]:
    """ Approve or reject (its agency, the organizer)

     Approves or rejects a registration, with a reason shown to the company.

    **Who**: the participant's agency (its own country only), the organizer, admins.

    **Then**: the registration service publishes `ParticipantApproved` (matching then
    proposes counterparts: `GET .../participants/{participant_id}/matches`, and in `auto`
    mode agrees meetings that scheduling places) or `ParticipantRejected`; the company is
    e-mailed. Follow `status_url`; a review of a withdrawn participant is `rejected`.

    Args:
        roundtable_id (str): Roundtable id
        participant_id (str): Participant id
        idempotency_key (str | Unset):
        x_request_id (str | Unset):
        body (ReviewIn): An agency's (or the organizer's) decision on a registration.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Accepted | ErrorResponse]
     """


    kwargs = _get_kwargs(
        roundtable_id=roundtable_id,
participant_id=participant_id,
body=body,
idempotency_key=idempotency_key,
x_request_id=x_request_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    roundtable_id: str,
    participant_id: str,
    *,
    client: AuthenticatedClient,
    body: ReviewIn,
    idempotency_key: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,

) -> Accepted | ErrorResponse | None:
    """ Approve or reject (its agency, the organizer)

     Approves or rejects a registration, with a reason shown to the company.

    **Who**: the participant's agency (its own country only), the organizer, admins.

    **Then**: the registration service publishes `ParticipantApproved` (matching then
    proposes counterparts: `GET .../participants/{participant_id}/matches`, and in `auto`
    mode agrees meetings that scheduling places) or `ParticipantRejected`; the company is
    e-mailed. Follow `status_url`; a review of a withdrawn participant is `rejected`.

    Args:
        roundtable_id (str): Roundtable id
        participant_id (str): Participant id
        idempotency_key (str | Unset):
        x_request_id (str | Unset):
        body (ReviewIn): An agency's (or the organizer's) decision on a registration.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Accepted | ErrorResponse
     """


    return (await asyncio_detailed(
        roundtable_id=roundtable_id,
participant_id=participant_id,
client=client,
body=body,
idempotency_key=idempotency_key,
x_request_id=x_request_id,

    )).parsed
