"""Registration's use cases: command -> domain rules -> repository + outbox, in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rueda.shared.contracts import Contract, Envelope, topic
from rueda.shared.contracts.registration import (
    CreateRoundtable,
    ParticipantApproved,
    ParticipantRegistered,
    ParticipantRejected,
    ParticipantWithdrawn,
    RegisterParticipant,
    RegistrationStatusChanged,
    ReviewParticipant,
    RoundtableOpened,
    SetRegistrationOpen,
    WithdrawParticipant,
)
from rueda.shared.messaging import BatchHandler, Handler, Transaction, UnitOfWork

from .adapters import RegistrationRepository
from .domain import (
    Problem,
    ReviewerScope,
    find_duplicate,
    may_review,
    review_outcome,
    validate_participant,
    validate_roundtable,
)

__all__ = ["RegistrationHandlers"]

EVENTS = topic("registration.events.v1")


class RegistrationHandlers:
    """One method per command; each runs in one transaction with its inbox record."""

    def __init__(self, uow: UnitOfWork, repo: RegistrationRepository, group: str) -> None:
        self._uow = uow
        self._repo = repo
        self._group = group

    def batch(self, routes: Mapping[type[Contract], Handler]) -> BatchHandler:
        """A batch route: the commands' own handlers, in order, in one transaction."""
        return self._uow.batch_handler(routes, self._group)

    async def create_roundtable(self, env: Envelope, cmd: CreateRoundtable) -> None:
        async with self._uow.handling(env, self._group) as tx:
            if tx is None:
                return
            rt = env.roundtable_id
            if await self._repo.roundtable(rt, tx.session) is not None:
                await self._reject(tx, env, "roundtable_exists", f"roundtable {rt} exists")
                return
            problems = validate_roundtable(cmd)
            if problems:
                await self._invalid(tx, env, problems)
                return
            await self._repo.add_roundtable(rt, cmd, tx.session)
            fields = cmd.model_dump(exclude={"registration_open"})
            self._emit(tx, env, RoundtableOpened(**fields, registration_open=cmd.registration_open))
            await self._accept(tx, env, {"kind": "roundtable", "id": rt})

    async def set_registration_open(self, env: Envelope, cmd: SetRegistrationOpen) -> None:
        async with self._uow.handling(env, self._group) as tx:
            if tx is None:
                return
            if await self._repo.roundtable(env.roundtable_id, tx.session) is None:
                await self._reject(tx, env, "roundtable_not_found", "no such roundtable")
                return
            await self._repo.set_registration_open(env.roundtable_id, cmd.open, tx.session)
            self._emit(tx, env, RegistrationStatusChanged(open=cmd.open))
            await self._accept(tx, env, {"kind": "roundtable", "id": env.roundtable_id})

    async def register_participant(self, env: Envelope, cmd: RegisterParticipant) -> None:
        async with self._uow.handling(env, self._group) as tx:
            if tx is None:
                return
            rt_doc = await self._repo.roundtable(env.roundtable_id, tx.session)
            profile = cmd.profile
            if rt_doc is None:
                await self._reject(tx, env, "roundtable_not_found", "no such roundtable")
                return
            privileged = cmd.requested_by_role in ("organizer", "admin")
            if not rt_doc["registration_open"] and not privileged:
                await self._reject(tx, env, "registration_closed", "registration is closed")
                return
            if await self._repo.participant(env.roundtable_id, profile.participant_id, tx.session):
                await self._reject(tx, env, "participant_exists", "participant id already used")
                return
            config = CreateRoundtable.model_validate(rt_doc["config"])
            problems = validate_participant(
                profile,
                days=config.calendar.days,
                sectors=config.sectors,
                exporter_countries=config.exporter_countries,
                importer_countries=config.importer_countries,
            )
            if problems:
                await self._invalid(tx, env, problems)
                return
            existing = await self._repo.possible_duplicates(env.roundtable_id, profile, tx.session)
            duplicate = find_duplicate(profile, existing)
            if duplicate is not None:
                await self._reject(
                    tx,
                    env,
                    "duplicate_participant",
                    f"this company is already registered as {duplicate.participant_id}",
                    {"existing_id": duplicate.participant_id},
                )
                return
            await self._repo.add_participant(env.roundtable_id, profile, tx.session)
            self._emit(tx, env, ParticipantRegistered(profile=profile), key=profile.participant_id)
            await self._accept(tx, env, {"kind": "participant", "id": profile.participant_id})

    async def review_participant(self, env: Envelope, cmd: ReviewParticipant) -> None:
        async with self._uow.handling(env, self._group) as tx:
            if tx is None:
                return
            doc = await self._repo.participant(env.roundtable_id, cmd.participant_id, tx.session)
            if doc is None:
                await self._reject(tx, env, "participant_not_found", "no such participant")
                return
            reviewer = ReviewerScope(cmd.reviewer_role, cmd.reviewer_country)
            if not may_review(reviewer, doc["country"]):
                await self._reject(
                    tx, env, "forbidden", "an agency reviews only its own country's participants"
                )
                return
            target, problem = review_outcome(doc["status"], cmd.decision)
            if problem is not None or target is None:
                assert problem is not None
                await self._reject(tx, env, problem.code, problem.message)
                return
            by = cmd.reviewer_country or cmd.reviewer_role
            await self._repo.set_status(
                cmd.participant_id, target, tx.session, reason=cmd.reason, by=by
            )
            profile = ParticipantRegistered.model_validate({"profile": doc["profile"]}).profile
            if target == "approved":
                event: Any = ParticipantApproved(profile=profile, reviewed_by=by)
            else:
                event = ParticipantRejected(
                    participant_id=cmd.participant_id,
                    reason=cmd.reason or "not approved",
                    reviewed_by=by,
                )
            self._emit(tx, env, event, key=cmd.participant_id)
            await self._accept(tx, env, {"kind": "participant", "id": cmd.participant_id})

    async def withdraw_participant(self, env: Envelope, cmd: WithdrawParticipant) -> None:
        async with self._uow.handling(env, self._group) as tx:
            if tx is None:
                return
            doc = await self._repo.participant(env.roundtable_id, cmd.participant_id, tx.session)
            if doc is None:
                await self._reject(tx, env, "participant_not_found", "no such participant")
                return
            if doc["status"] == "withdrawn":
                await self._reject(tx, env, "already_withdrawn", "already withdrawn")
                return
            await self._repo.set_status(
                cmd.participant_id, "withdrawn", tx.session, reason=cmd.reason, by=cmd.requested_by
            )
            self._emit(
                tx,
                env,
                ParticipantWithdrawn(
                    participant_id=cmd.participant_id, role=doc["role"], reason=cmd.reason
                ),
                key=cmd.participant_id,
            )
            await self._accept(tx, env, {"kind": "participant", "id": cmd.participant_id})

    def _emit(self, tx: Transaction, env: Envelope, event: Any, key: str | None = None) -> None:
        # registration events are keyed by roundtable: one ordered stream per roundtable
        del key
        tx.emit(event, topic=EVENTS, key=env.roundtable_id, roundtable_id=env.roundtable_id)

    async def _accept(self, tx: Transaction, env: Envelope, resource: dict[str, str]) -> None:
        await self._repo.record_command(
            str(env.event_id),
            roundtable_id=env.roundtable_id,
            command_type=env.event_type,
            status="accepted",
            resource=resource,
            session=tx.session,
        )

    async def _invalid(self, tx: Transaction, env: Envelope, problems: list[Problem]) -> None:
        details = {"problems": [p.__dict__ for p in problems]}
        reason = "; ".join(f"{p.field}: {p.message}" for p in problems)
        await self._reject(tx, env, "invalid", reason, details)

    async def _reject(
        self,
        tx: Transaction,
        env: Envelope,
        code: str,
        reason: str,
        details: dict[str, Any] | None = None,
    ) -> None:
        await self._repo.record_command(
            str(env.event_id),
            roundtable_id=env.roundtable_id,
            command_type=env.event_type,
            status="rejected",
            code=code,
            reason=reason,
            details=details,
            session=tx.session,
        )
        tx.reject(env, topic=EVENTS, code=code, reason=reason, details=details)
