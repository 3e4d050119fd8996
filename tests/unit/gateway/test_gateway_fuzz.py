"""schemathesis against the gateway's OpenAPI: no 5xx, every response matches the schema.

The gateway runs in-process with fakes beside its ports (a recording bus, an in-memory
registration read API), as an admin and as an anonymous caller."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import Case
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from tests.support.counters import COUNTS
from tests.support.gateway import gateway, token

pytestmark = pytest.mark.unit

app, bus, _ = gateway()
schema = schemathesis.openapi.from_asgi("/openapi.json", app)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
ADMIN = {"Authorization": f"Bearer {token('admin', roundtable=None)}"}


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_gateway_as_admin(case: Case) -> None:
    COUNTS["schemathesis cases (admin)"] += 1
    case.call_and_validate(headers=ADMIN, checks=CHECKS)


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_gateway_anonymous(case: Case) -> None:
    COUNTS["schemathesis cases (anonymous)"] += 1
    case.call_and_validate(checks=CHECKS)
