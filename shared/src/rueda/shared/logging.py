"""structlog, configured once: one JSON format for every record (structlog's own, the standard
library's and FastStream's module logger), each with its level, UTC timestamp,
logger name and `correlation_id` (None outside a message); a readable console format on a
terminal, the only place with colours."""

from __future__ import annotations

import logging
import sys
from typing import Any, TextIO

import structlog

__all__ = ["configure_logging", "get_logger"]

_configured = False


def configure_logging(
    level: str = "INFO",
    fmt: str = "auto",
    service: str | None = None,
    *,
    stream: TextIO | None = None,
) -> None:
    """Configure structlog and the standard library's logging (idempotent).

    `fmt` is `json`, `console` or `auto` (console on a terminal, else JSON); `stream` defaults
    to standard error.
    """
    global _configured
    out = stream or sys.stderr
    on_terminal = out.isatty()
    renderer: Any = (
        structlog.dev.ConsoleRenderer(colors=on_terminal)
        if fmt == "console" or (fmt == "auto" and on_terminal)
        else structlog.processors.JSONRenderer()
    )
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        _add_correlation_id,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    if service:
        shared.insert(0, _add_service(service))
    structlog.configure(
        processors=[*shared, structlog.processors.format_exc_info, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(file=out),
        cache_logger_on_first_use=True,
    )
    if not _configured or stream is not None:
        handler = logging.StreamHandler(out)
        handler.setFormatter(
            structlog.stdlib.ProcessorFormatter(
                # a standard-library record (FastStream's, aiokafka's, pymongo's) gets the
                # same keys as structlog's own before the same renderer
                foreign_pre_chain=[
                    *shared,
                    structlog.stdlib.add_logger_name,
                    structlog.stdlib.ExtraAdder(),
                ],
                processors=[
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info,
                    renderer,
                ],
            )
        )
        root = logging.getLogger()
        root.handlers[:] = [handler]
        root.setLevel(logging.WARNING)
        # FastStream gives its logger a coloured handler of its own on import and stops it
        # propagating: its records take this one instead
        faststream = logging.getLogger("faststream")
        faststream.handlers[:] = [handler]
        faststream.propagate = False
    _configured = True


def _add_correlation_id(_: Any, __: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    event_dict.setdefault("correlation_id", None)
    return event_dict


def _add_service(service: str) -> Any:
    def processor(_: Any, __: str, event_dict: dict[str, Any]) -> dict[str, Any]:
        event_dict.setdefault("service", service)
        return event_dict

    return processor


def get_logger(name: str | None = None) -> Any:
    """A structlog logger."""
    return structlog.get_logger(name)
