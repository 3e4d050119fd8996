"""rueda.shared shows a deliberate face: these names and no others."""

from __future__ import annotations

import pytest

import rueda.shared
import rueda.shared.contracts
import rueda.shared.messaging

pytestmark = pytest.mark.unit

EXPECTED = {
    rueda.shared: {
        "DEV_SECRET",
        "IndexSpec",
        "RuedaSettings",
        "ServiceRuntime",
        "configure_logging",
        "contracts",
        "ensure_indexes",
        "get_logger",
        "health_router",
        "messaging",
        "open_mongo",
        "run_service",
        "service_app",
    },
    rueda.shared.messaging: {
        "PRODUCER_STATE_ERRORS",
        "AlreadyHandledError",
        "BatchHandler",
        "DeadLetterSink",
        "Dispatcher",
        "Handler",
        "KafkaDeadLetters",
        "MessageContext",
        "OutboxMessage",
        "OutboxRelay",
        "PublishFn",
        "RawRecord",
        "Transaction",
        "TransientError",
        "UnitOfWork",
        "current_message",
        "envelope_headers",
        "is_transient",
        "make_broker",
        "message_context",
        "new_correlation_id",
        "per_roundtable",
        "publish_messages",
        "publishing",
        "renew_producer",
        "subscribe",
    },
}


@pytest.mark.parametrize("module", list(EXPECTED), ids=lambda m: m.__name__)
def test_exported_names(module: object) -> None:
    exported = set(module.__all__)  # type: ignore[attr-defined]
    assert exported == EXPECTED[module]  # type: ignore[index]
    for name in exported:
        assert hasattr(module, name), name


def test_contracts_export_only_what_exists() -> None:
    module = rueda.shared.contracts
    assert {"Envelope", "TOPICS", "Command", "Event", "topic"} <= set(module.__all__)
    for name in module.__all__:
        assert hasattr(module, name), name
    private = [n for n in module.__all__ if n.startswith("_")]
    assert private == []
