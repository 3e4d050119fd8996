from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.roundtable_out import RoundtableOut
from typing import cast



def _get_kwargs(
    roundtable_id: str,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/roundtables/{roundtable_id}".format(roundtable_id=quote(str(roundtable_id), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorResponse | RoundtableOut | None:
    if response.status_code == 200:
        response_200 = RoundtableOut.from_dict(response.json())



        return response_200

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())



        return response_401

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorResponse | RoundtableOut]:
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

) -> Response[ErrorResponse | RoundtableOut]:
    """ A roundtable's configuration (public)

     A roundtable's configuration, as its organizer set it, and whether it takes
    registrations.

    **Who**: anyone, without a token: companies read it before they register.

    **Errors**: `not_found` until the roundtable's creation has been processed.

    Args:
        roundtable_id (str): Roundtable id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | RoundtableOut]
     """


    kwargs = _get_kwargs(
        roundtable_id=roundtable_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    roundtable_id: str,
    *,
    client: AuthenticatedClient,

) -> ErrorResponse | RoundtableOut | None:
    """ A roundtable's configuration (public)

     A roundtable's configuration, as its organizer set it, and whether it takes
    registrations.

    **Who**: anyone, without a token: companies read it before they register.

    **Errors**: `not_found` until the roundtable's creation has been processed.

    Args:
        roundtable_id (str): Roundtable id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | RoundtableOut
     """


    return sync_detailed(
        roundtable_id=roundtable_id,
client=client,

    ).parsed

async def asyncio_detailed(
    roundtable_id: str,
    *,
    client: AuthenticatedClient,

) -> Response[ErrorResponse | RoundtableOut]:
    """ A roundtable's configuration (public)

     A roundtable's configuration, as its organizer set it, and whether it takes
    registrations.

    **Who**: anyone, without a token: companies read it before they register.

    **Errors**: `not_found` until the roundtable's creation has been processed.

    Args:
        roundtable_id (str): Roundtable id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | RoundtableOut]
     """


    kwargs = _get_kwargs(
        roundtable_id=roundtable_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    roundtable_id: str,
    *,
    client: AuthenticatedClient,

) -> ErrorResponse | RoundtableOut | None:
    """ A roundtable's configuration (public)

     A roundtable's configuration, as its organizer set it, and whether it takes
    registrations.

    **Who**: anyone, without a token: companies read it before they register.

    **Errors**: `not_found` until the roundtable's creation has been processed.

    Args:
        roundtable_id (str): Roundtable id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | RoundtableOut
     """


    return (await asyncio_detailed(
        roundtable_id=roundtable_id,
client=client,

    )).parsed
