"""Use cases of the scheduling service: message -> domain -> repository + outbox.

Every handler runs the same way: under the roundtable's in-process lock, inside one MongoDB
transaction (inbox record, schedule changes, command status and outbox events commit
together), on the roundtable's current schedule. The domain decides; this module turns its
`Changes` into events:

- `placed`    -> `MeetingScheduled` (a video room is assigned on the first placement);
- `moved`     -> `MeetingRescheduled` (previous start, raised sequence);
- `unscheduled` (only a re-optimisation that places more meetings in total does this) ->
  `MeetingUnschedulable` with `previous_starts_at` and the raised `sequence`: the meeting
  waits again and any invitation for its old slot must be withdrawn;
- `waiting`   -> `MeetingUnschedulable` for the meeting the message was about. Waiting
  meetings retried after a cancellation and still not placeable are not announced again
  (their stored reason is refreshed).

Business refusals never raise: they emit `CommandRejected` and store the command's status.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import structlog

from rueda.shared.contracts import CalendarSettings as CalendarSettingsContract
from rueda.shared.contracts import Envelope, Event, topic, utcnow
from rueda.shared.contracts.matching import MeetingAgreed, MeetingAgreementWithdrawn, PartyCalendar
from rueda.shared.contracts.scheduling import (
    CancelMeeting,
    LockMeeting,
    MeetingCancelled,
    MeetingHeld,
    MeetingLockChanged,
    MeetingNoShow,
    MeetingRescheduled,
    MeetingScheduled,
    MeetingUnschedulable,
    OptimizeSchedule,
    RecordAttendance,
    RescheduleMeeting,
    ScheduleOptimized,
)
from rueda.shared.messaging import Transaction, UnitOfWork, message_context, per_roundtable

from .adapters.mongo import CommandLog, ScheduleRepository
from .adapters.video import VideoRooms
from .domain import CalendarSettings, Changes, Meeting, Party, Window, parse_local_time
from .state import PartyInfo, RoundtableState

__all__ = ["Clock", "SchedulingHandlers", "calendar_settings", "party"]

log = structlog.get_logger("rueda.scheduling")

EVENTS = topic("scheduling.events.v1")
_BEFORE_EVERYTHING = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
Clock = Callable[[], dt.datetime]


class RefusedError(Exception):
    """A command the schedule refuses; becomes `CommandRejected`, never a retry."""

    def __init__(self, code: str, reason: str, **details: Any) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.details = details


@dataclass
class _Effects:
    """What one message produced, written and emitted in its transaction."""

    events: list[Event] = field(default_factory=list)
    status: str | None = None
    meeting_id: str | None = None
    rejection: RefusedError | None = None


# what a message does to a roundtable's state (None before its first meeting)
Work = Callable[[RoundtableState | None, dt.datetime, _Effects], RoundtableState | None]


def calendar_settings(
    contract: CalendarSettingsContract, min_per_exporter: int
) -> CalendarSettings:
    """The domain's calendar rules from the contract's."""
    return CalendarSettings(
        days=tuple(sorted(contract.days)),
        slot_minutes=contract.slot_minutes,
        buffer_minutes=contract.buffer_minutes,
        default_window=(
            parse_local_time(contract.default_window.start),
            parse_local_time(contract.default_window.end),
        ),
        max_meetings_per_day=contract.max_meetings_per_day,
        min_meetings_per_exporter=min_per_exporter,
        format=contract.format,
        venue_timezone=contract.venue_timezone,
        tables=tuple(contract.table_numbers),
        lunch_break=None
        if contract.lunch_break is None
        else (
            parse_local_time(contract.lunch_break.start),
            parse_local_time(contract.lunch_break.end),
        ),
        max_idle_gap_spread=contract.max_idle_gap_spread,
    )


def party(calendar: PartyCalendar) -> Party:
    """The domain's party from a party calendar of `MeetingAgreed`."""
    return Party(
        participant_id=calendar.participant_id,
        timezone=calendar.timezone,
        availability=tuple(
            Window(w.date, parse_local_time(w.start), parse_local_time(w.end))
            for w in calendar.availability
        ),
        attendance=calendar.attendance,
    )


