"""MongoDB access through PyMongo's `AsyncMongoClient` (Motor is end-of-life)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pymongo import AsyncMongoClient, IndexModel
from pymongo.asynchronous.database import AsyncDatabase

__all__ = ["IndexSpec", "ensure_indexes", "open_mongo"]

Document = dict[str, Any]


@dataclass(frozen=True)
class IndexSpec:
    """An index a service needs, created at start-up."""

    collection: str
    keys: Sequence[tuple[str, int]]
    unique: bool = False
    name: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)


def open_mongo(uri: str, *, timeout_ms: int = 5000) -> AsyncMongoClient[Document]:
    """A client for `uri`. Opened in an app's lifespan, never at import time."""
    return AsyncMongoClient(
        uri,
        serverSelectionTimeoutMS=timeout_ms,
        connectTimeoutMS=timeout_ms,
        tz_aware=True,
        uuidRepresentation="standard",
    )


async def ensure_indexes(db: AsyncDatabase[Document], specs: Sequence[IndexSpec]) -> None:
    """Create every index (idempotent)."""
    by_collection: dict[str, list[IndexModel]] = {}
    for spec in specs:
        kwargs: dict[str, Any] = dict(spec.options)
        if spec.unique:
            kwargs["unique"] = True
        if spec.name:
            kwargs["name"] = spec.name
        by_collection.setdefault(spec.collection, []).append(IndexModel(list(spec.keys), **kwargs))
    for collection, models in by_collection.items():
        await db[collection].create_indexes(models)
