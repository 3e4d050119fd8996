# Rueda: every target does its own set-up on a fresh machine (uv, Python packages, Kafka jars).
UV := ./scripts/uv.sh
PYTEST_ARGS ?=

.PHONY: help sync lint test test-unit test-integration test-e2e test-reliability demo bench infra-up infra-down asyncapi

help:
	@echo "make test   - install everything, start Kafka and SecantusDB, run every test tier, stop them"
	@echo "make demo   - replay the 2020 Pacific Alliance round through the real pipeline"
	@echo "make lint   - ruff and mypy"

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
	$(UV) run faststream docs gen --factory rueda.shared.asyncapi:docs_app -o docs/asyncapi.json
