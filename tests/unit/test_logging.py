"""Logs an operator can read: one JSON format for structlog's and the standard library's
records, each with level, timestamp and correlation id; colours only on a terminal."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
import structlog

import rueda.shared.logging as rueda_logging
from rueda.shared.contracts import Envelope
from rueda.shared.contracts.registration import SetRegistrationOpen
from rueda.shared.logging import configure_logging
from rueda.shared.messaging import message_context

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    config, handlers = structlog.get_config(), logging.getLogger().handlers[:]
    faststream = logging.getLogger("faststream")
    faststream_handlers, propagate = faststream.handlers[:], faststream.propagate
    configured = rueda_logging._configured
    yield
    structlog.configure(**config)
    logging.getLogger().handlers[:] = handlers
    faststream.handlers[:], faststream.propagate = faststream_handlers, propagate
    rueda_logging._configured = configured


def _lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_structlog_and_standard_library_records_share_one_json_format() -> None:
    out = io.StringIO()
    configure_logging("INFO", "json", "registration", stream=out)
    env = Envelope.wrap(
        SetRegistrationOpen(open=True), producer="t", roundtable_id="rt-1", correlation_id="c-42"
    )
    with message_context(env):
        structlog.get_logger("rueda.test").info("handled", extra_key=1)
        logging.getLogger("faststream.test").warning("polled %s records", 3)
    structlog.get_logger("rueda.test").info("idle")
    ours, theirs, idle = _lines(out)
    for record in (ours, theirs, idle):
        assert {"event", "level", "timestamp", "correlation_id", "service"} <= set(record)
        assert record["timestamp"].endswith("Z")
    assert (ours["event"], ours["level"], ours["correlation_id"]) == ("handled", "info", "c-42")
    assert (ours["roundtable_id"], ours["extra_key"]) == ("rt-1", 1)
    assert (theirs["event"], theirs["level"], theirs["logger"]) == (
        "polled 3 records",
        "warning",
        "faststream.test",
    )
    assert (theirs["correlation_id"], theirs["roundtable_id"]) == ("c-42", "rt-1")
    assert idle["correlation_id"] is None


def test_a_console_that_is_not_a_terminal_gets_no_colours() -> None:
    out = io.StringIO()
    configure_logging("INFO", "console", stream=out)
    structlog.get_logger("rueda.test").warning("plain", n=1)
    logging.getLogger("other").error("also plain")
    text = out.getvalue()
    assert "plain" in text
    assert "also plain" in text
    assert "\x1b[" not in text


def test_auto_is_json_when_not_on_a_terminal() -> None:
    out = io.StringIO()
    configure_logging("INFO", "auto", stream=out)
    structlog.get_logger("rueda.test").info("auto")
    assert _lines(out)[0]["event"] == "auto"
