from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.match_out import MatchOut
from typing import cast



def _get_kwargs(
    roundtable_id: str,
    participant_id: str,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/roundtables/{roundtable_id}/participants/{participant_id}/matches".format(roundtable_id=quote(str(roundtable_id), safe=""),participant_id=quote(str(participant_id), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorResponse | list[MatchOut] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in (_response_200):
            response_200_item = MatchOut.from_dict(response_200_item_data)



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorResponse | list[MatchOut]]:
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

) -> Response[ErrorResponse | list[MatchOut]]:
    """ A participant's proposed counterparts, best first

     The counterparts matching proposes to an approved participant, best first, with the
    reasons for each score (sectors, products, countries wanted, languages, certifications).
    Proposals are recomputed as participants are approved or withdraw.

    **Who**: the participant itself, its agency (its own country), the organizer, admins.

    **Errors**: `not_found` for a participant not (yet) approved.

    Args:
        roundtable_id (str): Roundtable id
        participant_id (str): Participant id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | list[MatchOut]]
     """


    kwargs = _get_kwargs(
        roundtable_id=roundtable_id,
participant_id=participant_id,

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

) -> ErrorResponse | list[MatchOut] | None:
    """ A participant's proposed counterparts, best first

     The counterparts matching proposes to an approved participant, best first, with the
    reasons for each score (sectors, products, countries wanted, languages, certifications).
    Proposals are recomputed as participants are approved or withdraw.

    **Who**: the participant itself, its agency (its own country), the organizer, admins.

    **Errors**: `not_found` for a participant not (yet) approved.

    Args:
        roundtable_id (str): Roundtable id
        participant_id (str): Participant id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | list[MatchOut]
     """


    return sync_detailed(
        roundtable_id=roundtable_id,
participant_id=participant_id,
client=client,

    ).parsed

async def asyncio_detailed(
    roundtable_id: str,
    participant_id: str,
    *,
    client: AuthenticatedClient,

) -> Response[ErrorResponse | list[MatchOut]]:
    """ A participant's proposed counterparts, best first

     The counterparts matching proposes to an approved participant, best first, with the
    reasons for each score (sectors, products, countries wanted, languages, certifications).
    Proposals are recomputed as participants are approved or withdraw.

    **Who**: the participant itself, its agency (its own country), the organizer, admins.

    **Errors**: `not_found` for a participant not (yet) approved.

    Args:
        roundtable_id (str): Roundtable id
        participant_id (str): Participant id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | list[MatchOut]]
     """


    kwargs = _get_kwargs(
        roundtable_id=roundtable_id,
participant_id=participant_id,

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

) -> ErrorResponse | list[MatchOut] | None:
    """ A participant's proposed counterparts, best first

     The counterparts matching proposes to an approved participant, best first, with the
    reasons for each score (sectors, products, countries wanted, languages, certifications).
    Proposals are recomputed as participants are approved or withdraw.

    **Who**: the participant itself, its agency (its own country), the organizer, admins.

    **Errors**: `not_found` for a participant not (yet) approved.

    Args:
        roundtable_id (str): Roundtable id
        participant_id (str): Participant id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | list[MatchOut]
     """


    return (await asyncio_detailed(
        roundtable_id=roundtable_id,
participant_id=participant_id,
client=client,

    )).parsed
