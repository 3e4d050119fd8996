from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.invitation_in import InvitationIn
from ...models.invitation_out import InvitationOut
from typing import cast



def _get_kwargs(
    roundtable_id: str,
    *,
    body: InvitationIn,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/roundtables/{roundtable_id}/invitations".format(roundtable_id=quote(str(roundtable_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorResponse | InvitationOut | None:
    if response.status_code == 201:
        response_201 = InvitationOut.from_dict(response.json())



        return response_201

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorResponse | InvitationOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    roundtable_id: str,
    *,
    client: AuthenticatedClient,
    body: InvitationIn,

) -> Response[ErrorResponse | InvitationOut]:
    """ Invite an agency officer or a co-organizer (organizer, admin)

     E-mails a single-use link (7 days) that signs the person in with this role in this
    roundtable; an agency officer gets its agency's country (`agency` names one of the
    roundtable's agency codes, else `unknown_agency`). Accepting it also lets the person
    sign in by e-mail link later.

    **Who**: the roundtable's organizer, an admin. Not retry-safe by `Idempotency-Key`:
    a retry e-mails another link.

    Args:
        roundtable_id (str): Roundtable id
        body (InvitationIn): Whom to invite, as what.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | InvitationOut]
     """


    kwargs = _get_kwargs(
        roundtable_id=roundtable_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    roundtable_id: str,
    *,
    client: AuthenticatedClient,
    body: InvitationIn,

) -> ErrorResponse | InvitationOut | None:
    """ Invite an agency officer or a co-organizer (organizer, admin)

     E-mails a single-use link (7 days) that signs the person in with this role in this
    roundtable; an agency officer gets its agency's country (`agency` names one of the
    roundtable's agency codes, else `unknown_agency`). Accepting it also lets the person
    sign in by e-mail link later.

    **Who**: the roundtable's organizer, an admin. Not retry-safe by `Idempotency-Key`:
    a retry e-mails another link.

    Args:
        roundtable_id (str): Roundtable id
        body (InvitationIn): Whom to invite, as what.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | InvitationOut
     """


    return sync_detailed(
        roundtable_id=roundtable_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    roundtable_id: str,
    *,
    client: AuthenticatedClient,
    body: InvitationIn,

) -> Response[ErrorResponse | InvitationOut]:
    """ Invite an agency officer or a co-organizer (organizer, admin)

     E-mails a single-use link (7 days) that signs the person in with this role in this
    roundtable; an agency officer gets its agency's country (`agency` names one of the
    roundtable's agency codes, else `unknown_agency`). Accepting it also lets the person
    sign in by e-mail link later.

    **Who**: the roundtable's organizer, an admin. Not retry-safe by `Idempotency-Key`:
    a retry e-mails another link.

    Args:
        roundtable_id (str): Roundtable id
        body (InvitationIn): Whom to invite, as what.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | InvitationOut]
     """


    kwargs = _get_kwargs(
        roundtable_id=roundtable_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    roundtable_id: str,
    *,
    client: AuthenticatedClient,
    body: InvitationIn,

) -> ErrorResponse | InvitationOut | None:
    """ Invite an agency officer or a co-organizer (organizer, admin)

     E-mails a single-use link (7 days) that signs the person in with this role in this
    roundtable; an agency officer gets its agency's country (`agency` names one of the
    roundtable's agency codes, else `unknown_agency`). Accepting it also lets the person
    sign in by e-mail link later.

    **Who**: the roundtable's organizer, an admin. Not retry-safe by `Idempotency-Key`:
    a retry e-mails another link.

    Args:
        roundtable_id (str): Roundtable id
        body (InvitationIn): Whom to invite, as what.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | InvitationOut
     """


    return (await asyncio_detailed(
        roundtable_id=roundtable_id,
client=client,
body=body,

    )).parsed
