"""The public deal contract: documented with an example in the AsyncAPI document, no contact
data, on the agency-keyed topic."""

from __future__ import annotations

import json

import pytest

from rueda.shared.asyncapi import build_asyncapi
from rueda.shared.contracts import topic
from rueda.shared.contracts.deals import DealClosed, DealUpdated

pytestmark = pytest.mark.unit


def test_the_asyncapi_document_shows_deal_closed_with_a_valid_example() -> None:
    doc = json.loads(build_asyncapi().to_specification().to_json())
    schemas = doc["components"]["schemas"]
    examples = schemas["DealClosed"]["examples"]
    assert examples
    deal = DealClosed.model_validate(examples[0])
    assert deal.status == "disputed"
    assert deal.exporter_report is not None
    assert DealUpdated.model_validate(schemas["DealUpdated"]["examples"][0]).version == 2
    channel = json.dumps(doc["channels"]["deals.closed.v1"])
    assert "agency_code" in channel
    assert "agency" in channel


def test_deals_closed_is_public_keyed_by_agency_and_free_of_contact_data() -> None:
    spec = topic("deals.closed.v1")
    assert spec.public
    assert spec.key == "agency_code"
    assert spec.messages == (DealClosed, DealUpdated)
    fields = set(DealClosed.model_fields) | set(DealUpdated.model_fields)
    assert not fields & {"email", "phone", "contact", "name", "company"}
