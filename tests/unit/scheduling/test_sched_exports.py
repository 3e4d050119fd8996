"""The scheduling domain shows a deliberate public face, and stays free of I/O imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import rueda.scheduling.domain as domain

pytestmark = pytest.mark.unit


def test_exported_names_stay_as_intended() -> None:
    assert sorted(domain.__all__) == [
        "Calendar",
        "CalendarSettings",
        "Changes",
        "Meeting",
        "MeetingStatus",
        "Move",
        "Party",
        "PlacedMeeting",
        "ReasonCode",
        "Request",
        "Schedule",
        "SolveResult",
        "Unschedulable",
        "Violation",
        "ViolationCode",
        "Window",
        "parse_local_time",
        "solve",
        "upper_bound",
        "validate",
    ]
    for name in domain.__all__:
        assert getattr(domain, name) is not None


def test_domain_imports_no_io_library() -> None:
    forbidden = {"faststream", "pymongo", "httpx", "structlog", "aiokafka", "motor"}
    folder = Path(domain.__file__).parent
    for source in folder.glob("*.py"):
        tree = ast.parse(source.read_text())
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in forbidden, f"{source.name} imports {name}"
