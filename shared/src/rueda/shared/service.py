"""The runtime every service composes: MongoDB, the Kafka broker, the outbox relay, health."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

import structlog
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from faststream.kafka import KafkaBroker
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from prometheus_client import CollectorRegistry
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import ConnectionFailure

from .health import health_router
from .http import BodyLimitMiddleware, PathIdMiddleware
from .logging import configure_logging
from .messaging.broker import make_broker
from .messaging.kafka import publish_messages
from .messaging.outbox import INBOX_INDEXES, OUTBOX_INDEXES, OutboxMessage, OutboxRelay, UnitOfWork
from .mongo import IndexSpec, ensure_indexes, open_mongo
from .settings import RuedaSettings

__all__ = ["ServiceRuntime", "run_service", "service_app"]

log = structlog.get_logger("rueda.service")
Document = dict[str, Any]


class ServiceRuntime:
    """Clients and background tasks of one service process, opened in the app's lifespan."""

    def __init__(self, settings: RuedaSettings, *, indexes: Sequence[IndexSpec] = ()) -> None:
        self.settings = settings
        self.indexes = (*INBOX_INDEXES, *OUTBOX_INDEXES, *indexes)
        self.registry = CollectorRegistry()
        self.broker: KafkaBroker = make_broker(
            settings,
            middlewares=[
                KafkaPrometheusMiddleware(
                    registry=self.registry, app_name=f"rueda-{settings.service_name}"
                )
            ],
            description=f"Rueda {settings.service_name} service",
        )
        self._mongo: AsyncMongoClient[Document] | None = None
        self._uow: UnitOfWork | None = None
        self._relay: OutboxRelay | None = None
        self._cleanups: list[Callable[[], Awaitable[object]]] = []

    @property
    def mongo(self) -> AsyncMongoClient[Document]:
        if self._mongo is None:
            raise RuntimeError("the runtime is not started")
        return self._mongo

    @property
    def db(self) -> AsyncDatabase[Document]:
        return self.mongo[self.settings.database]

    @property
    def uow(self) -> UnitOfWork:
        if self._uow is None:
            raise RuntimeError("the runtime is not started")
        return self._uow

    @property
    def relay(self) -> OutboxRelay:
        if self._relay is None:
            raise RuntimeError("the runtime is not started")
        return self._relay

    async def publish(self, messages: Sequence[OutboxMessage]) -> None:
        await publish_messages(self.broker, messages)

    async def open_database(self) -> None:
        self._mongo = open_mongo(self.settings.mongo_uri)
        await ensure_indexes(self.db, self.indexes)
        self._relay = OutboxRelay(self.db, self.publish, poll_s=self.settings.outbox_poll_s)
        self._uow = UnitOfWork(
            self.db,
            producer=self.settings.service_name,
            topic_prefix=self.settings.topic_prefix,
            on_commit=self._relay.wake,
        )

    async def start(self, wire: Callable[[ServiceRuntime], Awaitable[None] | None]) -> None:
        """Open MongoDB, let the service register its subscribers, start broker and relay."""
        await self.open_database()
        result = wire(self)
        if result is not None:
            await result
        await self.broker.start()
        self.relay.start()
        log.info("service started", service=self.settings.service_name)

    def add_cleanup(self, cleanup: Callable[[], Awaitable[object]]) -> None:
        """Something to close when the service stops (after the consumers stopped)."""
        self._cleanups.append(cleanup)

    async def stop(self) -> None:
        with contextlib.suppress(Exception):
            await self.broker.stop()
        for cleanup in reversed(self._cleanups):
            with contextlib.suppress(Exception):
                await cleanup()
        if self._relay is not None:
            await self._relay.stop()
        if self._mongo is not None:
            await self._mongo.close()
        log.info("service stopped", service=self.settings.service_name)

    async def ping_broker(self) -> None:
        if not await self.broker.ping(timeout=2.0):
            raise ConnectionError("Kafka unreachable")

    async def ping_database(self) -> None:
        await self.mongo.admin.command("ping")


def service_app(
    runtime: ServiceRuntime,
    *,
    wire: Callable[[ServiceRuntime], Awaitable[None] | None],
    routers: Sequence[APIRouter] = (),
    title: str | None = None,
    description: str = "",
    path_ids: bool = True,
    dependencies: Sequence[Any] = (),
) -> FastAPI:
    """An ASGI app that runs the consumers in its lifespan and serves health and read APIs.

    Every request body is limited to `settings.max_body_bytes` (413 beyond); with `path_ids`
    (the services' read APIs) every path segment must be an id (422 otherwise). The gateway
    checks its path ids per route instead, with the patterns its OpenAPI document shows."""
    settings = runtime.settings

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.log_level, settings.log_format, settings.service_name)
        await runtime.start(wire)
        try:
            yield
        finally:
            await runtime.stop()

    app = FastAPI(
        title=title or f"rueda-{settings.service_name}",
        description=description,
        lifespan=lifespan,
        dependencies=list(dependencies),
    )
    app.state.runtime = runtime
    if path_ids:
        app.add_middleware(PathIdMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)

    @app.exception_handler(ConnectionFailure)
    async def database_unavailable(_: Request, exc: ConnectionFailure) -> JSONResponse:
        # MongoDB briefly unreachable (a restart, a failover): the caller retries
        log.warning("database unavailable", error=repr(exc))
        body = {
            "error": {
                "code": "database_unavailable",
                "message": "the database is not reachable now",
                "details": {"error": type(exc).__name__},
            }
        }
        return JSONResponse(body, status_code=503, headers={"Retry-After": "2"})

    app.include_router(
        health_router(
            {"kafka": runtime.ping_broker, "mongodb": runtime.ping_database}, runtime.registry
        )
    )
    for router in routers:
        app.include_router(router)
    return app


def run_service(app: FastAPI, settings: RuedaSettings) -> None:
    """Serve a service app with uvicorn until SIGTERM/SIGINT, then drain gracefully."""
    import uvicorn

    configure_logging(settings.log_level, settings.log_format, settings.service_name)
    uvicorn.run(
        app,
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=int(settings.graceful_timeout_s),
    )
