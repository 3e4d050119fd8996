"""Use cases of the matching service: message -> domain -> repository + outbox.

Each handler runs in one MongoDB transaction (`UnitOfWork.handling`): the projection,
the proposals, agreements and requests it changes, its inbox record and the events it
emits commit together, and a redelivered message finds its inbox record and does nothing.

Auto-mode re-planning is debounced per roundtable (see `Matching.replan_due`): an
approval or withdrawal updates the proposals at once but only marks the roundtable's
plan as due `replan_debounce_s` later (pushed back by every further change, but never
beyond `replan_max_delay_s` after the first one). A burst of 74 approvals thus produces
one plan, not 74 plans that each agree meetings the next one withdraws; and each plan is
made with the previous agreed pairs as `previous` (a stability bonus), so a later change
moves few agreed meetings. With `replan_debounce_s = 0` the plan is made inside the
handler of every change instead.

Announcing proposals (`MatchesProposed`) is debounced the same way (`Matching.propose_due`):
the participants whose lists changed are flagged (in the write of their new lists) and each
is announced once, with its latest list, when the roundtable is quiet. One approval changes
the lists of dozens of counterparts; announced at once, the 2,383 approvals of a Macrorrueda
emitted more than 136,000 of them, which the outbox, the notifications service and the
database carried ahead of the agreed meetings. A withdrawn participant's own empty list is
announced at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

import structlog
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import OperationFailure

from rueda.shared.contracts import Command, Envelope, Session, topic
from rueda.shared.contracts.matching import (
    MatchesProposed,
    MeetingAgreed,
    MeetingAgreementWithdrawn,
    MeetingRequestDeclined,
    MeetingRequested,
    MeetingRequestExpired,
    PartyCalendar,
    RequestMeeting,
    RespondToMeetingRequest,
)
from rueda.shared.contracts.registration import (
    ParticipantApproved,
    ParticipantWithdrawn,
    RoundtableOpened,
)
from rueda.shared.messaging import Transaction, UnitOfWork, per_roundtable

from .adapters.mongo import Agreement, MatchingStore, RoundtableConfig, StoredParticipant
from .domain import (
    MatchBook,
    RequestRefusedError,
    open_request,
    requests_withdrawn_with,
    respond_to_request,
    score_pair,
    select_meetings,
)
from .translate import calendar_of, match_proposals, meeting_id, participant_of, party_of

__all__ = ["Clock", "Matching", "UnknownRoundtableError"]

log = structlog.get_logger("rueda.matching")

EVENTS = topic("matching.events.v1")
Clock = Callable[[], dt.datetime]

WITHDRAWN_REASON = "participant_withdrawn"
REPLANNED_REASON = "replanned"


class UnknownRoundtableError(LookupError):
    """A participant event for a roundtable matching never saw opened (dead-lettered)."""


@dataclass
class _Loaded:
    """A roundtable's state as one handler works on it."""

    config: RoundtableConfig
    book: MatchBook
    parties: dict[str, PartyCalendar]
    version: int = 0


_BOOKS_KEPT = 8


