"""How well the published API documents itself: counts over the gateway's OpenAPI document.

`./scripts/uv.sh run python -m tests.support.apidoc` prints them (issue 23 quotes the figures
before and after). The tests in tests/contract/test_api_docs.py assert the same properties
one operation and one schema at a time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

__all__ = ["coverage", "openapi_document", "operations", "schema_fields"]

METHODS = ("get", "put", "post", "delete", "patch")


def openapi_document() -> dict[str, Any]:
    """The gateway's `/openapi.json`, built in-process (no servers)."""
    from rueda.gateway.app import GatewaySettings, create_app

    document: dict[str, Any] = create_app(GatewaySettings(env="development")).openapi()
    return document


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(method, path, operation) for every operation of the document."""
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                yield method, path, item[method]


def schema_fields(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(schema, field, field schema) for every property of every component schema."""
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        for field, spec in schema.get("properties", {}).items():
            yield name, field, spec


def _has_example(spec: dict[str, Any], schemas: dict[str, Any] | None = None) -> bool:
    """An example on the schema itself, or on the schema it refers to (a `$ref`, an
    optional `$ref`, an array of `$ref`)."""
    if spec.get("examples") or "example" in spec:
        return True
    schemas = schemas or {}
    for candidate in [spec.get("items", {}), *spec.get("anyOf", []), spec]:
        ref = candidate.get("$ref", "")
        if ref and schemas.get(ref.rsplit("/", 1)[-1], {}).get("examples"):
            return True
    return False


def _error_codes_documented(operation: dict[str, Any]) -> bool:
    errors = {k: v for k, v in operation.get("responses", {}).items() if k[:1] in "45"}
    return bool(errors) and all(
        (v.get("content", {}).get("application/json", {}).get("examples")) for v in errors.values()
    )


def _operation_has_examples(operation: dict[str, Any], schemas: dict[str, Any]) -> bool:
    bodies = [operation.get("requestBody", {}).get("content", {})] + [
        r.get("content", {}) for k, r in operation.get("responses", {}).items() if k[:1] == "2"
    ]
    medias = [m for content in bodies for m in content.values()]
    return bool(medias) and all(
        _has_example(m) or _has_example(m.get("schema", {}), schemas) for m in medias
    )


def coverage(document: dict[str, Any]) -> dict[str, int]:
    ops = [op for _, _, op in operations(document)]
    schemas = document.get("components", {}).get("schemas", {})
    fields = list(schema_fields(document))
    return {
        "operations": len(ops),
        "operations with a description": sum(bool(op.get("description")) for op in ops),
        "operations with error codes documented": sum(_error_codes_documented(op) for op in ops),
        "operations with request/response examples": sum(
            _operation_has_examples(op, schemas) for op in ops
        ),
        "schemas": len(schemas),
        "schemas with a description": sum(bool(s.get("description")) for s in schemas.values()),
        "schemas with an example": sum(_has_example(s) for s in schemas.values()),
        "fields": len(fields),
        "fields with a description": sum(bool(f.get("description")) for _, _, f in fields),
        "fields with an example": sum(_has_example(f, schemas) for _, _, f in fields),
    }


if __name__ == "__main__":
    print(json.dumps(coverage(openapi_document()), indent=1))
