"""Every contract's JSON Schema is pinned: a change needs a new snapshot, and an incompatible
change also needs a new `schema_version`.

Refresh after a deliberate change: `RUEDA_UPDATE_SNAPSHOTS=1 make test-unit`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from rueda.shared.asyncapi import build_asyncapi
from rueda.shared.contracts import TOPICS, Contract, Envelope

pytestmark = pytest.mark.unit

SNAPSHOT = Path(__file__).parent / "snapshots" / "contracts.json"


def current() -> dict[str, Any]:
    models: dict[str, type[Contract]] = {}
    for spec in TOPICS:
        for model in spec.messages:
            models[model.event_type()] = model
    out: dict[str, Any] = {
        "Envelope": {"schema_version": 1, "schema": Envelope.model_json_schema()}
    }
    for name in sorted(models):
        out[name] = {
            "schema_version": models[name].schema_version,
            "schema": models[name].model_json_schema(),
        }
    return out


def incompatibilities(old: dict[str, Any], new: dict[str, Any], path: str = "") -> list[str]:
    """Changes that break a reader or writer of the old schema: removed or retyped
    properties, new required properties, narrowed enums."""
    problems: list[str] = []
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    for name, schema in old_props.items():
        if name not in new_props:
            problems.append(f"{path}{name}: removed")
        elif schema.get("type") != new_props[name].get("type"):
            problems.append(f"{path}{name}: type changed")
        else:
            problems += incompatibilities(schema, new_props[name], f"{path}{name}.")
    added_required = set(new.get("required", [])) - set(old.get("required", []))
    problems += [f"{path}{name}: newly required" for name in sorted(added_required)]
    if "enum" in old and not set(old["enum"]) <= set(new.get("enum", old["enum"])):
        problems.append(f"{path}: enum narrowed")
    for key in ("$defs",):
        for name, schema in old.get(key, {}).items():
            if name in new.get(key, {}):
                problems += incompatibilities(schema, new[key][name], f"{path}{name}.")
    return problems


def test_contract_schemas_match_the_snapshot() -> None:
    now = current()
    if os.environ.get("RUEDA_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n")
    pinned = json.loads(SNAPSHOT.read_text())
    assert set(now) >= set(pinned), f"contracts removed: {set(pinned) - set(now)}"
    for name, entry in pinned.items():
        new = now[name]
        if new == entry:
            continue
        same_version = new["schema_version"] == entry["schema_version"]
        broken = incompatibilities(entry["schema"], new["schema"])
        if broken and same_version:
            pytest.fail(f"{name}: incompatible change without a new schema_version: {broken}")
        pytest.fail(f"{name}: schema changed; refresh the snapshot (RUEDA_UPDATE_SNAPSHOTS=1)")
    added = set(now) - set(pinned)
    assert not added, f"new contracts not in the snapshot yet: {sorted(added)}"


def test_the_checker_catches_incompatible_changes() -> None:
    old = {"properties": {"a": {"type": "string"}, "b": {"type": "integer"}}, "required": ["a"]}
    assert incompatibilities(old, old) == []
    optional_added = {**old, "properties": {**old["properties"], "c": {"type": "string"}}}
    assert incompatibilities(old, optional_added) == []
    removed = {"properties": {"a": {"type": "string"}}, "required": ["a"]}
    assert incompatibilities(old, removed) == ["b: removed"]
    retyped = {**old, "properties": {**old["properties"], "b": {"type": "string"}}}
    assert incompatibilities(old, retyped) == ["b: type changed"]
    now_required = {**old, "required": ["a", "b"]}
    assert incompatibilities(old, now_required) == ["b: newly required"]


def test_asyncapi_document_names_every_topic_and_message() -> None:
    doc = json.loads(build_asyncapi().to_specification().to_json())
    assert doc["asyncapi"].startswith("3.")
    assert set(doc["channels"]) == {t.name for t in TOPICS}
    schemas = doc["components"]["schemas"]
    for spec in TOPICS:
        for model in spec.messages:
            assert f"{model.event_type()}Message" in schemas, model
