from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.list_participants_role_type_0 import ListParticipantsRoleType0
from ...models.list_participants_status_type_0 import ListParticipantsStatusType0
from ...models.participant_out import ParticipantOut
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    roundtable_id: str,
    *,
    role: ListParticipantsRoleType0 | None | Unset = UNSET,
    country: None | str | Unset = UNSET,
    status: ListParticipantsStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 500,
    offset: int | Unset = 0,
    after: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_role: None | str | Unset
    if isinstance(role, Unset):
        json_role = UNSET
    elif isinstance(role, ListParticipantsRoleType0):
        json_role = role.value
    else:
        json_role = role
    params["role"] = json_role

    json_country: None | str | Unset
    if isinstance(country, Unset):
        json_country = UNSET
    else:
        json_country = country
    params["country"] = json_country

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, ListParticipantsStatusType0):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    params["limit"] = limit

    params["offset"] = offset

    json_after: None | str | Unset
    if isinstance(after, Unset):
        json_after = UNSET
    else:
        json_after = after
    params["after"] = json_after


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/roundtables/{roundtable_id}/participants".format(roundtable_id=quote(str(roundtable_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorResponse | list[ParticipantOut] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in (_response_200):
            response_200_item = ParticipantOut.from_dict(response_200_item_data)



            response_200.append(response_200_item)

        return response_200

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorResponse | list[ParticipantOut]]:
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
    role: ListParticipantsRoleType0 | None | Unset = UNSET,
    country: None | str | Unset = UNSET,
    status: ListParticipantsStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 500,
    offset: int | Unset = 0,
    after: None | str | Unset = UNSET,

) -> Response[ErrorResponse | list[ParticipantOut]]:
    """ Participants (organizer; an agency sees its own country)

     The roundtable's participants, filtered by role, country and status, `limit` at a
    time from `offset`, in registration order.

    **Who**: the organizer and admins see all; an agency sees its own country's (asking for
    another country is `forbidden`).

    Args:
        roundtable_id (str): Roundtable id
        role (ListParticipantsRoleType0 | None | Unset):
        country (None | str | Unset):
        status (ListParticipantsStatusType0 | None | Unset):
        limit (int | Unset):  Default: 500.
        offset (int | Unset):  Default: 0.
        after (None | str | Unset): Cursor: `X-Next-Cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | list[ParticipantOut]]
     """


    kwargs = _get_kwargs(
        roundtable_id=roundtable_id,
role=role,
country=country,
status=status,
limit=limit,
offset=offset,
after=after,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    roundtable_id: str,
    *,
    client: AuthenticatedClient,
    role: ListParticipantsRoleType0 | None | Unset = UNSET,
    country: None | str | Unset = UNSET,
    status: ListParticipantsStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 500,
    offset: int | Unset = 0,
    after: None | str | Unset = UNSET,

) -> ErrorResponse | list[ParticipantOut] | None:
    """ Participants (organizer; an agency sees its own country)

     The roundtable's participants, filtered by role, country and status, `limit` at a
    time from `offset`, in registration order.

    **Who**: the organizer and admins see all; an agency sees its own country's (asking for
    another country is `forbidden`).

    Args:
        roundtable_id (str): Roundtable id
        role (ListParticipantsRoleType0 | None | Unset):
        country (None | str | Unset):
        status (ListParticipantsStatusType0 | None | Unset):
        limit (int | Unset):  Default: 500.
        offset (int | Unset):  Default: 0.
        after (None | str | Unset): Cursor: `X-Next-Cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | list[ParticipantOut]
     """


    return sync_detailed(
        roundtable_id=roundtable_id,
client=client,
role=role,
country=country,
status=status,
limit=limit,
offset=offset,
after=after,

    ).parsed

async def asyncio_detailed(
    roundtable_id: str,
    *,
    client: AuthenticatedClient,
    role: ListParticipantsRoleType0 | None | Unset = UNSET,
    country: None | str | Unset = UNSET,
    status: ListParticipantsStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 500,
    offset: int | Unset = 0,
    after: None | str | Unset = UNSET,

) -> Response[ErrorResponse | list[ParticipantOut]]:
    """ Participants (organizer; an agency sees its own country)

     The roundtable's participants, filtered by role, country and status, `limit` at a
    time from `offset`, in registration order.

    **Who**: the organizer and admins see all; an agency sees its own country's (asking for
    another country is `forbidden`).

    Args:
        roundtable_id (str): Roundtable id
        role (ListParticipantsRoleType0 | None | Unset):
        country (None | str | Unset):
        status (ListParticipantsStatusType0 | None | Unset):
        limit (int | Unset):  Default: 500.
        offset (int | Unset):  Default: 0.
        after (None | str | Unset): Cursor: `X-Next-Cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | list[ParticipantOut]]
     """


    kwargs = _get_kwargs(
        roundtable_id=roundtable_id,
role=role,
country=country,
status=status,
limit=limit,
offset=offset,
after=after,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    roundtable_id: str,
    *,
    client: AuthenticatedClient,
    role: ListParticipantsRoleType0 | None | Unset = UNSET,
    country: None | str | Unset = UNSET,
    status: ListParticipantsStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 500,
    offset: int | Unset = 0,
    after: None | str | Unset = UNSET,

) -> ErrorResponse | list[ParticipantOut] | None:
    """ Participants (organizer; an agency sees its own country)

     The roundtable's participants, filtered by role, country and status, `limit` at a
    time from `offset`, in registration order.

    **Who**: the organizer and admins see all; an agency sees its own country's (asking for
    another country is `forbidden`).

    Args:
        roundtable_id (str): Roundtable id
        role (ListParticipantsRoleType0 | None | Unset):
        country (None | str | Unset):
        status (ListParticipantsStatusType0 | None | Unset):
        limit (int | Unset):  Default: 500.
        offset (int | Unset):  Default: 0.
        after (None | str | Unset): Cursor: `X-Next-Cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | list[ParticipantOut]
     """


    return (await asyncio_detailed(
        roundtable_id=roundtable_id,
client=client,
role=role,
country=country,
status=status,
limit=limit,
offset=offset,
after=after,

    )).parsed
