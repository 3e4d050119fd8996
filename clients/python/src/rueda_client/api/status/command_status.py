from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.command_status_out import CommandStatusOut
from ...models.command_status_service_name import CommandStatusServiceName
from ...models.error_response import ErrorResponse
from typing import cast



def _get_kwargs(
    service_name: CommandStatusServiceName,
    command_id: str,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/commands/{service_name}/{command_id}".format(service_name=quote(str(service_name), safe=""),command_id=quote(str(command_id), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CommandStatusOut | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = CommandStatusOut.from_dict(response.json())



        return response_200

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[CommandStatusOut | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    service_name: CommandStatusServiceName,
    command_id: str,
    *,
    client: AuthenticatedClient,

) -> Response[CommandStatusOut | ErrorResponse]:
    """ Whether a command was carried out, or why it was refused

     The `status_url` of every write: `pending` until the owning service has handled the
    command, then `accepted` (with the ids of what it created in `resource`) or `rejected`
    with a machine-readable `code` and a `reason`. Poll it (e.g. every 0.5 s, with a bound):
    handling takes well under a second on an idle system.

    **Who**: anyone holding the URL: the unguessable command id is the capability, so an
    anonymous registrant can follow its own registration.

    Args:
        service_name (CommandStatusServiceName):
        command_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CommandStatusOut | ErrorResponse]
     """


    kwargs = _get_kwargs(
        service_name=service_name,
command_id=command_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    service_name: CommandStatusServiceName,
    command_id: str,
    *,
    client: AuthenticatedClient,

) -> CommandStatusOut | ErrorResponse | None:
    """ Whether a command was carried out, or why it was refused

     The `status_url` of every write: `pending` until the owning service has handled the
    command, then `accepted` (with the ids of what it created in `resource`) or `rejected`
    with a machine-readable `code` and a `reason`. Poll it (e.g. every 0.5 s, with a bound):
    handling takes well under a second on an idle system.

    **Who**: anyone holding the URL: the unguessable command id is the capability, so an
    anonymous registrant can follow its own registration.

    Args:
        service_name (CommandStatusServiceName):
        command_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CommandStatusOut | ErrorResponse
     """


    return sync_detailed(
        service_name=service_name,
command_id=command_id,
client=client,

    ).parsed

async def asyncio_detailed(
    service_name: CommandStatusServiceName,
    command_id: str,
    *,
    client: AuthenticatedClient,

) -> Response[CommandStatusOut | ErrorResponse]:
    """ Whether a command was carried out, or why it was refused

     The `status_url` of every write: `pending` until the owning service has handled the
    command, then `accepted` (with the ids of what it created in `resource`) or `rejected`
    with a machine-readable `code` and a `reason`. Poll it (e.g. every 0.5 s, with a bound):
    handling takes well under a second on an idle system.

    **Who**: anyone holding the URL: the unguessable command id is the capability, so an
    anonymous registrant can follow its own registration.

    Args:
        service_name (CommandStatusServiceName):
        command_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CommandStatusOut | ErrorResponse]
     """


    kwargs = _get_kwargs(
        service_name=service_name,
command_id=command_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    service_name: CommandStatusServiceName,
    command_id: str,
    *,
    client: AuthenticatedClient,

) -> CommandStatusOut | ErrorResponse | None:
    """ Whether a command was carried out, or why it was refused

     The `status_url` of every write: `pending` until the owning service has handled the
    command, then `accepted` (with the ids of what it created in `resource`) or `rejected`
    with a machine-readable `code` and a `reason`. Poll it (e.g. every 0.5 s, with a bound):
    handling takes well under a second on an idle system.

    **Who**: anyone holding the URL: the unguessable command id is the capability, so an
    anonymous registrant can follow its own registration.

    Args:
        service_name (CommandStatusServiceName):
        command_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CommandStatusOut | ErrorResponse
     """


    return (await asyncio_detailed(
        service_name=service_name,
command_id=command_id,
client=client,

    )).parsed