class Matching:
    """The matching service's use cases, over a unit of work and a clock."""

    def __init__(
        self,
        uow: UnitOfWork,
        *,
        group: str,
        clock: Clock,
        replan_debounce_s: float = 2.0,
        replan_max_delay_s: float = 20.0,
        stores: Callable[[AsyncClientSession | None], MatchingStore] | None = None,
    ) -> None:
        self._uow = uow
        # the repository over a transaction's session (MongoDB's unless tests give another)
        self._stores = stores or (lambda session: MatchingStore(uow.db, session))
        self._group = group
        self._clock = clock
        self._debounce = dt.timedelta(seconds=replan_debounce_s)
        self._max_delay = dt.timedelta(seconds=max(replan_max_delay_s, replan_debounce_s))
        # Each roundtable's book as last committed by this process, by `book_version`: a
        # handler reads the roundtable document anyway, and rebuilding the book from every
        # participant's document on each approval made a round of n approvals cost n^2.
        self._books: OrderedDict[str, _Loaded] = OrderedDict()
        self._locks: dict[str, asyncio.Lock] = {}
        self.book_loads = 0  # full reads of a book from the database (tests, observability)

    @contextlib.asynccontextmanager
    async def _exclusive(self, roundtable_id: str) -> AsyncIterator[None]:
        """One handler at a time per roundtable in this process (they share its cached book,
        which a handler changes in place); a handler that fails drops the cached book."""
        async with self._locks.setdefault(roundtable_id, asyncio.Lock()):
            try:
                yield
            except BaseException:
                self._books.pop(roundtable_id, None)
                raise

    def _keep(self, state: _Loaded, version: int) -> None:
        """After the commit: `state` is the roundtable's book at `version`."""
        rt = state.config.roundtable_id
        state.version = version
        self._books[rt] = state
        self._books.move_to_end(rt)
        while len(self._books) > _BOOKS_KEPT:
            self._books.popitem(last=False)

    def _store(self, tx: Transaction | None = None) -> MatchingStore:
        return self._stores(tx.session if tx else None)

    # -- registration events -------------------------------------------------------------

    async def on_roundtable_opened(self, envelope: Envelope, event: RoundtableOpened) -> None:
        async with self._uow.handling(envelope, self._group) as tx:
            if tx is None:
                return
            await self._store(tx).save_roundtable(
                RoundtableConfig(envelope.roundtable_id, event.calendar, event.matching)
            )

    async def on_participant_approved(self, envelope: Envelope, event: ParticipantApproved) -> None:
        await self.on_participants_approved([(envelope, event)])

    async def on_participants_approved(
        self, batch: Sequence[tuple[Envelope, ParticipantApproved]]
    ) -> None:
        """Approvals (one, or a batch subscriber's run): per roundtable, in order, into the
        book in one transaction. Each participant whose proposals changed is written once
        for the whole run (one approval changes dozens of lists: a run of them mostly the
        same ones), the book version raised once, the plan marked due once."""
        for rt, items in per_roundtable(batch).items():
            await self._approve(rt, items)

    async def _approve(
        self, rt: str, items: Sequence[tuple[Envelope, ParticipantApproved]]
    ) -> None:
        async with self._exclusive(rt):
            async with self._uow.handling_many([e for e, _ in items], self._group) as tx:
                if tx is None:
                    return
                store = self._store(tx)
                state = await self._load(store, rt)
                approved: dict[str, None] = {}
                changed: set[str] = set()
                for _, event in items:
                    profile = event.profile
                    changed.update(state.book.approve(participant_of(profile)))
                    state.parties[profile.participant_id] = party_of(profile)
                    approved[profile.participant_id] = None
                await store.save_participants(
                    rt, [_stored(state, pid) for pid in approved], announce=self._announce_later
                )
                await store.save_proposals(
                    rt,
                    {pid: state.book.proposals(pid) for pid in sorted(changed - approved.keys())},
                    announce=self._announce_later,
                )
                await store.bump_book(rt)
                await self._propose(tx, store, state, sorted(changed | approved.keys()))
                if state.config.rules.mode == "auto":
                    await self._plan_or_defer(tx, store, state)
            self._keep(state, state.config.book_version + 1)

    async def on_participant_withdrawn(
        self, envelope: Envelope, event: ParticipantWithdrawn
    ) -> None:
        async with self._exclusive(envelope.roundtable_id):
            async with self._uow.handling(envelope, self._group) as tx:
                if tx is None:
                    return
                store = self._store(tx)
                rt, pid = envelope.roundtable_id, event.participant_id
                config = await store.roundtable(rt)
                if config is None:
                    return
                state = await self._load(store, rt, config)
                if pid not in state.book.participants:
                    return
                changed = state.book.withdraw(pid)
                await store.delete_participant(rt, pid)
                await store.save_proposals(
                    rt,
                    {p: state.book.proposals(p) for p in changed},
                    announce=self._announce_later,
                )
                await store.bump_book(rt)
                tx.emit(
                    MatchesProposed(participant_id=pid, role=event.role, matches=[]),
                    topic=EVENTS,
                    key=rt,
                    roundtable_id=rt,
                )
                await self._propose(tx, store, state, changed)
                now = self._clock()
                for agreement in await store.agreements(rt, participant_id=pid):
                    await self._withdraw_agreement(tx, store, agreement, WITHDRAWN_REASON, now)
                # Its pending requests are declined on its behalf, with the reason, so the other
                # party learns at once that nobody will answer (rather than waiting for expiry).
                pending = await store.requests(rt, status="pending", participant_id=pid)
                for request in requests_withdrawn_with(pid, pending):
                    await store.save_request(rt, request)
                    tx.emit(
                        MeetingRequestDeclined(
                            request_id=request.request_id,
                            exporter_id=request.exporter_id,
                            importer_id=request.importer_id,
                            declined_by=pid,
                            reason=WITHDRAWN_REASON,
                        ),
                        topic=EVENTS,
                        key=rt,
                        roundtable_id=rt,
                    )
                if config.rules.mode == "auto":
                    await self._plan_or_defer(tx, store, state)
            self._keep(state, state.config.book_version + 1)

    # -- request mode ----------------------------------------------------------------------

    async def on_request_meeting(self, envelope: Envelope, command: RequestMeeting) -> None:
        async with (
            self._exclusive(envelope.roundtable_id),
            self._uow.handling(envelope, self._group) as tx,
        ):
            if tx is None:
                return
            store = self._store(tx)
            rt, now = envelope.roundtable_id, self._clock()
            config = await store.roundtable(rt)
            refusal = _mode_refusal(config)
            if refusal is None and await store.request(rt, command.request_id) is not None:
                refusal = RequestRefusedError("duplicate_request_id", "request id already used")
            if refusal is not None or config is None:
                await self._reject(tx, store, envelope, command, refusal, now)
                return
            state = await self._load(store, rt, config)
            try:
                request = open_request(
                    request_id=command.request_id,
                    from_participant=command.from_participant,
                    to_participant=command.to_participant,
                    approved=state.book.participants,
                    agreed=[a.pair for a in await store.agreements(rt)],
                    requests=await store.requests(rt, status="pending"),
                    max_meetings=config.rules.max_meetings_per_participant,
                    now=now,
                    ttl=dt.timedelta(hours=config.rules.request_ttl_hours),
                )
            except RequestRefusedError as refused:
                await self._reject(tx, store, envelope, command, refused, now)
                return
            request = replace(request, session=command.session)
            await store.save_request(rt, request)
            tx.emit(
                MeetingRequested(
                    request_id=request.request_id,
                    exporter_id=request.exporter_id,
                    importer_id=request.importer_id,
                    requested_by=request.requested_by,
                    expires_at=request.expires_at,
                ),
                topic=EVENTS,
                key=rt,
                roundtable_id=rt,
            )
            await self._accepted(store, envelope, command, now, {"request_id": request.request_id})

    async def on_respond(self, envelope: Envelope, command: RespondToMeetingRequest) -> None:
        async with (
            self._exclusive(envelope.roundtable_id),
            self._uow.handling(envelope, self._group) as tx,
        ):
            if tx is None:
                return
            store = self._store(tx)
            rt, now = envelope.roundtable_id, self._clock()
            config = await store.roundtable(rt)
            refusal = _mode_refusal(config)
            request = await store.request(rt, command.request_id)
            if refusal is None and request is None:
                refusal = RequestRefusedError("unknown_request", "no such meeting request")
            if refusal is not None or config is None or request is None:
                await self._reject(tx, store, envelope, command, refusal, now)
                return
            agreements = await store.agreements(rt)
            try:
                answered = respond_to_request(
                    request,
                    participant_id=command.participant_id,
                    accept=command.accept,
                    agreed=[a.pair for a in agreements],
                    max_meetings=config.rules.max_meetings_per_participant,
                    now=now,
                )
            except RequestRefusedError as refused:
                await self._reject(tx, store, envelope, command, refused, now)
                return
            await store.save_request(rt, answered)
            result: dict[str, object] = {"request_id": answered.request_id}
            if answered.status == "accepted":
                state = await self._load(store, rt, config)
                agreement = await self._agree(
                    tx,
                    store,
                    state,
                    answered.exporter_id,
                    answered.importer_id,
                    source="request",
                    request_id=answered.request_id,
                    now=now,
                    session=answered.session,
                )
                result["meeting_id"] = agreement.meeting_id
            else:
                tx.emit(
                    MeetingRequestDeclined(
                        request_id=answered.request_id,
                        exporter_id=answered.exporter_id,
                        importer_id=answered.importer_id,
                        declined_by=command.participant_id,
                        reason="declined",
                    ),
                    topic=EVENTS,
                    key=rt,
                    roundtable_id=rt,
                )
            await self._accepted(store, envelope, command, now, result)

    # -- periodic work (safe with several replicas) ---------------------------------------

    async def expire_due(self) -> int:
        """Expire every pending request whose time is up; returns how many this call expired.

        Each request expires in its own transaction with a conditional update (pending ->
        expired), so two replicas ticking at once expire it, and emit its event, once.
        """
        now = self._clock()
        expired = 0
        for doc in await self._store().due_requests(now):
            with _lost_race("expire", doc["request_id"]):
                expired += await self._expire(doc["roundtable_id"], doc["request_id"])
        return expired

    async def _expire(self, roundtable_id: str, request_id: str) -> int:
        async with self._uow.transaction() as tx:
            assert tx is not None
            request = await self._store(tx).expire_request(roundtable_id, request_id)
            if request is None:
                return 0
            tx.emit(
                MeetingRequestExpired(
                    request_id=request.request_id,
                    exporter_id=request.exporter_id,
                    importer_id=request.importer_id,
                    requested_by=request.requested_by,
                ),
                topic=EVENTS,
                key=roundtable_id,
                roundtable_id=roundtable_id,
            )
        return 1

    async def replan_due(self) -> int:
        """Re-plan every auto-mode roundtable whose debounced plan is due; returns how many.

        A replica claims a roundtable's plan by clearing its due marks with a conditional
        update inside the plan's transaction; a replica that read older marks (or loses the
        write conflict) changes nothing, and a change arriving meanwhile marks it due again.
        """
        due = await self._store().due_plans(self._clock())
        return await _each_due("replan", due, self._replan_claimed)

    async def propose_due(self) -> int:
        """Announce the proposals waiting in every roundtable where they are due; returns
        how many `MatchesProposed` this call emitted. Claimed like the plan: one replica
        announces each participant's list once."""
        due = await self._store().due_proposals(self._clock())
        return await _each_due("propose", due, self._propose_claimed)

    async def _propose_claimed(self, roundtable_id: str) -> int:
        async with self._exclusive(roundtable_id), self._uow.transaction() as tx:
            assert tx is not None
            store = self._store(tx)
            pending = await store.claim_proposals(roundtable_id)
            if not pending:
                return 0
            state = await self._load(store, roundtable_id)
            # a participant withdrawn meanwhile was told at once (an empty list): skip it
            present = [pid for pid in pending if pid in state.book.participants]
            self._emit_proposals(tx, state, present)
            return len(present)

    async def _replan_claimed(self, roundtable_id: str) -> int:
        async with self._exclusive(roundtable_id), self._uow.transaction() as tx:
            assert tx is not None
            store = self._store(tx)
            config = await store.roundtable(roundtable_id)
            if config is None or not await store.claim_plan(config):
                return 0
            if config.rules.mode != "auto":
                return 0
            await self._replan(tx, store, await self._load(store, roundtable_id, config))
            return 1

    # -- internals ---------------------------------------------------------------------

    async def _load(
        self, store: MatchingStore, roundtable_id: str, config: RoundtableConfig | None = None
    ) -> _Loaded:
        config = config or await store.roundtable(roundtable_id)
        if config is None:
            raise UnknownRoundtableError(f"roundtable {roundtable_id} was never opened")
        cached = self._books.get(roundtable_id)
        if cached is not None and cached.version == config.book_version:
            cached.config = config
            self._books.move_to_end(roundtable_id)
            return cached
        self.book_loads += 1
        stored = await store.participants(roundtable_id)
        book = MatchBook(
            calendar_of(config.calendar),
            top_k=config.rules.top_k,
            participants=(s.participant for s in stored),
            proposals={s.participant.participant_id: s.proposals for s in stored},
        )
        parties = {s.participant.participant_id: s.party for s in stored}
        state = _Loaded(config, book, parties)
        self._keep(state, config.book_version)  # committed data: reusable at once
        return state

    @property
    def _announce_later(self) -> bool:
        return self._debounce > dt.timedelta(0)

    async def _propose(
        self, tx: Transaction, store: MatchingStore, state: _Loaded, changed: Iterable[str]
    ) -> None:
        """Announce new proposals: at once without a debounce, else when the roundtable is
        quiet (`propose_due`: the participants were saved with their `announce` flag), each
        participant once with its latest list."""
        if not self._announce_later:
            self._emit_proposals(tx, state, changed)
            return
        now = self._clock()
        await store.mark_proposals_due(
            state.config.roundtable_id, now + self._debounce, now + self._max_delay
        )

    def _emit_proposals(self, tx: Transaction, state: _Loaded, changed: Iterable[str]) -> None:
        rt = state.config.roundtable_id
        for pid in changed:
            participant = state.book.participants.get(pid)
            if participant is None:
                continue
            tx.emit(
                MatchesProposed(
                    participant_id=pid,
                    role=participant.role,
                    matches=match_proposals(state.book.proposals(pid)),
                ),
                topic=EVENTS,
                key=rt,
                roundtable_id=rt,
            )

    async def _plan_or_defer(self, tx: Transaction, store: MatchingStore, state: _Loaded) -> None:
        if self._debounce <= dt.timedelta(0):
            await self._replan(tx, store, state)
            return
        now = self._clock()
        await store.mark_plan_due(
            state.config.roundtable_id, now + self._debounce, now + self._max_delay
        )

    async def _replan(self, tx: Transaction, store: MatchingStore, state: _Loaded) -> None:
        rt, rules = state.config.roundtable_id, state.config.rules
        current = await store.agreements(rt)
        by_pair = {a.pair: a for a in current}
        selection = select_meetings(
            state.book.score_matrix(),
            max_meetings=rules.max_meetings_per_participant,
            min_meetings_per_exporter=rules.min_meetings_per_exporter,
            previous=[a.pair for a in current if a.source == "auto"],
            # Meetings agreed on request stay: they count towards the caps.
            locked=[a.pair for a in current if a.source == "request"],
        )
        now = self._clock()
        for pair in selection.removed:
            await self._withdraw_agreement(tx, store, by_pair[pair], REPLANNED_REASON, now)
        # one read of the pairs' earlier agreements and one insert for the whole plan: the
        # plan's transaction held thousands of round trips at full size
        generations = await store.pair_generations_of(rt)
        agreed = [
            self._agreement(
                tx,
                state,
                added.exporter_id,
                added.importer_id,
                source="auto",
                generation=generations[(added.exporter_id, added.importer_id)],
            )
            for added in selection.added
            if (added.exporter_id, added.importer_id) not in by_pair
        ]
        await store.add_agreements(agreed, now)
        log.info(
            "auto plan",
            roundtable_id=rt,
            meetings=len(selection.pairs),
            added=len(selection.added),
            removed=len(selection.removed),
            exporters_at_min=selection.exporters_at_min,
            exporters=selection.exporters,
        )

    async def _agree(
        self,
        tx: Transaction,
        store: MatchingStore,
        state: _Loaded,
        exporter_id: str,
        importer_id: str,
        *,
        source: str,
        now: dt.datetime,
        request_id: str | None = None,
        session: Session | None = None,
    ) -> Agreement:
        rt = state.config.roundtable_id
        generation = await store.pair_generations(rt, exporter_id, importer_id)
        agreement = self._agreement(
            tx,
            state,
            exporter_id,
            importer_id,
            source=source,
            generation=generation,
            request_id=request_id,
            session=session,
        )
        await store.add_agreements([agreement], now)
        return agreement

    def _agreement(
        self,
        tx: Transaction,
        state: _Loaded,
        exporter_id: str,
        importer_id: str,
        *,
        source: str,
        generation: int,
        request_id: str | None = None,
        session: Session | None = None,
    ) -> Agreement:
        """A new agreement of the pair (to be stored by the caller) and its `MeetingAgreed`."""
        rt = state.config.roundtable_id
        exporter = state.book.participants[exporter_id]
        importer = state.book.participants[importer_id]
        score = next(
            (p.score for p in state.book.proposals(exporter_id) if p.counterpart_id == importer_id),
            None,
        )
        if score is None:
            score = score_pair(exporter, importer, state.book.calendar, state.book.weights).score
        agreement = Agreement(
            meeting_id=meeting_id(rt, exporter_id, importer_id, generation),
            roundtable_id=rt,
            exporter_id=exporter_id,
            importer_id=importer_id,
            score=float(score),
            source="auto" if source == "auto" else "request",
            request_id=request_id,
        )
        tx.emit(
            MeetingAgreed(
                meeting_id=agreement.meeting_id,
                exporter=state.parties[exporter_id],
                importer=state.parties[importer_id],
                calendar=state.config.calendar,
                score=max(agreement.score, 0.0),
                source=agreement.source,
                request_id=request_id,
                min_meetings_per_exporter=state.config.rules.min_meetings_per_exporter,
                session=session,
            ),
            topic=EVENTS,
            key=rt,
            roundtable_id=rt,
        )
        return agreement

    async def _withdraw_agreement(
        self,
        tx: Transaction,
        store: MatchingStore,
        agreement: Agreement,
        reason: str,
        now: dt.datetime,
    ) -> None:
        await store.withdraw_agreement(agreement.meeting_id, reason, now)
        tx.emit(
            MeetingAgreementWithdrawn(meeting_id=agreement.meeting_id, reason=reason),
            topic=EVENTS,
            key=agreement.roundtable_id,
            roundtable_id=agreement.roundtable_id,
        )

    async def _reject(
        self,
        tx: Transaction,
        store: MatchingStore,
        envelope: Envelope,
        command: Command,
        refused: RequestRefusedError | None,
        now: dt.datetime,
    ) -> None:
        code = refused.code if refused else "rejected"
        reason = str(refused) if refused else "rejected"
        details = {"request_id": getattr(command, "request_id", None)}
        await store.record_command(
            str(envelope.event_id),
            roundtable_id=envelope.roundtable_id,
            command_type=envelope.event_type,
            status="rejected",
            at=now,
            code=code,
            reason=reason,
            details=details,
        )
        tx.reject(envelope, topic=EVENTS, code=code, reason=reason, details=details)

    async def _accepted(
        self,
        store: MatchingStore,
        envelope: Envelope,
        command: Command,
        now: dt.datetime,
        result: dict[str, object],
    ) -> None:
        await store.record_command(
            str(envelope.event_id),
            roundtable_id=envelope.roundtable_id,
            command_type=envelope.event_type,
            status="accepted",
            at=now,
            resource=result,
        )


