"""Typed settings shared by every service (pydantic-settings, prefix `RUEDA_`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .contracts import TopicSpec

__all__ = ["DEV_SECRET", "RuedaSettings", "strong_secret"]

DEV_SECRET = "rueda-development-only-secret-change-me"


class RuedaSettings(BaseSettings):
    """Settings every service has. Services subclass it and add their own fields."""

    model_config = SettingsConfigDict(
        env_prefix="RUEDA_", env_nested_delimiter="__", extra="ignore"
    )

    env: Literal["development", "test", "production"] = "development"
    service_name: str = "rueda"
    kafka_bootstrap: str = "127.0.0.1:9092"
    kafka_idempotence: bool = Field(
        default=True,
        description="Idempotent producer with acks=all; off only for brokers without it.",
    )
    fetch_max_wait_ms: int = Field(default=100, ge=1, le=5000)
    consumer_batch: int = Field(
        default=100,
        ge=1,
        le=10000,
        description="Most records a batch subscriber takes at once (one transaction for a "
        "run of them).",
    )
    kafka_session_timeout_ms: int = Field(default=10000, ge=1000)
    kafka_heartbeat_interval_ms: int = Field(default=3000, ge=100)
    mongo_uri: str = "mongodb://127.0.0.1:27017/?retryWrites=false&directConnection=true"
    db_name: str | None = Field(default=None, description="Defaults to `rueda_<service_name>`.")
    topic_prefix: str = Field(default="", description="Prepended to every topic name.")
    http_host: str = "0.0.0.0"
    http_port: int = 8080
    log_format: Literal["auto", "json", "console"] = "auto"
    log_level: str = "INFO"
    graceful_timeout_s: float = 15.0
    handler_max_attempts: int = Field(
        default=3, ge=1, description="Failures of one message before it is dead-lettered."
    )
    retry_backoff_s: float = Field(default=0.2, ge=0)
    outbox_poll_s: float = Field(
        default=1.0, gt=0, description="Relay poll for records another process committed."
    )

    @model_validator(mode="after")
    def _defaults(self) -> RuedaSettings:
        if self.db_name is None:
            self.db_name = f"rueda_{self.service_name}"
        return self

    @property
    def database(self) -> str:
        assert self.db_name is not None
        return self.db_name

    @property
    def group_prefix(self) -> str:
        """Consumer groups share the topic prefix, so test runs never share offsets."""
        return self.topic_prefix

    def topic(self, spec: TopicSpec) -> str:
        """Physical name of a registry topic under this deployment's prefix."""
        return spec.physical(self.topic_prefix)

    def group(self, service: str) -> str:
        """The consumer group of a service."""
        return f"{self.topic_prefix}rueda-{service}"

    def refuse_default_secret(self, name: str, value: str) -> None:
        """Outside development, a secret left at its development default, or too weak to be
        32 random bytes, is an error."""
        if self.env == "development":
            return
        if not value or value == DEV_SECRET:
            raise ValueError(f"RUEDA_{name.upper()} must be set outside development")
        if not strong_secret(value):
            raise ValueError(
                f"RUEDA_{name.upper()} is too weak: use at least 32 random bytes, e.g. "
                "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`"
            )


def strong_secret(value: str) -> bool:
    """At least 32 bytes, and as varied as random text: the length times the Shannon entropy
    of its characters reaches 128 bits (a 43-character `token_urlsafe(32)` scores about 200,
    `"s" * 40` and `"password" * 4` far less)."""
    import math
    from collections import Counter

    data = value.encode()
    if len(data) < 32:
        return False
    counts = Counter(data)
    entropy = -sum(n / len(data) * math.log2(n / len(data)) for n in counts.values())
    return entropy * len(data) >= 128
