"""Fakes of the messaging ports, for unit tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from rueda.shared.messaging import RawRecord


@dataclass
class DeadLetter:
    record: RawRecord
    error: BaseException
    stage: str
    attempts: int
    group: str


@dataclass
class MemoryDeadLetters:
    """Keeps dead letters in a list; optionally fails like an unreachable broker."""

    letters: list[DeadLetter] = field(default_factory=list)
    fail_with: BaseException | None = None

    async def send(
        self, record: RawRecord, *, error: BaseException, stage: str, attempts: int, group: str
    ) -> None:
        if self.fail_with is not None:
            raise self.fail_with
        self.letters.append(DeadLetter(record, error, stage, attempts, group))
