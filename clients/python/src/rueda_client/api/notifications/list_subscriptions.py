from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.subscription_out import SubscriptionOut
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    roundtable_id: None | str | Unset = UNSET,
    include_deleted: bool | Unset = False,
    limit: int | Unset = 1000,
    after: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_roundtable_id: None | str | Unset
    if isinstance(roundtable_id, Unset):
        json_roundtable_id = UNSET
    else:
        json_roundtable_id = roundtable_id
    params["roundtable_id"] = json_roundtable_id

    params["include_deleted"] = include_deleted

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
        "url": "/v1/subscriptions",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorResponse | list[SubscriptionOut] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in (_response_200):
            response_200_item = SubscriptionOut.from_dict(response_200_item_data)



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorResponse | list[SubscriptionOut]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    roundtable_id: None | str | Unset = UNSET,
    include_deleted: bool | Unset = False,
    limit: int | Unset = 1000,
    after: None | str | Unset = UNSET,

) -> Response[ErrorResponse | list[SubscriptionOut]]:
    """ Webhook subscriptions in the caller's scope (secrets are never returned)

     Webhook subscriptions in the caller's scope, without their secrets; deleted ones
    too with `include_deleted`.

    **Who**: an agency sees its own; the organizer its roundtable's; an admin all (or one
    roundtable's).

    Args:
        roundtable_id (None | str | Unset):
        include_deleted (bool | Unset):  Default: False.
        limit (int | Unset): Page size (at most 1000). Default: 1000.
        after (None | str | Unset): Cursor: the id of the last item of the previous page (the
            `X-Next-Cursor` header of that page).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | list[SubscriptionOut]]
     """


    kwargs = _get_kwargs(
        roundtable_id=roundtable_id,
include_deleted=include_deleted,
limit=limit,
after=after,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    roundtable_id: None | str | Unset = UNSET,
    include_deleted: bool | Unset = False,
    limit: int | Unset = 1000,
    after: None | str | Unset = UNSET,

) -> ErrorResponse | list[SubscriptionOut] | None:
    """ Webhook subscriptions in the caller's scope (secrets are never returned)

     Webhook subscriptions in the caller's scope, without their secrets; deleted ones
    too with `include_deleted`.

    **Who**: an agency sees its own; the organizer its roundtable's; an admin all (or one
    roundtable's).

    Args:
        roundtable_id (None | str | Unset):
        include_deleted (bool | Unset):  Default: False.
        limit (int | Unset): Page size (at most 1000). Default: 1000.
        after (None | str | Unset): Cursor: the id of the last item of the previous page (the
            `X-Next-Cursor` header of that page).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | list[SubscriptionOut]
     """


    return sync_detailed(
        client=client,
roundtable_id=roundtable_id,
include_deleted=include_deleted,
limit=limit,
after=after,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    roundtable_id: None | str | Unset = UNSET,
    include_deleted: bool | Unset = False,
    limit: int | Unset = 1000,
    after: None | str | Unset = UNSET,

) -> Response[ErrorResponse | list[SubscriptionOut]]:
    """ Webhook subscriptions in the caller's scope (secrets are never returned)

     Webhook subscriptions in the caller's scope, without their secrets; deleted ones
    too with `include_deleted`.

    **Who**: an agency sees its own; the organizer its roundtable's; an admin all (or one
    roundtable's).

    Args:
        roundtable_id (None | str | Unset):
        include_deleted (bool | Unset):  Default: False.
        limit (int | Unset): Page size (at most 1000). Default: 1000.
        after (None | str | Unset): Cursor: the id of the last item of the previous page (the
            `X-Next-Cursor` header of that page).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | list[SubscriptionOut]]
     """


    kwargs = _get_kwargs(
        roundtable_id=roundtable_id,
include_deleted=include_deleted,
limit=limit,
after=after,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    roundtable_id: None | str | Unset = UNSET,
    include_deleted: bool | Unset = False,
    limit: int | Unset = 1000,
    after: None | str | Unset = UNSET,

) -> ErrorResponse | list[SubscriptionOut] | None:
    """ Webhook subscriptions in the caller's scope (secrets are never returned)

     Webhook subscriptions in the caller's scope, without their secrets; deleted ones
    too with `include_deleted`.

    **Who**: an agency sees its own; the organizer its roundtable's; an admin all (or one
    roundtable's).

    Args:
        roundtable_id (None | str | Unset):
        include_deleted (bool | Unset):  Default: False.
        limit (int | Unset): Page size (at most 1000). Default: 1000.
        after (None | str | Unset): Cursor: the id of the last item of the previous page (the
            `X-Next-Cursor` header of that page).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | list[SubscriptionOut]
     """


    return (await asyncio_detailed(
        client=client,
roundtable_id=roundtable_id,
include_deleted=include_deleted,
limit=limit,
after=after,

    )).parsed
