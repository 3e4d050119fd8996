"""Each service package shows a deliberate face (its composition root), and every public
contract is described, so the AsyncAPI document explains every message."""

from __future__ import annotations

import importlib
import json

import pytest

from rueda.shared.asyncapi import build_asyncapi
from rueda.shared.contracts import TOPICS, Contract, message_types

pytestmark = pytest.mark.unit

FACES = {
    "rueda.registration": {"RegistrationSettings", "create_app", "main"},
    "rueda.matching": {"MatchingSettings", "create_app", "main"},
    "rueda.scheduling": {"SchedulingSettings", "create_app", "main"},
    "rueda.notifications": {"NotificationsSettings", "create_app", "main"},
    "rueda.deals": {"DealsSettings", "create_app", "main"},
    "rueda.gateway": {"GatewaySettings", "create_app", "main"},
}


@pytest.mark.parametrize("name", list(FACES))
def test_each_service_exports_its_composition_root(name: str) -> None:
    package = importlib.import_module(name)
    assert set(package.__all__) == FACES[name]
    app = importlib.import_module(f"{name}.app")
    for exported in package.__all__:
        assert getattr(package, exported) is getattr(app, exported), exported
    with pytest.raises(AttributeError):
        _ = package.no_such_name


def test_every_contract_has_its_own_docstring() -> None:
    undescribed = [
        name
        for name, model in sorted(message_types().items())
        if not (model.__dict__.get("__doc__") or "").strip() or model.__doc__ == Contract.__doc__
    ]
    assert undescribed == []


def test_the_asyncapi_document_describes_every_message() -> None:
    doc = json.loads(build_asyncapi().to_specification().to_json())
    schemas = doc["components"]["schemas"]
    for spec in TOPICS:
        for model in spec.messages:
            schema = schemas[f"{model.event_type()}Message"]
            assert schema.get("description", "").strip(), model.event_type()
