"""Reliable messaging: broker factory, dispatch with dead letters, inbox and outbox."""

from .broker import PRODUCER_STATE_ERRORS, make_broker, publishing, renew_producer
from .context import MessageContext, current_message, message_context, new_correlation_id
from .dispatch import (
    BatchHandler,
    DeadLetterSink,
    Dispatcher,
    Handler,
    RawRecord,
    TransientError,
    is_transient,
)
from .kafka import KafkaDeadLetters, envelope_headers, publish_messages, subscribe
from .outbox import (
    AlreadyHandledError,
    OutboxMessage,
    OutboxRelay,
    PublishFn,
    Transaction,
    UnitOfWork,
    per_roundtable,
)

__all__ = [
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
]
