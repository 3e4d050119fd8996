"""One error shape for every failure: `{"error": {"code", "message", "details"}}`."""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pymongo.errors import ConnectionFailure
from starlette.exceptions import HTTPException as StarletteHTTPException

__all__ = ["ApiError", "ErrorBody", "ErrorResponse", "install_error_handlers"]

log = structlog.get_logger("rueda.gateway")

_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    503: "service_unavailable",
}


class ErrorBody(BaseModel):
    """What went wrong: a stable `code` to branch on, a `message` for a person."""

    code: str = Field(description="Machine-readable error code.", examples=["forbidden"])
    message: str = Field(
        description="What went wrong, for a person.", examples=["the agency role may not do this"]
    )
    details: Any = Field(
        default=None,
        description="Structured details, e.g. invalid fields.",
        examples=[[{"loc": ["body", "name"], "msg": "Field required", "type": "missing"}]],
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"code": "forbidden", "message": "the agency role may not do this"}]
        }
    )


class ErrorResponse(BaseModel):
    """Every 4xx and 5xx response has this shape."""

    error: ErrorBody = Field(description="The error.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"error": {"code": "forbidden", "message": "the agency role may not do this"}}
            ]
        }
    )


class ApiError(Exception):
    """An HTTP error with a code, a message and optional details."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers or {}


def error_response(
    status: int,
    code: str,
    message: str,
    details: Any = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "details": jsonable_encoder(details)}}
    return JSONResponse(body, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.details, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        return error_response(422, "validation_error", "the request is not valid", errors)

    @app.exception_handler(ValidationError)
    async def invalid_command(_: Request, exc: ValidationError) -> JSONResponse:
        # a command the request would become breaks a contract rule the request model did
        # not state: still the caller's input, so a 422, never a 500
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        return error_response(422, "validation_error", "the request is not valid", errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _CODES.get(exc.status_code, "error")
        return error_response(exc.status_code, code, str(exc.detail), None, dict(exc.headers or {}))

    @app.exception_handler(ConnectionFailure)
    async def database_unavailable(_: Request, exc: ConnectionFailure) -> JSONResponse:
        # the idempotency store is briefly unreachable (a restart): the caller retries
        log.warning("database unavailable", error=repr(exc))
        return error_response(
            503,
            "database_unavailable",
            "could not accept the request now",
            {"error": type(exc).__name__},
            {"Retry-After": "2"},
        )

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", error=repr(exc))
        return error_response(500, "internal_error", "an unexpected error occurred")
