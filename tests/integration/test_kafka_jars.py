"""Fetching the Kafka jars with Maven leaves stdout clean: `rueda bench ... --json` on a fresh
machine prints JSON only (Maven's terminal reset codes once broke it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rueda.cli.infra import ensure_kafka_jars

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]


def test_fetching_the_jars_prints_nothing_on_stdout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RUEDA_HOME", str(tmp_path))
    libs = ensure_kafka_jars()
    out, _ = capfd.readouterr()
    assert out == ""
    assert (libs / ".complete").exists()
    assert any(jar.name.startswith("kafka_2.13-") for jar in libs.glob("*.jar"))
