"""The matching domain: pure Python and numpy, no I/O.

* `Participant`, `Calendar`, `ScoreWeights`: what matching knows of a roundtable.
* `score_pair` (readable, with reasons) and `score_matrix` (every pair at once, numpy).
* `MatchBook`: top-k proposals per participant, updated incrementally on approval and
  withdrawal, serialisable to plain dicts.
* `select_meetings`: auto-mode selection with caps, a fairness floor and stability.
* `open_request`, `respond_to_request`, `expired_requests`: request-mode rules.
"""

from .availability import SlotGrid, any_common_slot, slot_mask, slot_masks
from .model import Calendar, Participant, Role, ScoreWeights, Wants, Window, normalise
from .proposals import MatchBook, Proposal
from .requests import (
    MeetingRequest,
    RequestRefusedError,
    RequestStatus,
    commitments,
    expired_requests,
    open_request,
    requests_withdrawn_with,
    respond_to_request,
)
from .scoring import PairScore, ScoreMatrix, clear_caches, score_matrix, score_pair
from .selection import AgreedPair, Selection, select_meetings
from .topk import SCORE_RESOLUTION, quantise, top_k

__all__ = [
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
]
