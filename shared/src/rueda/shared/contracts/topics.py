"""The topic registry: every Kafka topic of Rueda, its partitions, key and dead-letter twin."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import deals, matching, notifications, outcomes, registration, scheduling
from ._base import Contract

__all__ = ["TOPICS", "TopicSpec", "topic", "topic_names"]


@dataclass(frozen=True)
class TopicSpec:
    """One topic of the registry. `name` is the logical name; deployments may prefix it."""

    name: str
    owner: str
    key: str
    description: str
    messages: tuple[type[Contract], ...]
    partitions: int = 6
    dlq_partitions: int = 1
    retention_ms: int = 14 * 24 * 3600 * 1000
    public: bool = False
    readers: tuple[str, ...] = field(default=())

    @property
    def dlq(self) -> str:
        """The dead-letter twin: `<topic>.dlq`."""
        return f"{self.name}.dlq"

    def physical(self, prefix: str = "") -> str:
        """The name on the broker, with the deployment's prefix."""
        return f"{prefix}{self.name}"

    def dlq_physical(self, prefix: str = "") -> str:
        """The dead-letter twin's name on the broker."""
        return f"{prefix}{self.dlq}"


def _contracts(module: object) -> tuple[type[Contract], ...]:
    names: list[str] = list(getattr(module, "__all__", []))
    found = (getattr(module, name) for name in names)
    return tuple(c for c in found if isinstance(c, type) and issubclass(c, Contract))


def _commands(module: object) -> tuple[type[Contract], ...]:
    return tuple(c for c in _contracts(module) if c.message_kind == "command")


def _events(module: object) -> tuple[type[Contract], ...]:
    return tuple(c for c in _contracts(module) if c.message_kind == "event")


_REJECTED = (outcomes.CommandRejected,)

TOPICS: tuple[TopicSpec, ...] = (
    TopicSpec(
        "registration.commands.v1",
        "gateway",
        "roundtable_id",
        "Roundtable and participant commands from the gateway.",
        _commands(registration),
        readers=("registration",),
    ),
    TopicSpec(
        "registration.events.v1",
        "registration",
        "roundtable_id",
        "Roundtables opened, participants registered, approved, rejected, withdrawn.",
        _events(registration) + _REJECTED,
        readers=("matching", "notifications", "deals"),
    ),
    TopicSpec(
        "matching.commands.v1",
        "gateway",
        "roundtable_id",
        "Meeting requests and responses (request mode).",
        _commands(matching),
        readers=("matching",),
    ),
    TopicSpec(
        "matching.events.v1",
        "matching",
        "roundtable_id",
        "Match proposals, meeting requests and agreed meetings.",
        _events(matching) + _REJECTED,
        readers=("scheduling", "notifications"),
    ),
    TopicSpec(
        "scheduling.commands.v1",
        "gateway",
        "roundtable_id",
        "Cancel, reschedule, lock, attendance and re-optimisation.",
        _commands(scheduling),
        readers=("scheduling",),
    ),
    TopicSpec(
        "scheduling.events.v1",
        "scheduling",
        "roundtable_id",
        "Meetings scheduled, rescheduled, cancelled, unschedulable, held, no-show.",
        _events(scheduling) + _REJECTED,
        readers=("notifications", "deals"),
    ),
    TopicSpec(
        "notifications.commands.v1",
        "gateway",
        "roundtable_id",
        "Webhook subscriptions.",
        _commands(notifications),
        readers=("notifications",),
    ),
    TopicSpec(
        "notifications.events.v1",
        "notifications",
        "participant_id",
        "Notifications sent or failed.",
        _events(notifications) + _REJECTED,
        readers=(),
    ),
    TopicSpec(
        "deals.commands.v1",
        "gateway",
        "roundtable_id",
        "Meeting outcomes reported by the parties.",
        (deals.RecordOutcome,),
        readers=("deals",),
    ),
    TopicSpec(
        "deals.events.v1",
        "deals",
        "roundtable_id",
        "Outcomes recorded and deals updated.",
        (deals.OutcomeRecorded, deals.DealUpdated, outcomes.CommandRejected),
        readers=("notifications",),
    ),
    TopicSpec(
        "deals.closed.v1",
        "deals",
        "agency_code",
        "Public: closed deals and their later updates, keyed by agency, with the agency in the "
        "`agency` header.",
        (deals.DealClosed, deals.DealUpdated),
        public=True,
        retention_ms=365 * 24 * 3600 * 1000,
        readers=("notifications", "agencies"),
    ),
)

_BY_NAME = {spec.name: spec for spec in TOPICS}


def topic(name: str) -> TopicSpec:
    """The registry entry of a logical topic name."""
    return _BY_NAME[name]


def topic_names(prefix: str = "", *, with_dlq: bool = True) -> list[str]:
    """Every physical topic name, dead-letter twins included by default."""
    names = [spec.physical(prefix) for spec in TOPICS]
    if with_dlq:
        names += [spec.dlq_physical(prefix) for spec in TOPICS]
    return names
