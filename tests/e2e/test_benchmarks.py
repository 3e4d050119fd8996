"""Smoke test of the pipeline and scale benchmarks: each runs at a tiny size, as
`rueda bench NAME --json`, and prints its JSON keys. No timing is asserted."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from tests.support.servers import Servers

from rueda.cli.infra import repo_root

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(420)]


def bench(servers: Servers, name: str, *args: str) -> dict[str, object]:
    env = {
        **os.environ,
        "RUEDA_KAFKA_BOOTSTRAP": servers.kafka_bootstrap,
        "RUEDA_MONGO_URI": servers.mongo_uri,
        "RUEDA_KAFKA_IDEMPOTENCE": str(servers.idempotence).lower(),
    }
    done = subprocess.run(
        [sys.executable, "-m", "rueda.cli.main", "bench", name, "--json", *args],
        env=env,
        cwd=repo_root(),
        capture_output=True,
        text=True,
        timeout=400,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 1, done.stdout[-2000:]
    document: dict[str, object] = json.loads(lines[0])
    return document


def test_pipeline_benchmark_prints_its_figures(servers: Servers) -> None:
    result = bench(servers, "pipeline", "--meetings", "4", "--warmup", "1", "--within", "120")
    assert result["benchmark"] == "pipeline"
    assert {"baseline", "pipeline", "ratios", "targets", "peak_rss_kb"} <= set(result)
    pipeline = result["pipeline"]
    assert isinstance(pipeline, dict)
    for phase in ("paced", "burst"):
        figures = pipeline[phase]
        assert {"per_s", "p50_ms", "p99_ms", "us_per_message"} <= set(figures)
        assert figures["messages"] == 4
        assert figures["incomplete"] == 0
    assert pipeline["duplicate_invites"] == 0
    baseline = result["baseline"]
    assert isinstance(baseline, dict)
    assert baseline["paced"]["messages"] == 4
    assert set(result["peak_rss_kb"]) >= {"scheduling", "notifications", "gateway"}  # type: ignore[arg-type]


def test_scale_benchmark_prints_its_figures(servers: Servers) -> None:
    result = bench(servers, "scale", "--size", "0.005", "--give-up", "10", "--quiet")
    assert result["benchmark"] == "scale"
    assert result["exporters"] == 8
    assert result["importers"] == 3
    seconds = result["seconds"]
    assert isinstance(seconds, dict)
    assert {"register", "approve", "match_and_schedule", "notify", "total"} <= set(seconds)
    assert isinstance(result["meetings_scheduled"], int)
    assert result["meetings_scheduled"] > 0
    assert result["validator_violations"] == 0
    assert result["duplicate_emails"] == 0
    assert result["invitations"] == result["invitations_expected"]
    assert set(result["peak_rss_kb"]) >= {"registration", "matching", "scheduling"}  # type: ignore[arg-type]


def test_oidc_outage_benchmark_prints_its_figures(servers: Servers) -> None:
    result = bench(servers, "oidc_outage", "--clients", "2", "--requests", "5")
    assert result["benchmark"] == "oidc_outage"
    for kind in ("gateway_tokens", "provider_tokens"):
        phases = result[kind]
        assert isinstance(phases, dict)
        for phase in ("provider_healthy", "provider_hanging"):
            assert phases[phase]["n"] == 10
            assert {"p50_ms", "p99_ms", "max_ms"} <= set(phases[phase])
