"""The matching benchmark still runs and agrees with its reference (tiny size)."""

from __future__ import annotations

import importlib.util
import json
import pathlib
import sys

import pytest

pytestmark = pytest.mark.unit

BENCH = pathlib.Path(__file__).parents[3] / "bench" / "matching.py"


def test_bench_prints_one_json_object(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = importlib.util.spec_from_file_location("rueda_bench_matching", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    argv = ["--json", "--exporters", "80", "--importers", "30", "--sample", "300", "--repeats", "1"]
    assert module.main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["pairs"] == 80 * 30
    assert report["max_abs_diff"] == 0.0
    for key in (
        "seconds",
        "reference_seconds",
        "speedup",
        "selection_total_score",
        "share_exporters_at_min",
        "selection_seconds",
    ):
        assert key in report
    assert report["share_exporters_at_min"] >= report["greedy_share_exporters_at_min"]
