"""Match proposals of a roundtable: top-k counterparts per participant, kept up to date.

`MatchBook` holds the approved participants and their proposals. `rebuild` scores the
whole roundtable; `approve` and `withdraw` score only the participant concerned against
the other role and then touch only the lists it enters or leaves (a list that loses a
member is recomputed from its owner's single row or column). Both report which
participants' proposals changed, and both end in the same state as a full rebuild.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from .model import Calendar, Participant, ScoreWeights
from .scoring import ScoreMatrix, score_matrix, score_pair
from .topk import SCORE_RESOLUTION, quantise, top_k

__all__ = ["MatchBook", "Proposal"]


@dataclass(frozen=True, slots=True)
class Proposal:
    """One proposed counterpart with its score (in thousandths precision) and reasons."""

    counterpart_id: str
    score: float
    reasons: tuple[str, ...]

    @property
    def sort_key(self) -> tuple[int, str]:
        """Stable order: score descending, then counterpart id ascending."""
        return (-quantise(self.score), self.counterpart_id)

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form, the shape of the `MatchProposal` contract."""
        return {
            "counterpart_id": self.counterpart_id,
            "score": self.score,
            "reasons": list(self.reasons),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Proposal:
        """Inverse of `to_dict`."""
        return cls(
            counterpart_id=str(data["counterpart_id"]),
            score=float(data["score"]),
            reasons=tuple(str(r) for r in cast("list[Any]", data["reasons"])),
        )


class MatchBook:
    """Approved participants of one roundtable and their top-k proposals."""

    def __init__(
        self,
        calendar: Calendar,
        *,
        top_k: int = 10,
        weights: ScoreWeights | None = None,
        participants: Iterable[Participant] = (),
        proposals: dict[str, tuple[Proposal, ...]] | None = None,
    ) -> None:
        if top_k < 1:
            raise ValueError("top_k must be at least 1")
        self.calendar = calendar
        self.top_k = top_k
        self.weights = weights or ScoreWeights()
        self.participants: dict[str, Participant] = {p.participant_id: p for p in participants}
        self._proposals: dict[str, tuple[Proposal, ...]] = dict(proposals or {})

    # -- reading -----------------------------------------------------------------------

    def proposals(self, participant_id: str) -> tuple[Proposal, ...]:
        """The participant's proposals, best first (empty if unknown or none)."""
        return self._proposals.get(participant_id, ())

    def all_proposals(self) -> dict[str, tuple[Proposal, ...]]:
        """Every approved participant's proposals (possibly empty), by participant id."""
        return {pid: self._proposals.get(pid, ()) for pid in sorted(self.participants)}

    def by_role(self, role: str) -> list[Participant]:
        """Approved participants of one role, sorted by id."""
        return sorted(
            (p for p in self.participants.values() if p.role == role),
            key=lambda p: p.participant_id,
        )

    def score_matrix(self) -> ScoreMatrix:
        """Scores of every approved exporter against every approved importer."""
        return score_matrix(
            self.by_role("exporter"), self.by_role("importer"), self.calendar, self.weights
        )

    # -- changing ----------------------------------------------------------------------

    def rebuild(self) -> tuple[str, ...]:
        """Recompute every proposal from scratch; return the ids whose proposals changed."""
        matrix = self.score_matrix()
        fresh: dict[str, tuple[Proposal, ...]] = {}
        fresh.update(self._lists(matrix.exporter_ids, matrix.importer_ids, matrix.scores))
        fresh.update(self._lists(matrix.importer_ids, matrix.exporter_ids, matrix.scores.T))
        return self._replace(fresh, set(self._proposals) | set(fresh))

    def approve(self, participant: Participant) -> tuple[str, ...]:
        """Add (or update) an approved participant; return the ids whose proposals changed.

        Scores only this participant against the other role. The participant's own id is
        always included (its proposals were just computed, possibly empty).
        """
        pid = participant.participant_id
        others = [
            p
            for p in self.by_role("importer" if participant.role == "exporter" else "exporter")
            if p.participant_id != pid
        ]
        # Score before changing anything: a bad profile (unknown time zone) raises here and
        # leaves the book as it was.
        if participant.role == "exporter":
            row = score_matrix([participant], others, self.calendar, self.weights).scores[0]
        else:
            row = score_matrix(others, [participant], self.calendar, self.weights).scores[:, 0]
        changed: set[str] = set()
        if pid in self.participants:
            changed.update(self.withdraw(pid))
        self.participants[pid] = participant
        other_ids = tuple(p.participant_id for p in others)
        own = self._lists((pid,), other_ids, row[None, :])
        updates: dict[str, tuple[Proposal, ...]] = dict(own)
        for col in np.flatnonzero(row > 0):
            other_id = other_ids[int(col)]
            current = self._proposals.get(other_id, ())
            candidate = Proposal(pid, quantise(float(row[col])) / SCORE_RESOLUTION, ())
            if len(current) >= self.top_k and candidate.sort_key >= current[-1].sort_key:
                continue
            candidate = self._proposal(other_id, pid, candidate.score)
            merged = sorted((*current, candidate), key=lambda p: p.sort_key)
            updates[other_id] = tuple(merged[: self.top_k])
        changed.update(self._replace(updates, set(updates)))
        changed.add(pid)
        return tuple(sorted(changed))

    def withdraw(self, participant_id: str) -> tuple[str, ...]:
        """Remove a participant; return the ids (other than its own) whose proposals changed.

        Only the lists that contained it are recomputed, from their owners' rows or columns.
        """
        participant = self.participants.pop(participant_id, None)
        self._proposals.pop(participant_id, None)
        if participant is None:
            return ()
        affected = sorted(
            pid
            for pid, proposals in self._proposals.items()
            if any(p.counterpart_id == participant_id for p in proposals)
        )
        if not affected:
            return ()
        owners = [self.participants[pid] for pid in affected]
        if participant.role == "exporter":
            matrix = score_matrix(self.by_role("exporter"), owners, self.calendar, self.weights)
            fresh = self._lists(matrix.importer_ids, matrix.exporter_ids, matrix.scores.T)
        else:
            matrix = score_matrix(owners, self.by_role("importer"), self.calendar, self.weights)
            fresh = self._lists(matrix.exporter_ids, matrix.importer_ids, matrix.scores)
        return self._replace(fresh, set(fresh))

    # -- persistence -------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict state (JSON/BSON friendly)."""
        return {
            "calendar": self.calendar.to_dict(),
            "top_k": self.top_k,
            "weights": self.weights.to_dict(),
            "participants": [self.participants[pid].to_dict() for pid in sorted(self.participants)],
            "proposals": {
                pid: [p.to_dict() for p in proposals]
                for pid, proposals in sorted(self._proposals.items())
            },
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MatchBook:
        """Inverse of `to_dict`."""
        raw_proposals = cast("dict[str, list[dict[str, Any]]]", data.get("proposals") or {})
        return cls(
            Calendar.from_dict(cast("dict[str, Any]", data["calendar"])),
            top_k=int(data.get("top_k", 10)),
            weights=ScoreWeights.from_dict(cast("dict[str, Any]", data.get("weights") or {})),
            participants=(
                Participant.from_dict(item)
                for item in cast("list[dict[str, Any]]", data.get("participants") or [])
            ),
            proposals={
                pid: tuple(Proposal.from_dict(item) for item in items)
                for pid, items in raw_proposals.items()
            },
        )

    # -- internals ---------------------------------------------------------------------

    def _proposal(self, owner_id: str, counterpart_id: str, score: float) -> Proposal:
        existing = next(
            (p for p in self._proposals.get(owner_id, ()) if p.counterpart_id == counterpart_id),
            None,
        )
        if existing is not None and existing.score == score:
            return existing
        owner, counterpart = self.participants[owner_id], self.participants[counterpart_id]
        exporter, importer = (
            (owner, counterpart) if owner.role == "exporter" else (counterpart, owner)
        )
        reasons = score_pair(exporter, importer, self.calendar, self.weights).reasons
        return Proposal(counterpart_id, score, reasons)

    def _lists(
        self,
        owner_ids: tuple[str, ...],
        counterpart_ids: tuple[str, ...],
        scores: npt.NDArray[np.float32],
    ) -> dict[str, tuple[Proposal, ...]]:
        columns, thousandths = top_k(scores, self.top_k)
        lists: dict[str, tuple[Proposal, ...]] = {}
        for row, owner_id in enumerate(owner_ids):
            lists[owner_id] = tuple(
                self._proposal(owner_id, counterpart_ids[int(col)], int(q) / SCORE_RESOLUTION)
                for col, q in zip(columns[row], thousandths[row], strict=True)
                if q > 0
            )
        return lists

    def _replace(
        self, fresh: dict[str, tuple[Proposal, ...]], candidates: set[str]
    ) -> tuple[str, ...]:
        changed = []
        for pid in sorted(candidates):
            new = fresh.get(pid, ())
            if self._proposals.get(pid, ()) != new:
                changed.append(pid)
            if pid in self.participants:
                self._proposals[pid] = new
            else:
                self._proposals.pop(pid, None)
        return tuple(changed)
