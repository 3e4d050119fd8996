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
    *,
    country: None | str | Unset = UNSET,
    limit: int | None | Unset = UNSET,
    last_event_id: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(last_event_id, Unset):
        headers["last-event-id"] = last_event_id



    

    params: dict[str, Any] = {}

    json_country: None | str | Unset
    if isinstance(country, Unset):
        json_country = UNSET
    else:
        json_country = country
    params["country"] = json_country

    json_limit: int | None | Unset
    if isinstance(limit, Unset):
        json_limit = UNSET
    else:
        json_limit = limit
    params["limit"] = json_limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/roundtables/{roundtable_id}/deals/stream".format(roundtable_id=quote(str(roundtable_id), safe=""),),
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = cast(Any, None)
        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())



        return response_403

    if response.status_code == 413:
        response_413 = ErrorResponse.from_dict(response.json())



        return response_413

    if response.status_code == 422:
        response_422 = ErrorResponse.from_dict(response.json())



        return response_422

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | ErrorResponse]:
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
    country: None | str | Unset = UNSET,
    limit: int | None | Unset = UNSET,
    last_event_id: None | str | Unset = UNSET,

) -> Response[Any | ErrorResponse]:
    """ Server-sent events of closed and updated deals (an agency sees its own country); resume with `Last-
    Event-ID`

     Closed and updated deals as server-sent events, oldest change first, then live: each
    `deal` event carries the deal (parties, countries, sectors, products, status, US-dollar
    amounts, both sides' reports) with its change cursor as the event `id`. Reconnect with
    `Last-Event-ID` to resume after the last one seen; `limit` closes the stream after so
    many deals.

    **Who**: the organizer and admins (optionally one `country`); an agency sees the deals
    with a party of its country.

    Args:
        roundtable_id (str): Roundtable id
        country (None | str | Unset):
        limit (int | None | Unset): Close the stream after this many deals.
        last_event_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse]
     """


    kwargs = _get_kwargs(
        roundtable_id=roundtable_id,
country=country,
limit=limit,
last_event_id=last_event_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    roundtable_id: str,
    *,
    client: AuthenticatedClient,
    country: None | str | Unset = UNSET,
    limit: int | None | Unset = UNSET,
    last_event_id: None | str | Unset = UNSET,

) -> Any | ErrorResponse | None:
    """ Server-sent events of closed and updated deals (an agency sees its own country); resume with `Last-
    Event-ID`

     Closed and updated deals as server-sent events, oldest change first, then live: each
    `deal` event carries the deal (parties, countries, sectors, products, status, US-dollar
    amounts, both sides' reports) with its change cursor as the event `id`. Reconnect with
    `Last-Event-ID` to resume after the last one seen; `limit` closes the stream after so
    many deals.

    **Who**: the organizer and admins (optionally one `country`); an agency sees the deals
    with a party of its country.

    Args:
        roundtable_id (str): Roundtable id
        country (None | str | Unset):
        limit (int | None | Unset): Close the stream after this many deals.
        last_event_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse
     """


    return sync_detailed(
        roundtable_id=roundtable_id,
client=client,
country=country,
limit=limit,
last_event_id=last_event_id,

    ).parsed

async def asyncio_detailed(
    roundtable_id: str,
    *,
    client: AuthenticatedClient,
    country: None | str | Unset = UNSET,
    limit: int | None | Unset = UNSET,
    last_event_id: None | str | Unset = UNSET,

) -> Response[Any | ErrorResponse]:
    """ Server-sent events of closed and updated deals (an agency sees its own country); resume with `Last-
    Event-ID`

     Closed and updated deals as server-sent events, oldest change first, then live: each
    `deal` event carries the deal (parties, countries, sectors, products, status, US-dollar
    amounts, both sides' reports) with its change cursor as the event `id`. Reconnect with
    `Last-Event-ID` to resume after the last one seen; `limit` closes the stream after so
    many deals.

    **Who**: the organizer and admins (optionally one `country`); an agency sees the deals
    with a party of its country.

    Args:
        roundtable_id (str): Roundtable id
        country (None | str | Unset):
        limit (int | None | Unset): Close the stream after this many deals.
        last_event_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse]
     """


    kwargs = _get_kwargs(
        roundtable_id=roundtable_id,
country=country,
limit=limit,
last_event_id=last_event_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    roundtable_id: str,
    *,
    client: AuthenticatedClient,
    country: None | str | Unset = UNSET,
    limit: int | None | Unset = UNSET,
    last_event_id: None | str | Unset = UNSET,

) -> Any | ErrorResponse | None:
    """ Server-sent events of closed and updated deals (an agency sees its own country); resume with `Last-
    Event-ID`

     Closed and updated deals as server-sent events, oldest change first, then live: each
    `deal` event carries the deal (parties, countries, sectors, products, status, US-dollar
    amounts, both sides' reports) with its change cursor as the event `id`. Reconnect with
    `Last-Event-ID` to resume after the last one seen; `limit` closes the stream after so
    many deals.

    **Who**: the organizer and admins (optionally one `country`); an agency sees the deals
    with a party of its country.

    Args:
        roundtable_id (str): Roundtable id
        country (None | str | Unset):
        limit (int | None | Unset): Close the stream after this many deals.
        last_event_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse
     """


    return (await asyncio_detailed(
        roundtable_id=roundtable_id,
client=client,
country=country,
limit=limit,
last_event_id=last_event_id,

    )).parsed
