"""The envelope every Rueda message travels in, and the registry of message types."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "Command",
    "Contract",
    "Envelope",
    "Event",
    "UnknownMessageTypeError",
    "message_type",
    "message_types",
    "utcnow",
]

_REGISTRY: dict[str, type[Contract]] = {}


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UnknownMessageTypeError(LookupError):
    """An envelope names an `event_type` that no contract in this library defines."""


class Contract(BaseModel):
    """Base of every command and event payload (the envelope's `data`).

    Subclasses are registered by class name, which is their `event_type` on the wire.
    `schema_version` is raised for every incompatible change; compatible additions keep it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_version: ClassVar[int] = 1
    message_kind: ClassVar[str] = "message"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__name__ in {"Command", "Event"} or cls.__name__.startswith("_"):
            return
        existing = _REGISTRY.get(cls.__name__)
        if existing is not None and existing.__module__ != cls.__module__:
            raise TypeError(f"message type {cls.__name__} defined twice")
        _REGISTRY[cls.__name__] = cls

    @classmethod
    def event_type(cls) -> str:
        """The name carried in the envelope's `event_type`."""
        return cls.__name__


class Command(Contract):
    """An imperative request to the service that owns the topic (`RegisterParticipant`)."""

    message_kind: ClassVar[str] = "command"


class Event(Contract):
    """A fact that happened, named in the past tense (`ParticipantApproved`)."""

    message_kind: ClassVar[str] = "event"


def message_type(name: str) -> type[Contract]:
    """The contract class registered under `name`."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownMessageTypeError(name) from None


def message_types() -> dict[str, type[Contract]]:
    """Every registered contract, by `event_type`."""
    return dict(sorted(_REGISTRY.items()))


C = TypeVar("C", bound=Contract)


class Envelope(BaseModel):
    """One envelope for every message on every Rueda topic, carried as the JSON value.

    `data` holds the payload of the contract named by `event_type`; use `payload()` to get it
    as its typed model.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    event_id: uuid.UUID = Field(
        default_factory=uuid.uuid4,
        description="Unique id of this message; consumers deduplicate on it.",
    )
    event_type: str = Field(description="Contract name, e.g. `ParticipantApproved`.", min_length=1)
    schema_version: int = Field(ge=1, description="Version of the `data` schema.")
    occurred_at: AwareDatetime = Field(
        default_factory=utcnow, description="When it happened or was requested (UTC)."
    )
    producer: str = Field(min_length=1, description="Service that wrote the message.")
    correlation_id: str = Field(
        min_length=1, description="Id of the request that started the chain (X-Request-ID)."
    )
    causation_id: uuid.UUID | None = Field(
        default=None, description="`event_id` of the message that caused this one."
    )
    roundtable_id: str = Field(min_length=1, description="Roundtable the message belongs to.")
    data: dict[str, Any] = Field(description="The payload, a model of `event_type`.")

    @field_validator("occurred_at")
    @classmethod
    def _in_utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)

    @classmethod
    def wrap(
        cls,
        payload: Contract,
        *,
        producer: str,
        roundtable_id: str,
        correlation_id: str,
        causation_id: uuid.UUID | None = None,
        event_id: uuid.UUID | None = None,
        occurred_at: datetime | None = None,
    ) -> Envelope:
        """Put a contract into a new envelope."""
        return cls(
            event_id=event_id or uuid.uuid4(),
            event_type=payload.event_type(),
            schema_version=payload.schema_version,
            occurred_at=occurred_at or utcnow(),
            producer=producer,
            correlation_id=correlation_id,
            causation_id=causation_id,
            roundtable_id=roundtable_id,
            data=payload.model_dump(mode="json"),
        )

    def payload(self) -> Contract:
        """`data` validated as the contract `event_type` names.

        Raises `UnknownMessageTypeError` or pydantic's `ValidationError`.
        """
        model = message_type(self.event_type)
        if self.schema_version != model.schema_version:
            raise UnknownMessageTypeError(
                f"{self.event_type} v{self.schema_version} (this library knows "
                f"v{model.schema_version})"
            )
        return model.model_validate(self.data)

    def payload_as(self, model: type[C]) -> C:
        """`data` validated as `model`, which must be the contract `event_type` names."""
        if model.event_type() != self.event_type:
            raise UnknownMessageTypeError(f"expected {model.event_type()}, got {self.event_type}")
        return model.model_validate(self.data)

    def to_bytes(self) -> bytes:
        """The JSON value written to Kafka."""
        return self.model_dump_json().encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> Envelope:
        """Parse a Kafka value; raises pydantic's `ValidationError` on anything malformed."""
        return cls.model_validate_json(raw)