class SchedulingHandlers:
    """The scheduling use cases, one method per message type."""

    def __init__(
        self,
        uow: UnitOfWork,
        repository: ScheduleRepository,
        commands: CommandLog,
        rooms: VideoRooms,
        *,
        group: str,
        clock: Clock = utcnow,
        optimize_budget_s: float = 1.0,
        placement_max_moves: int = 0,
        replay: bool = False,
    ) -> None:
        self._uow = uow
        self._repo = repository
        self._commands = commands
        self._rooms = rooms
        self._group = group
        self._clock = clock
        self._optimize_budget_s = optimize_budget_s
        self._max_moves = placement_max_moves
        self._replay = replay
        self._locks: dict[str, asyncio.Lock] = {}

    # the one way messages are handled -------------------------------------------------
    async def _run(
        self,
        envelope: Envelope,
        work: Work,
        *,
        command: str | None = None,
    ) -> None:
        await self._run_all(envelope.roundtable_id, [(envelope, work)], command=command)

    async def _run_all(
        self,
        roundtable_id: str,
        items: Sequence[tuple[Envelope, Work]],
        *,
        command: str | None = None,
    ) -> None:
        """Apply each message's work in order to the roundtable's schedule, in one
        transaction; several only for messages that cannot be refused (a batch)."""
        batch = len(items) > 1
        assert not (batch and command), "commands are handled one at a time"
        lock = self._locks.setdefault(roundtable_id, asyncio.Lock())
        async with lock:
            state: RoundtableState | None = None
            saved = False
            try:
                async with self._uow.handling_many([e for e, _ in items], self._group) as tx:
                    if tx is None:
                        return
                    now = self._clock()
                    # replaying a past roundtable: the domain sees a time before every slot
                    as_of = _BEFORE_EVERYTHING if self._replay else now
                    state = await self._repo.get(roundtable_id, tx.session)
                    for envelope, work in items:
                        with message_context(envelope):
                            state = await self._apply(
                                envelope, work, state, tx, now, as_of, command
                            )
                        if state is None and batch:
                            raise RuntimeError("a message of the batch was refused")
                    if state is not None and (
                        state.new or state.dirty_meetings or state.dirty_parties
                    ):
                        await self._repo.save(state, tx.session, now=now)
                        saved = True
                if saved and state is not None:
                    self._repo.committed(state)
            except BaseException:
                self._repo.forget(roundtable_id)
                raise

    async def _apply(
        self,
        envelope: Envelope,
        work: Work,
        state: RoundtableState | None,
        tx: Transaction,
        now: dt.datetime,
        as_of: dt.datetime,
        command: str | None,
    ) -> RoundtableState | None:
        """One message's work on the state; its events and command status go in `tx`.
        A refusal saves nothing: the state comes back as None (and its copy is dropped)."""
        fx = _Effects()
        try:
            state = work(state, as_of, fx)
        except RefusedError as refused:
            fx.rejection = refused
            self._repo.forget(envelope.roundtable_id)
            state = None
        if command is not None:
            await self._record(envelope, command, fx, tx.session, now)
        if fx.rejection is None:
            for event in fx.events:
                tx.emit(
                    event,
                    topic=EVENTS,
                    key=envelope.roundtable_id,
                    roundtable_id=envelope.roundtable_id,
                )
        elif command is not None:
            tx.reject(
                envelope,
                topic=EVENTS,
                code=fx.rejection.code,
                reason=fx.rejection.reason,
                details=fx.rejection.details,
            )
            log.info(
                "command rejected",
                command=command,
                code=fx.rejection.code,
                reason=fx.rejection.reason,
            )
        return state

    async def _record(
        self, envelope: Envelope, command: str, fx: _Effects, session: Any, now: dt.datetime
    ) -> None:
        refused = fx.rejection
        await self._commands.record(
            session,
            command_id=str(envelope.event_id),
            roundtable_id=envelope.roundtable_id,
            command_type=command,
            status="rejected" if refused else "accepted",
            now=now,
            meeting_id=fx.meeting_id,
            code=refused.code if refused else None,
            reason=refused.reason if refused else None,
            details=refused.details if refused else None,
        )

    # events of matching ----------------------------------------------------------------
    async def meeting_agreed(self, envelope: Envelope, agreed: MeetingAgreed) -> None:
        await self._run(envelope, self._place_agreed(envelope, agreed))

    async def meetings_agreed(self, batch: Sequence[tuple[Envelope, MeetingAgreed]]) -> None:
        """Several agreed meetings (a batch subscriber's run): per roundtable, in order, one
        transaction for all of them."""
        for roundtable_id, items in per_roundtable(batch).items():
            await self._run_all(
                roundtable_id, [(e, self._place_agreed(e, agreed)) for e, agreed in items]
            )

    def _place_agreed(self, envelope: Envelope, agreed: MeetingAgreed) -> Work:
        def work(state: RoundtableState | None, now: dt.datetime, fx: _Effects) -> RoundtableState:
            settings = calendar_settings(agreed.calendar, agreed.min_meetings_per_exporter)
            if state is None:
                state = self._repo.create(envelope.roundtable_id, settings)
            elif state.schedule.calendar.settings != settings:
                log.warning(
                    "calendar settings differ from the roundtable's first; keeping the first",
                    meeting_id=agreed.meeting_id,
                )
            for side in (agreed.exporter, agreed.importer):
                state.upsert_party(
                    party(side), PartyInfo(side.participant_id, side.role, side.country)
                )
            if agreed.meeting_id in state.schedule.meetings:
                return state
            changes = state.schedule.place(
                agreed.meeting_id,
                agreed.exporter.participant_id,
                agreed.importer.participant_id,
                agreed.score,
                now=now,
                max_moves=self._max_moves,
                session=agreed.session,
            )
            self._announce(state, changes, fx, subject=agreed.meeting_id, reason="")
            state.touch(changes, agreed.meeting_id)
            return state

        return work

    async def meeting_agreement_withdrawn(
        self, envelope: Envelope, withdrawn: MeetingAgreementWithdrawn
    ) -> None:
        def work(
            state: RoundtableState | None, now: dt.datetime, fx: _Effects
        ) -> RoundtableState | None:
            if state is None or withdrawn.meeting_id not in state.schedule.meetings:
                log.warning("withdrawn meeting is unknown", meeting_id=withdrawn.meeting_id)
                return state
            meeting = state.schedule.meeting(withdrawn.meeting_id)
            if meeting.status in ("cancelled", "held", "no_show"):
                log.info("withdrawn meeting left as it is", status=meeting.status)
                return state
            self._cancel(state, meeting, now, fx, reason=withdrawn.reason)
            return state

        await self._run(envelope, work)

    # commands --------------------------------------------------------------------------
    async def cancel_meeting(self, envelope: Envelope, command: CancelMeeting) -> None:
        def work(state: RoundtableState | None, now: dt.datetime, fx: _Effects) -> RoundtableState:
            state, meeting = _find(state, command.meeting_id, fx)
            if meeting.status == "cancelled":
                raise RefusedError(
                    "already_cancelled", f"Meeting {meeting.meeting_id} is already cancelled."
                )
            if meeting.status in ("held", "no_show"):
                raise RefusedError(
                    "meeting_already_held",
                    f"Meeting {meeting.meeting_id} already took place ({meeting.status}).",
                )
            _refuse_started(meeting, now)
            self._cancel(state, meeting, now, fx, reason=command.reason)
            return state

        await self._run(envelope, work, command="CancelMeeting")

    async def reschedule_meeting(self, envelope: Envelope, command: RescheduleMeeting) -> None:
        def work(state: RoundtableState | None, now: dt.datetime, fx: _Effects) -> RoundtableState:
            state, meeting = _find(state, command.meeting_id, fx)
            if meeting.status != "scheduled":
                raise RefusedError(
                    "not_scheduled",
                    f"Meeting {meeting.meeting_id} is {meeting.status}, not scheduled.",
                )
            _refuse_started(meeting, now)
            if meeting.locked:
                raise RefusedError(
                    "meeting_locked", f"Meeting {meeting.meeting_id} is locked; unlock it first."
                )
            changes = state.schedule.reschedule(meeting.meeting_id, now=now)
            if changes.waiting:
                why = changes.waiting[0]
                raise RefusedError("no_other_slot", why.reason, reason_code=why.reason_code)
            self._announce(state, changes, fx, subject=meeting.meeting_id, reason=command.reason)
            state.touch(changes, meeting.meeting_id)
            return state

        await self._run(envelope, work, command="RescheduleMeeting")

    async def lock_meeting(self, envelope: Envelope, command: LockMeeting) -> None:
        def work(state: RoundtableState | None, now: dt.datetime, fx: _Effects) -> RoundtableState:
            state, meeting = _find(state, command.meeting_id, fx)
            if meeting.status == "cancelled":
                raise RefusedError(
                    "meeting_cancelled", f"Meeting {meeting.meeting_id} is cancelled."
                )
            if meeting.locked != command.locked:
                state.schedule.lock(meeting.meeting_id, command.locked)
                state.touch(None, meeting.meeting_id)
                fx.events.append(
                    MeetingLockChanged(meeting_id=meeting.meeting_id, locked=command.locked)
                )
            return state

        await self._run(envelope, work, command="LockMeeting")

    async def record_attendance(self, envelope: Envelope, command: RecordAttendance) -> None:
        def work(state: RoundtableState | None, now: dt.datetime, fx: _Effects) -> RoundtableState:
            state, meeting = _find(state, command.meeting_id, fx)
            if meeting.status not in ("scheduled", "held", "no_show") or meeting.starts_at is None:
                raise RefusedError(
                    "not_scheduled",
                    f"Meeting {meeting.meeting_id} is {meeting.status}, not scheduled.",
                )
            if not self._replay and now < meeting.starts_at:
                raise RefusedError(
                    "meeting_not_started",
                    f"Meeting {meeting.meeting_id} starts at {meeting.starts_at.isoformat()}; "
                    "attendance is recorded once it has started.",
                )
            if meeting.status == command.status:
                return state
            state.schedule.record_attendance(meeting.meeting_id, command.status)
            state.touch(None, meeting.meeting_id)
            kind = MeetingHeld if command.status == "held" else MeetingNoShow
            fx.events.append(
                kind(
                    meeting_id=meeting.meeting_id,
                    exporter_id=meeting.exporter_id,
                    importer_id=meeting.importer_id,
                    starts_at=meeting.starts_at,
                )
            )
            return state

        await self._run(envelope, work, command="RecordAttendance")

    async def optimize_schedule(self, envelope: Envelope, command: OptimizeSchedule) -> None:
        def work(state: RoundtableState | None, now: dt.datetime, fx: _Effects) -> RoundtableState:
            if state is None:
                raise RefusedError(
                    "no_schedule", "This roundtable has no meetings to optimise yet."
                )
            changes = state.schedule.optimize(now, time_budget=self._optimize_budget_s)
            self._announce(state, changes, fx, subject=None, reason="re-optimisation")
            state.touch(changes)
            waiting = sum(1 for m in state.schedule.meetings.values() if m.status == "waiting")
            fx.events.append(
                ScheduleOptimized(
                    moved=len(changes.moved), placed=len(changes.placed), waiting=waiting, as_of=now
                )
            )
            return state

        await self._run(envelope, work, command="OptimizeSchedule")

    # shared steps ----------------------------------------------------------------------
    def _cancel(
        self,
        state: RoundtableState,
        meeting: Meeting,
        now: dt.datetime,
        fx: _Effects,
        *,
        reason: str,
    ) -> None:
        placed_at = meeting.starts_at if meeting.status == "scheduled" else None
        changes = state.schedule.cancel(meeting.meeting_id, now=now)
        fx.events.append(
            MeetingCancelled(
                meeting_id=meeting.meeting_id,
                exporter_id=meeting.exporter_id,
                importer_id=meeting.importer_id,
                starts_at=placed_at,
                ends_at=None if placed_at is None else state.ends_at(placed_at),
                sequence=meeting.sequence,
                reason=reason,
            )
        )
        self._announce(state, changes, fx, subject=None, reason=reason)
        state.touch(changes, meeting.meeting_id)

    def _announce(
        self,
        state: RoundtableState,
        changes: Changes,
        fx: _Effects,
        *,
        subject: str | None,
        reason: str,
    ) -> None:
        schedule = state.schedule
        for move in changes.placed:
            fx.events.append(
                MeetingScheduled(**self._placed(state, schedule.meeting(move.meeting_id)))
            )
        for move in changes.moved:
            assert move.previous_starts_at is not None
            fx.events.append(
                MeetingRescheduled(
                    **self._placed(state, schedule.meeting(move.meeting_id)),
                    previous_starts_at=move.previous_starts_at,
                    reason=reason,
                )
            )
        for item in changes.unscheduled:
            meeting = schedule.meeting(item.meeting_id)
            fx.events.append(
                MeetingUnschedulable(
                    meeting_id=meeting.meeting_id,
                    exporter_id=meeting.exporter_id,
                    importer_id=meeting.importer_id,
                    reason_code=item.reason_code,
                    reason=item.reason,
                    previous_starts_at=state.last_starts.get(meeting.meeting_id),
                    sequence=meeting.sequence,
                )
            )
        for item in changes.waiting:
            if item.meeting_id != subject:
                continue
            meeting = schedule.meeting(item.meeting_id)
            fx.events.append(
                MeetingUnschedulable(
                    meeting_id=meeting.meeting_id,
                    exporter_id=meeting.exporter_id,
                    importer_id=meeting.importer_id,
                    reason_code=item.reason_code,
                    reason=item.reason,
                    sequence=meeting.sequence,
                )
            )

    def _placed(self, state: RoundtableState, meeting: Meeting) -> dict[str, Any]:
        start = meeting.starts_at
        assert start is not None
        url = state.join_urls.get(meeting.meeting_id)
        if url is None:
            url = state.join_urls[meeting.meeting_id] = self._rooms.join_url(
                state.roundtable_id, meeting.meeting_id
            )
        return {
            "meeting_id": meeting.meeting_id,
            "exporter_id": meeting.exporter_id,
            "importer_id": meeting.importer_id,
            "exporter_country": state.country(meeting.exporter_id),
            "importer_country": state.country(meeting.importer_id),
            "starts_at": start,
            "ends_at": state.ends_at(start),
            "local_times": state.local_times(meeting, start),
            "timezones": state.timezones(meeting),
            "join_url": url,
            "sequence": meeting.sequence,
            "table": meeting.table,
            "location": "" if meeting.table is None else f"Table {meeting.table}",
        }


def _find(
    state: RoundtableState | None, meeting_id: str, fx: _Effects
) -> tuple[RoundtableState, Meeting]:
    fx.meeting_id = meeting_id
    if state is None or meeting_id not in state.schedule.meetings:
        raise RefusedError("unknown_meeting", f"No meeting {meeting_id} in this roundtable.")
    return state, state.schedule.meeting(meeting_id)


def _refuse_started(meeting: Meeting, now: dt.datetime) -> None:
    if meeting.starts_at is not None and meeting.status == "scheduled" and meeting.starts_at <= now:
        raise RefusedError(
            "meeting_started",
            f"Meeting {meeting.meeting_id} started at {meeting.starts_at.isoformat()}.",
        )
