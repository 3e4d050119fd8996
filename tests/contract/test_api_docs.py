"""The OpenAPI document documents every operation for an integrator: what it does, who may
call it, its error codes, and request and response examples its own schemas accept.

A new route fails here until it has a docstring (its description), `responses=responses(...)`
from `rueda.gateway.openapi` (its error codes and success example) and models whose fields
carry `description=` and `examples=`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from tests.support.apidoc import openapi_document, operations

from rueda.gateway.openapi import ERROR_CODES

pytestmark = pytest.mark.unit

DOC = openapi_document()
SCHEMAS: dict[str, Any] = DOC["components"]["schemas"]
OPS = [pytest.param(op, id=f"{method} {path}") for method, path, op in operations(DOC)]


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref", "")
    return SCHEMAS[ref.rsplit("/", 1)[-1]] if ref else schema


def violations(instance: Any, schema: dict[str, Any]) -> list[str]:
    """Why `instance` does not validate against `schema` (refs into the document resolved)."""
    validator = Draft202012Validator(
        {**schema, "components": DOC["components"]}, format_checker=FormatChecker()
    )
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]


def examples_in(document: dict[str, Any]) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    """(where, example, schema) for every example the document states."""
    for name, schema in document["components"]["schemas"].items():
        for i, example in enumerate(schema.get("examples", [])):
            yield f"{name}.examples[{i}]", example, schema
        for field, spec in schema.get("properties", {}).items():
            for i, example in enumerate(spec.get("examples", [])):
                yield f"{name}.{field}.examples[{i}]", example, spec
    for method, path, op in operations(document):
        where = f"{method} {path}"
        for param in op.get("parameters", []):
            if "example" in param:
                yield f"{where} {param['name']}", param["example"], param["schema"]
        contents = [("request", op.get("requestBody", {}).get("content", {}))] + [
            (status, r.get("content", {})) for status, r in op["responses"].items()
        ]
        for label, content in contents:
            media = content.get("application/json")
            if not media or "schema" not in media:
                continue
            if "example" in media:
                yield f"{where} {label}", media["example"], media["schema"]
            for key, named in media.get("examples", {}).items():
                yield f"{where} {label} {key}", named["value"], media["schema"]


EXAMPLES = [pytest.param(e, s, id=where) for where, e, s in examples_in(DOC)]


@pytest.mark.parametrize("op", OPS)
def test_every_operation_says_what_it_does_and_who_may_call_it(op: dict[str, Any]) -> None:
    description = op.get("description", "")
    assert len(description) >= 60, f"no description (the route's docstring): {description!r}"
    assert "**Who**" in description, "say who may call it (**Who**: ...)"
    if any(status == "202" for status in op["responses"]):
        assert "**Then**" in description, "say what happens behind the 202 (**Then**: ...)"
        assert "status_url" in description, "say how to follow it (status_url)"


@pytest.mark.parametrize("op", OPS)
def test_every_operation_lists_its_error_codes(op: dict[str, Any]) -> None:
    errors = {s: r for s, r in op["responses"].items() if s[:1] in "45"}
    assert errors, "no error responses: use responses=responses(...)"
    codes: set[str] = set()
    for status, response in errors.items():
        examples = response["content"]["application/json"].get("examples", {})
        assert examples, f"{status}: no example per error code"
        for code, named in examples.items():
            assert named["value"]["error"]["code"] == code
            assert ERROR_CODES[code][0] == int(status), f"{code} is not a {status}"
            assert f"`{code}`" in response["description"]
            codes.add(code)
    assert {"validation_error", "invalid_token"} <= codes


@pytest.mark.parametrize("op", OPS)
def test_every_operation_has_request_and_response_examples(op: dict[str, Any]) -> None:
    body = op.get("requestBody", {}).get("content", {}).get("application/json")
    if body is not None:
        assert "example" in body or resolve(body["schema"]).get("examples"), "request example"
    ok = [r for s, r in op["responses"].items() if s[:1] == "2"]
    assert ok, "no success response"
    for response in ok:
        media = response.get("content", {}).get("application/json")
        if media is not None:
            assert "example" in media, "no success example: responses(..., example=...)"


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_schema_and_field_has_a_description_and_an_example(name: str) -> None:
    schema = SCHEMAS[name]
    assert schema.get("description"), "no description (the model's docstring)"
    assert schema.get("examples") or "enum" in schema, "no example (json_schema_extra)"
    for field, spec in schema.get("properties", {}).items():
        assert spec.get("description"), f"{field}: no description"
        candidates = [spec, spec.get("items", {}), *spec.get("anyOf", [])]
        referenced = [resolve(s) for s in candidates if "$ref" in s]
        assert spec.get("examples") or any(r.get("examples") for r in referenced), (
            f"{field}: no example"
        )


@pytest.mark.parametrize(("example", "schema"), EXAMPLES)
def test_every_example_validates_against_its_schema(example: Any, schema: dict[str, Any]) -> None:
    assert violations(example, schema) == []


def test_the_validator_refuses_a_wrong_example() -> None:
    accepted = {"$ref": "#/components/schemas/Accepted"}
    assert (
        violations({"command_id": "c", "status_url": "/v1/x", "status": "pending"}, accepted) == []
    )
    assert violations({"command_id": 1, "status_url": "/v1/x", "status": "pending"}, accepted)
    assert violations({"command_id": "c", "status": "pending"}, accepted) == [
        "[]: 'status_url' is a required property"
    ]
