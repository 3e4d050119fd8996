from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.report_out import ReportOut
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    roundtable_id: str,
    *,
    country: None | str | Unset = UNSET,
    accept: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(accept, Unset):
        headers["accept"] = accept



    

    params: dict[str, Any] = {}

    json_country: None | str | Unset
    if isinstance(country, Unset):
        json_country = UNSET
    else:
        json_country = country
    params["country"] = json_country


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/roundtables/{roundtable_id}/report".format(roundtable_id=quote(str(roundtable_id), safe=""),),
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorResponse | ReportOut | None:
    if response.status_code == 200:
        response_200 = ReportOut.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorResponse | ReportOut]:
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
    accept: None | str | Unset = UNSET,

) -> Response[ErrorResponse | ReportOut]:
    """ The roundtable's report: JSON, or CSV with `Accept: text/csv` (an agency sees its own country)

     The roundtable's report: exporters and importers registered and approved; meetings
    scheduled, held, no-show and cancelled; deals (count, immediate and 12-month projected
    US dollars, agreed/disputed/one-sided); the same by country, sector and agency. CSV
    with `Accept: text/csv`. Figures follow the events, a moment behind the latest command.

    **Who**: the organizer and admins (optionally one `country`); an agency sees its own
    country only.

    Args:
        roundtable_id (str): Roundtable id
        country (None | str | Unset):
        accept (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ReportOut]
     """


    kwargs = _get_kwargs(
        roundtable_id=roundtable_id,
country=country,
accept=accept,

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
    accept: None | str | Unset = UNSET,

) -> ErrorResponse | ReportOut | None:
    """ The roundtable's report: JSON, or CSV with `Accept: text/csv` (an agency sees its own country)

     The roundtable's report: exporters and importers registered and approved; meetings
    scheduled, held, no-show and cancelled; deals (count, immediate and 12-month projected
    US dollars, agreed/disputed/one-sided); the same by country, sector and agency. CSV
    with `Accept: text/csv`. Figures follow the events, a moment behind the latest command.

    **Who**: the organizer and admins (optionally one `country`); an agency sees its own
    country only.

    Args:
        roundtable_id (str): Roundtable id
        country (None | str | Unset):
        accept (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ReportOut
     """


    return sync_detailed(
        roundtable_id=roundtable_id,
client=client,
country=country,
accept=accept,

    ).parsed

async def asyncio_detailed(
    roundtable_id: str,
    *,
    client: AuthenticatedClient,
    country: None | str | Unset = UNSET,
    accept: None | str | Unset = UNSET,

) -> Response[ErrorResponse | ReportOut]:
    """ The roundtable's report: JSON, or CSV with `Accept: text/csv` (an agency sees its own country)

     The roundtable's report: exporters and importers registered and approved; meetings
    scheduled, held, no-show and cancelled; deals (count, immediate and 12-month projected
    US dollars, agreed/disputed/one-sided); the same by country, sector and agency. CSV
    with `Accept: text/csv`. Figures follow the events, a moment behind the latest command.

    **Who**: the organizer and admins (optionally one `country`); an agency sees its own
    country only.

    Args:
        roundtable_id (str): Roundtable id
        country (None | str | Unset):
        accept (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ReportOut]
     """


    kwargs = _get_kwargs(
        roundtable_id=roundtable_id,
country=country,
accept=accept,

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
    accept: None | str | Unset = UNSET,

) -> ErrorResponse | ReportOut | None:
    """ The roundtable's report: JSON, or CSV with `Accept: text/csv` (an agency sees its own country)

     The roundtable's report: exporters and importers registered and approved; meetings
    scheduled, held, no-show and cancelled; deals (count, immediate and 12-month projected
    US dollars, agreed/disputed/one-sided); the same by country, sector and agency. CSV
    with `Accept: text/csv`. Figures follow the events, a moment behind the latest command.

    **Who**: the organizer and admins (optionally one `country`); an agency sees its own
    country only.

    Args:
        roundtable_id (str): Roundtable id
        country (None | str | Unset):
        accept (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ReportOut
     """


    return (await asyncio_detailed(
        roundtable_id=roundtable_id,
client=client,
country=country,
accept=accept,

    )).parsed
