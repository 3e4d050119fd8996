from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    roundtable_id: str,
    participant_id: str,
    *,
    cancelled: bool | Unset = False,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["cancelled"] = cancelled


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/roundtables/{roundtable_id}/participants/{participant_id}/agenda.ics".format(roundtable_id=quote(str(roundtable_id), safe=""),participant_id=quote(str(participant_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorResponse | str | None:
    if response.status_code == 200:
        response_200 = response.text
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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorResponse | str]:
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
    cancelled: bool | Unset = False,

) -> Response[ErrorResponse | str]:
    """ A participant's agenda as iCalendar (itself, its agency, the organizer)

     A participant's meetings as an iCalendar file: one VEVENT per meeting with a stable
    UID and a SEQUENCE raised on every change, the video room as its location. Calendar
    apps can subscribe to it.

    **Who**: the participant itself, its agency, the organizer, admins.

    Args:
        roundtable_id (str): Roundtable id
        participant_id (str): Participant id
        cancelled (bool | Unset): false: METHOD:REQUEST with the meetings that hold a slot; true:
            METHOD:CANCEL with the meetings that lost theirs. Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | str]
     """


    kwargs = _get_kwargs(
        roundtable_id=roundtable_id,
participant_id=participant_id,
cancelled=cancelled,

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
    cancelled: bool | Unset = False,

) -> ErrorResponse | str | None:
    """ A participant's agenda as iCalendar (itself, its agency, the organizer)

     A participant's meetings as an iCalendar file: one VEVENT per meeting with a stable
    UID and a SEQUENCE raised on every change, the video room as its location. Calendar
    apps can subscribe to it.

    **Who**: the participant itself, its agency, the organizer, admins.

    Args:
        roundtable_id (str): Roundtable id
        participant_id (str): Participant id
        cancelled (bool | Unset): false: METHOD:REQUEST with the meetings that hold a slot; true:
            METHOD:CANCEL with the meetings that lost theirs. Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | str
     """


    return sync_detailed(
        roundtable_id=roundtable_id,
participant_id=participant_id,
client=client,
cancelled=cancelled,

    ).parsed

async def asyncio_detailed(
    roundtable_id: str,
    participant_id: str,
    *,
    client: AuthenticatedClient,
    cancelled: bool | Unset = False,

) -> Response[ErrorResponse | str]:
    """ A participant's agenda as iCalendar (itself, its agency, the organizer)

     A participant's meetings as an iCalendar file: one VEVENT per meeting with a stable
    UID and a SEQUENCE raised on every change, the video room as its location. Calendar
    apps can subscribe to it.

    **Who**: the participant itself, its agency, the organizer, admins.

    Args:
        roundtable_id (str): Roundtable id
        participant_id (str): Participant id
        cancelled (bool | Unset): false: METHOD:REQUEST with the meetings that hold a slot; true:
            METHOD:CANCEL with the meetings that lost theirs. Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | str]
     """


    kwargs = _get_kwargs(
        roundtable_id=roundtable_id,
participant_id=participant_id,
cancelled=cancelled,

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
    cancelled: bool | Unset = False,

) -> ErrorResponse | str | None:
    """ A participant's agenda as iCalendar (itself, its agency, the organizer)

     A participant's meetings as an iCalendar file: one VEVENT per meeting with a stable
    UID and a SEQUENCE raised on every change, the video room as its location. Calendar
    apps can subscribe to it.

    **Who**: the participant itself, its agency, the organizer, admins.

    Args:
        roundtable_id (str): Roundtable id
        participant_id (str): Participant id
        cancelled (bool | Unset): false: METHOD:REQUEST with the meetings that hold a slot; true:
            METHOD:CANCEL with the meetings that lost theirs. Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | str
     """


    return (await asyncio_detailed(
        roundtable_id=roundtable_id,
participant_id=participant_id,
client=client,
cancelled=cancelled,

    )).parsed
