# Rueda: every target does its own set-up on a fresh machine (uv, Python packages, Kafka jars).
UV := ./scripts/uv.sh
PYTEST_ARGS ?=

.PHONY: help sync lint test test-unit test-integration test-e2e test-reliability demo bench infra-up infra-down asyncapi snapshots client regenerate

help:
	@echo "make test   - install everything, start Kafka and SecantusDB, run every test tier, stop them"
	@echo "make demo   - replay the 2020 Pacific Alliance round through the real pipeline"
	@echo "make lint   - ruff and mypy"
	@echo "make regenerate - refresh the contract snapshots (events, OpenAPI, AsyncAPI) and the client"

sync:
	$(UV) sync --frozen

lint: sync
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run mypy shared/src services cli/src

# `rueda infra run` starts what is not running, runs the command with RUEDA_KAFKA_BOOTSTRAP and
# RUEDA_MONGO_URI set, and stops what it started.
test: lint
	$(UV) run rueda infra run -- $(UV) run pytest $(PYTEST_ARGS)

test-unit: sync
	$(UV) run pytest -m unit $(PYTEST_ARGS)

test-integration: sync
	$(UV) run rueda infra run -- $(UV) run pytest -m integration $(PYTEST_ARGS)

test-e2e: sync
	$(UV) run rueda infra run -- $(UV) run pytest -m e2e $(PYTEST_ARGS)

test-reliability: sync
	$(UV) run rueda infra run -- $(UV) run pytest -m reliability $(PYTEST_ARGS)

# replays the 2020 Pacific Alliance round through the real pipeline and prints its report
demo: sync
	$(UV) run rueda demo

infra-up: sync
	$(UV) run rueda infra up

infra-down: sync
	$(UV) run rueda infra down

asyncapi: sync
	$(UV) run python -c "import json; from rueda.shared.asyncapi import asyncapi_document as d; print(json.dumps(d(), indent=1))" > docs/asyncapi.json

# After a deliberate change of the published contract (routes, API schemas, contracts, topics):
# refresh the snapshots of the event schemas, the OpenAPI and the AsyncAPI documents (printing
# any BREAKING change first), then regenerate the typed client from the new OpenAPI snapshot.
snapshots: sync
	RUEDA_UPDATE_SNAPSHOTS=1 $(UV) run pytest -m unit -q -p no:cacheprovider tests/contract/test_schema_snapshots.py tests/contract/test_api_snapshots.py -s

client: sync
	$(UV) run python clients/generate.py

regenerate: snapshots client
