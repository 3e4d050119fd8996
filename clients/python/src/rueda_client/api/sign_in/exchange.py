from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.exchange_in import ExchangeIn
from ...models.tokens_out import TokensOut
from typing import cast



def _get_kwargs(
    *,
    body: ExchangeIn,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/sign-in/exchange",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorResponse | TokensOut | None:
    if response.status_code == 200:
        response_200 = TokensOut.from_dict(response.json())



        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())



        return response_401

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorResponse | TokensOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ExchangeIn,

) -> Response[ErrorResponse | TokensOut]:
    """ Exchange a sign-in or invitation code for tokens

     Takes the code once. Answers an access token for one identity (`acting_as`, the
    first of `choices` unless `choice` names another) and a rotating refresh token.

    **Who**: anyone holding an unused code from a sign-in or invitation link, without a
    token. Failed exchanges are limited per client (`rate_limited`).

    Args:
        body (ExchangeIn): A sign-in or invitation code, exchanged once for tokens.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | TokensOut]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    body: ExchangeIn,

) -> ErrorResponse | TokensOut | None:
    """ Exchange a sign-in or invitation code for tokens

     Takes the code once. Answers an access token for one identity (`acting_as`, the
    first of `choices` unless `choice` names another) and a rotating refresh token.

    **Who**: anyone holding an unused code from a sign-in or invitation link, without a
    token. Failed exchanges are limited per client (`rate_limited`).

    Args:
        body (ExchangeIn): A sign-in or invitation code, exchanged once for tokens.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | TokensOut
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ExchangeIn,

) -> Response[ErrorResponse | TokensOut]:
    """ Exchange a sign-in or invitation code for tokens

     Takes the code once. Answers an access token for one identity (`acting_as`, the
    first of `choices` unless `choice` names another) and a rotating refresh token.

    **Who**: anyone holding an unused code from a sign-in or invitation link, without a
    token. Failed exchanges are limited per client (`rate_limited`).

    Args:
        body (ExchangeIn): A sign-in or invitation code, exchanged once for tokens.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | TokensOut]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ExchangeIn,

) -> ErrorResponse | TokensOut | None:
    """ Exchange a sign-in or invitation code for tokens

     Takes the code once. Answers an access token for one identity (`acting_as`, the
    first of `choices` unless `choice` names another) and a rotating refresh token.

    **Who**: anyone holding an unused code from a sign-in or invitation link, without a
    token. Failed exchanges are limited per client (`rate_limited`).

    Args:
        body (ExchangeIn): A sign-in or invitation code, exchanged once for tokens.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | TokensOut
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed
