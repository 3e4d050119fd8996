"""The matching domain shows its face and stays free of I/O."""

from __future__ import annotations

import ast
import inspect
import pathlib

import pytest

import rueda.matching.domain as domain

pytestmark = pytest.mark.unit

EXPECTED = {
    "SCORE_RESOLUTION",
    "AgreedPair",
    "Calendar",
    "MatchBook",
    "MeetingRequest",
    "PairScore",
    "Participant",
    "Proposal",
    "RequestRefusedError",
    "RequestStatus",
    "Role",
    "ScoreMatrix",
    "ScoreWeights",
    "Selection",
    "SlotGrid",
    "Wants",
    "Window",
    "any_common_slot",
    "clear_caches",
    "commitments",
    "expired_requests",
    "normalise",
    "open_request",
    "quantise",
    "requests_withdrawn_with",
    "respond_to_request",
    "score_matrix",
    "score_pair",
    "select_meetings",
    "slot_mask",
    "slot_masks",
    "top_k",
}
ALLOWED_ROOTS = {
    "__future__",
    "collections",
    "dataclasses",
    "datetime",
    "functools",
    "math",
    "numpy",
    "re",
    "typing",
    "zoneinfo",
}


def test_exported_names_stay_as_intended() -> None:
    assert set(domain.__all__) == EXPECTED
    for name in domain.__all__:
        assert getattr(domain, name) is not None


def test_public_classes_and_functions_have_docstrings() -> None:
    for name in domain.__all__:
        member = getattr(domain, name)
        if inspect.isclass(member) or inspect.isfunction(member):
            assert member.__doc__, name


def test_domain_imports_nothing_with_io() -> None:
    package = pathlib.Path(domain.__file__).parent
    for module in package.glob("*.py"):
        tree = ast.parse(module.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                roots = {node.module.split(".")[0]}
            else:
                continue
            assert roots <= ALLOWED_ROOTS, (module.name, roots)
