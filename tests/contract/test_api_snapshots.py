"""The published contract is pinned: the gateway's OpenAPI document and the topics' AsyncAPI
document are snapshotted like the event schemas. Any change needs a deliberate refresh; a
change that breaks an integrator of `/v1` (an operation, channel, message or field removed,
a field retyped, a parameter or field newly required, an enum narrowed) is reported as such:
docs/versioning.md says what to do instead (add, deprecate, retire in `/v2`).

Refresh after a deliberate change: `make snapshots` (also regenerates the client: `make
regenerate`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from tests.contract.test_schema_snapshots import incompatibilities
from tests.support.apidoc import openapi_document, operations

from rueda.shared.asyncapi import asyncapi_document

pytestmark = pytest.mark.unit

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("RUEDA_UPDATE_SNAPSHOTS") == "1"


def _schemas(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    for name, schema in old.get("components", {}).get("schemas", {}).items():
        found = new.get("components", {}).get("schemas", {}).get(name)
        if found is None:
            problems.append(f"schema {name}: removed")
        else:
            problems += [f"schema {name}.{p}" for p in incompatibilities(schema, found)]
    return problems


def openapi_breaks(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What in `new` breaks a client written against `old`."""
    problems = _schemas(old, new)
    now = {(m, p): op for m, p, op in operations(new)}
    for method, path, op in operations(old):
        where = f"{method.upper()} {path}"
        found = now.get((method, path))
        if found is None:
            problems.append(f"{where}: removed")
            continue
        before = {(p["in"], p["name"]) for p in op.get("parameters", [])}
        for param in found.get("parameters", []):
            key = (param["in"], param["name"])
            was = next((p for p in op.get("parameters", []) if (p["in"], p["name"]) == key), None)
            if param.get("required") and (key not in before or not (was or {}).get("required")):
                problems.append(f"{where}: parameter {param['name']} newly required")
        if found.get("requestBody", {}).get("required") and not op.get("requestBody"):
            problems.append(f"{where}: request body newly required")
        for status in op["responses"]:
            if status[:1] == "2" and status not in found["responses"]:
                problems.append(f"{where}: success status {status} removed")
    return problems


def asyncapi_breaks(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What in `new` breaks a consumer written against `old`."""
    problems = _schemas(old, new)
    for name, channel in old["channels"].items():
        found = new["channels"].get(name)
        if found is None:
            problems.append(f"channel {name}: removed")
            continue
        problems += [
            f"channel {name}: message {m} removed"
            for m in channel["messages"]
            if m not in found["messages"]
        ]
        if found["x-rueda"]["key"] != channel["x-rueda"]["key"]:
            problems.append(f"channel {name}: key changed")
    return problems


@pytest.mark.parametrize(
    ("name", "build", "breaks"),
    [
        ("openapi.json", openapi_document, openapi_breaks),
        ("asyncapi.json", asyncapi_document, asyncapi_breaks),
    ],
)
def test_published_document_matches_its_snapshot(name: str, build: Any, breaks: Any) -> None:
    path = SNAPSHOTS / name
    now = json.loads(json.dumps(build()))
    pinned = json.loads(path.read_text()) if path.exists() else None
    if UPDATE:
        if pinned is not None:
            for problem in breaks(pinned, now):
                print(f"BREAKING ({name}): {problem}")
        path.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n")
        pinned = now
    assert pinned is not None, "no snapshot yet: run `make snapshots`"
    broken = breaks(pinned, now)
    assert not broken, (
        f"{name}: breaking changes to the published /v1 contract (docs/versioning.md): {broken}"
    )
    assert now == pinned, f"{name} changed: review it, then refresh with `make snapshots`"


def test_the_checks_catch_breaking_changes() -> None:
    doc = openapi_document()
    assert openapi_breaks(doc, doc) == []
    removed = json.loads(json.dumps(doc))
    del removed["paths"]["/v1/roundtables"]["post"]
    assert openapi_breaks(doc, removed) == ["POST /v1/roundtables: removed"]
    stricter = json.loads(json.dumps(doc))
    stricter["components"]["schemas"]["ReviewIn"]["required"].append("reason")
    assert openapi_breaks(doc, stricter) == ["schema ReviewIn.reason: newly required"]
    fewer = json.loads(json.dumps(doc))
    del fewer["components"]["schemas"]["Accepted"]["properties"]["status_url"]
    assert "schema Accepted.status_url: removed" in openapi_breaks(doc, fewer)
    param = json.loads(json.dumps(doc))
    get = param["paths"]["/v1/roundtables/{roundtable_id}/participants"]["get"]
    next(p for p in get["parameters"] if p["name"] == "role")["required"] = True
    assert openapi_breaks(doc, param) == [
        "GET /v1/roundtables/{roundtable_id}/participants: parameter role newly required"
    ]
    events = asyncapi_document()
    assert asyncapi_breaks(events, events) == []
    gone = json.loads(json.dumps(events))
    del gone["channels"]["deals.closed.v1"]["messages"]["DealUpdated"]
    assert asyncapi_breaks(events, gone) == ["channel deals.closed.v1: message DealUpdated removed"]
