from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.delivery_out import DeliveryOut
from ...models.error_response import ErrorResponse
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    roundtable_id: str,
    participant_id: str,
    *,
    limit: int | Unset = 1000,
    after: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_after: None | str | Unset
    if isinstance(after, Unset):
        json_after = UNSET
    else:
        json_after = after
    params["after"] = json_after


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/roundtables/{roundtable_id}/participants/{participant_id}/notifications".format(roundtable_id=quote(str(roundtable_id), safe=""),participant_id=quote(str(participant_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorResponse | list[DeliveryOut] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in (_response_200):
            response_200_item = DeliveryOut.from_dict(response_200_item_data)



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorResponse | list[DeliveryOut]]:
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
    limit: int | Unset = 1000,
    after: None | str | Unset = UNSET,

) -> Response[ErrorResponse | list[DeliveryOut]]:
    """ E-mails sent to a participant and their status (itself, its agency, organizer)

     The notifications sent (or to be sent) to a participant: registration, review,
    meeting invitations and changes, reminders, with their delivery status and attempts.

    **Who**: the participant itself, its agency, the organizer, admins.

    Args:
        roundtable_id (str): Roundtable id
        participant_id (str): Participant id
        limit (int | Unset): Page size (at most 1000). Default: 1000.
        after (None | str | Unset): Cursor: the id of the last item of the previous page (the
            `X-Next-Cursor` header of that page).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | list[DeliveryOut]]
     """


    kwargs = _get_kwargs(
        roundtable_id=roundtable_id,
participant_id=participant_id,
limit=limit,
after=after,

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
    limit: int | Unset = 1000,
    after: None | str | Unset = UNSET,

) -> ErrorResponse | list[DeliveryOut] | None:
    """ E-mails sent to a participant and their status (itself, its agency, organizer)

     The notifications sent (or to be sent) to a participant: registration, review,
    meeting invitations and changes, reminders, with their delivery status and attempts.

    **Who**: the participant itself, its agency, the organizer, admins.

    Args:
        roundtable_id (str): Roundtable id
        participant_id (str): Participant id
        limit (int | Unset): Page size (at most 1000). Default: 1000.
        after (None | str | Unset): Cursor: the id of the last item of the previous page (the
            `X-Next-Cursor` header of that page).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | list[DeliveryOut]
     """


    return sync_detailed(
        roundtable_id=roundtable_id,
participant_id=participant_id,
client=client,
limit=limit,
after=after,

    ).parsed

async def asyncio_detailed(
    roundtable_id: str,
    participant_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 1000,
    after: None | str | Unset = UNSET,

) -> Response[ErrorResponse | list[DeliveryOut]]:
    """ E-mails sent to a participant and their status (itself, its agency, organizer)

     The notifications sent (or to be sent) to a participant: registration, review,
    meeting invitations and changes, reminders, with their delivery status and attempts.

    **Who**: the participant itself, its agency, the organizer, admins.

    Args:
        roundtable_id (str): Roundtable id
        participant_id (str): Participant id
        limit (int | Unset): Page size (at most 1000). Default: 1000.
        after (None | str | Unset): Cursor: the id of the last item of the previous page (the
            `X-Next-Cursor` header of that page).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | list[DeliveryOut]]
     """


    kwargs = _get_kwargs(
        roundtable_id=roundtable_id,
participant_id=participant_id,
limit=limit,
after=after,

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
    limit: int | Unset = 1000,
    after: None | str | Unset = UNSET,

) -> ErrorResponse | list[DeliveryOut] | None:
    """ E-mails sent to a participant and their status (itself, its agency, organizer)

     The notifications sent (or to be sent) to a participant: registration, review,
    meeting invitations and changes, reminders, with their delivery status and attempts.

    **Who**: the participant itself, its agency, the organizer, admins.

    Args:
        roundtable_id (str): Roundtable id
        participant_id (str): Participant id
        limit (int | Unset): Page size (at most 1000). Default: 1000.
        after (None | str | Unset): Cursor: the id of the last item of the previous page (the
            `X-Next-Cursor` header of that page).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | list[DeliveryOut]
     """


    return (await asyncio_detailed(
        roundtable_id=roundtable_id,
participant_id=participant_id,
client=client,
limit=limit,
after=after,

    )).parsed
