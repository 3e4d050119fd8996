"""The local Kafka's cluster id: never one that the storage tool reads as an option."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from rueda.cli.infra import _cluster_id

pytestmark = pytest.mark.unit


def test_a_cluster_id_never_starts_with_a_dash() -> None:
    # a first byte 0xF8-0xFB encodes to '-' in URL-safe base64: drawn first, then refused
    drawn: Iterator[uuid.UUID] = iter(
        [uuid.UUID(bytes=b"\xf8" + bytes(15)), uuid.UUID(bytes=b"\x10" + bytes(15))]
    )
    cluster_id = _cluster_id(lambda: next(drawn))
    assert cluster_id == "EAAAAAAAAAAAAAAAAAAAAA"
    assert len(cluster_id) == 22
    assert all(not _cluster_id().startswith("-") for _ in range(500))