def _stored(state: _Loaded, participant_id: str) -> StoredParticipant:
    return StoredParticipant(
        participant=state.book.participants[participant_id],
        party=state.parties[participant_id],
        proposals=state.book.proposals(participant_id),
    )


async def _each_due(
    job: str, roundtables: Iterable[str], claimed: Callable[[str], Awaitable[int]]
) -> int:
    """Run a periodic job on each roundtable due, skipping those another replica won."""
    done = 0
    for rt in roundtables:
        with _lost_race(job, rt):
            done += await claimed(rt)
    return done


@contextlib.contextmanager
def _lost_race(job: str, key: str) -> Iterator[None]:
    """A periodic job's transaction that lost a write conflict to another replica: skip it.

    The winner did the work (or the next tick will); anything else propagates.
    """
    try:
        yield
    except OperationFailure as exc:
        if not exc.has_error_label("TransientTransactionError"):
            raise
        log.info("periodic job lost a write conflict", job=job, key=key, error=repr(exc))


def _mode_refusal(config: RoundtableConfig | None) -> RequestRefusedError | None:
    if config is None:
        return RequestRefusedError("unknown_roundtable", "matching knows no such roundtable")
    if config.rules.mode != "request":
        return RequestRefusedError(
            "not_request_mode", "this roundtable agrees meetings automatically (auto mode)"
        )
    return None
