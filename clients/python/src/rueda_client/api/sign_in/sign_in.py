from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.sign_in_accepted import SignInAccepted
from ...models.sign_in_in import SignInIn
from typing import cast



def _get_kwargs(
    *,
    body: SignInIn,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/sign-in",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorResponse | SignInAccepted | None:
    if response.status_code == 202:
        response_202 = SignInAccepted.from_dict(response.json())



        return response_202

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorResponse | SignInAccepted]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: SignInIn,

) -> Response[ErrorResponse | SignInAccepted]:
    """ E-mail a sign-in link (always 202)

     If the address is a participant's contact (or invited staff), e-mails it a
    single-use link `{RUEDA_WEB_URL}/auth/callback?code=...`, valid 15 minutes, in the
    contact's language. The answer is the same, and as fast, whether or not the address is
    known.

    **Who**: anyone, without a token; limited per address and per client (`rate_limited`,
    with `Retry-After`).

    **Then**: the link is e-mailed after the answer (or not at all, for an unknown
    address). There is no `status_url` to follow: exchange the link's code with
    `POST /v1/sign-in/exchange`.

    Args:
        body (SignInIn): An e-mail address asking for a sign-in link.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | SignInAccepted]
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
    body: SignInIn,

) -> ErrorResponse | SignInAccepted | None:
    """ E-mail a sign-in link (always 202)

     If the address is a participant's contact (or invited staff), e-mails it a
    single-use link `{RUEDA_WEB_URL}/auth/callback?code=...`, valid 15 minutes, in the
    contact's language. The answer is the same, and as fast, whether or not the address is
    known.

    **Who**: anyone, without a token; limited per address and per client (`rate_limited`,
    with `Retry-After`).

    **Then**: the link is e-mailed after the answer (or not at all, for an unknown
    address). There is no `status_url` to follow: exchange the link's code with
    `POST /v1/sign-in/exchange`.

    Args:
        body (SignInIn): An e-mail address asking for a sign-in link.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | SignInAccepted
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: SignInIn,

) -> Response[ErrorResponse | SignInAccepted]:
    """ E-mail a sign-in link (always 202)

     If the address is a participant's contact (or invited staff), e-mails it a
    single-use link `{RUEDA_WEB_URL}/auth/callback?code=...`, valid 15 minutes, in the
    contact's language. The answer is the same, and as fast, whether or not the address is
    known.

    **Who**: anyone, without a token; limited per address and per client (`rate_limited`,
    with `Retry-After`).

    **Then**: the link is e-mailed after the answer (or not at all, for an unknown
    address). There is no `status_url` to follow: exchange the link's code with
    `POST /v1/sign-in/exchange`.

    Args:
        body (SignInIn): An e-mail address asking for a sign-in link.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | SignInAccepted]
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
    body: SignInIn,

) -> ErrorResponse | SignInAccepted | None:
    """ E-mail a sign-in link (always 202)

     If the address is a participant's contact (or invited staff), e-mails it a
    single-use link `{RUEDA_WEB_URL}/auth/callback?code=...`, valid 15 minutes, in the
    contact's language. The answer is the same, and as fast, whether or not the address is
    known.

    **Who**: anyone, without a token; limited per address and per client (`rate_limited`,
    with `Retry-After`).

    **Then**: the link is e-mailed after the answer (or not at all, for an unknown
    address). There is no `status_url` to follow: exchange the link's code with
    `POST /v1/sign-in/exchange`.

    Args:
        body (SignInIn): An e-mail address asking for a sign-in link.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | SignInAccepted
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed
