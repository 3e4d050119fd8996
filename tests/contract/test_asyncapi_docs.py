"""The AsyncAPI document documents every message and channel for an integrator: each message
its description and an example envelope its schema accepts, each channel its key,
partitions, retention and readers."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from rueda.shared.asyncapi import asyncapi_document
from rueda.shared.contracts import TOPICS, Envelope

pytestmark = pytest.mark.unit

DOC = asyncapi_document()
MESSAGES: dict[str, Any] = DOC["components"]["messages"]


def violations(instance: Any, ref: str) -> list[str]:
    validator = Draft202012Validator(
        {"$ref": ref, "components": DOC["components"]}, format_checker=FormatChecker()
    )
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_every_message_has_a_description_and_a_valid_example(name: str) -> None:
    message = MESSAGES[name]
    assert len(message["description"]) > 40, "the contract needs a docstring"
    assert message["summary"]
    (example,) = message["examples"]
    payload = example["payload"]
    assert payload["event_type"] == message["name"]
    assert violations(payload, message["payload"]["$ref"]) == []
    Envelope.model_validate(payload).payload()  # and the contract itself takes it


@pytest.mark.parametrize("spec", TOPICS, ids=[t.name for t in TOPICS])
def test_every_channel_states_key_partitions_retention_and_readers(spec: Any) -> None:
    channel = DOC["channels"][spec.name]
    assert f"Key: `{spec.key}`" in channel["description"]
    assert f"Partitions: {spec.partitions}." in channel["description"]
    assert "Retention: " in channel["description"]
    assert "may be read by" in channel["description"]
    assert channel["bindings"]["kafka"]["partitions"] == spec.partitions
    assert channel["bindings"]["kafka"]["topicConfiguration"]["retention.ms"] == spec.retention_ms
    assert channel["x-rueda"]["readers"] == list(spec.readers)
    assert set(channel["messages"]) == {m.event_type() for m in spec.messages}
    for ref in DOC["operations"][spec.name]["messages"]:
        assert ref["$ref"].rsplit("/", 1)[-1] in channel["messages"]


def test_a_wrong_example_is_refused() -> None:
    message = MESSAGES["deals.closed.v1:DealClosed"]
    payload = dict(message["examples"][0]["payload"])
    payload["data"] = {k: v for k, v in payload["data"].items() if k != "deal_id"}
    assert violations(payload, message["payload"]["$ref"]) == [
        "['data']: 'deal_id' is a required property"
    ]
