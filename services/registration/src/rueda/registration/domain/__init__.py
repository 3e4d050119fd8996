"""Registration's domain: pure rules, no I/O."""

from .rules import (
    ExistingParticipant,
    Problem,
    ReviewerScope,
    Status,
    find_duplicate,
    may_review,
    normalise_company,
    normalise_tax_id,
    review_outcome,
    validate_participant,
    validate_roundtable,
)

__all__ = [
    "ExistingParticipant",
    "Problem",
    "ReviewerScope",
    "Status",
    "find_duplicate",
    "may_review",
    "normalise_company",
    "normalise_tax_id",
    "review_outcome",
    "validate_participant",
    "validate_roundtable",
]
