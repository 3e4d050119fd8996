from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.list_meeting_requests_status_type_0 import ListMeetingRequestsStatusType0
from ...models.meeting_request_out import MeetingRequestOut
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    roundtable_id: str,
    *,
    participant_id: None | str | Unset = UNSET,
    status: ListMeetingRequestsStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 1000,
    after: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_participant_id: None | str | Unset
    if isinstance(participant_id, Unset):
        json_participant_id = UNSET
    else:
        json_participant_id = participant_id
    params["participant_id"] = json_participant_id

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, ListMeetingRequestsStatusType0):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

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
        "url": "/v1/roundtables/{roundtable_id}/meeting-requests".format(roundtable_id=quote(str(roundtable_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorResponse | list[MeetingRequestOut] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in (_response_200):
            response_200_item = MeetingRequestOut.from_dict(response_200_item_data)



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorResponse | list[MeetingRequestOut]]:
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
    participant_id: None | str | Unset = UNSET,
    status: ListMeetingRequestsStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 1000,
    after: None | str | Unset = UNSET,

) -> Response[ErrorResponse | list[MeetingRequestOut]]:
    """ Meeting requests (organizer; a participant or agency names the participant)

     Meeting requests (request mode), optionally of one participant and in one status.

    **Who**: the organizer and admins see all; a participant sees its own (`participant_id`
    defaults to itself); an agency names a participant of its country (`validation_error`
    without one).

    Args:
        roundtable_id (str): Roundtable id
        participant_id (None | str | Unset):
        status (ListMeetingRequestsStatusType0 | None | Unset):
        limit (int | Unset): Page size (at most 1000). Default: 1000.
        after (None | str | Unset): Cursor: the id of the last item of the previous page (the
            `X-Next-Cursor` header of that page).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | list[MeetingRequestOut]]
     """


    kwargs = _get_kwargs(
        roundtable_id=roundtable_id,
participant_id=participant_id,
status=status,
limit=limit,
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
    participant_id: None | str | Unset = UNSET,
    status: ListMeetingRequestsStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 1000,
    after: None | str | Unset = UNSET,

) -> ErrorResponse | list[MeetingRequestOut] | None:
    """ Meeting requests (organizer; a participant or agency names the participant)

     Meeting requests (request mode), optionally of one participant and in one status.

    **Who**: the organizer and admins see all; a participant sees its own (`participant_id`
    defaults to itself); an agency names a participant of its country (`validation_error`
    without one).

    Args:
        roundtable_id (str): Roundtable id
        participant_id (None | str | Unset):
        status (ListMeetingRequestsStatusType0 | None | Unset):
        limit (int | Unset): Page size (at most 1000). Default: 1000.
        after (None | str | Unset): Cursor: the id of the last item of the previous page (the
            `X-Next-Cursor` header of that page).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | list[MeetingRequestOut]
     """


    return sync_detailed(
        roundtable_id=roundtable_id,
client=client,
participant_id=participant_id,
status=status,
limit=limit,
after=after,

    ).parsed

async def asyncio_detailed(
    roundtable_id: str,
    *,
    client: AuthenticatedClient,
    participant_id: None | str | Unset = UNSET,
    status: ListMeetingRequestsStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 1000,
    after: None | str | Unset = UNSET,

) -> Response[ErrorResponse | list[MeetingRequestOut]]:
    """ Meeting requests (organizer; a participant or agency names the participant)

     Meeting requests (request mode), optionally of one participant and in one status.

    **Who**: the organizer and admins see all; a participant sees its own (`participant_id`
    defaults to itself); an agency names a participant of its country (`validation_error`
    without one).

    Args:
        roundtable_id (str): Roundtable id
        participant_id (None | str | Unset):
        status (ListMeetingRequestsStatusType0 | None | Unset):
        limit (int | Unset): Page size (at most 1000). Default: 1000.
        after (None | str | Unset): Cursor: the id of the last item of the previous page (the
            `X-Next-Cursor` header of that page).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | list[MeetingRequestOut]]
     """


    kwargs = _get_kwargs(
        roundtable_id=roundtable_id,
participant_id=participant_id,
status=status,
limit=limit,
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
    participant_id: None | str | Unset = UNSET,
    status: ListMeetingRequestsStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 1000,
    after: None | str | Unset = UNSET,

) -> ErrorResponse | list[MeetingRequestOut] | None:
    """ Meeting requests (organizer; a participant or agency names the participant)

     Meeting requests (request mode), optionally of one participant and in one status.

    **Who**: the organizer and admins see all; a participant sees its own (`participant_id`
    defaults to itself); an agency names a participant of its country (`validation_error`
    without one).

    Args:
        roundtable_id (str): Roundtable id
        participant_id (None | str | Unset):
        status (ListMeetingRequestsStatusType0 | None | Unset):
        limit (int | Unset): Page size (at most 1000). Default: 1000.
        after (None | str | Unset): Cursor: the id of the last item of the previous page (the
            `X-Next-Cursor` header of that page).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | list[MeetingRequestOut]
     """


    return (await asyncio_detailed(
        roundtable_id=roundtable_id,
client=client,
participant_id=participant_id,
status=status,
limit=limit,
after=after,

    )).parsed
