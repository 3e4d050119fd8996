"""Each in-memory repository keeps its MongoDB adapter's methods, parameter for parameter,
so a handler test on fakes calls what production calls."""

from __future__ import annotations

import inspect

import pytest

from rueda.deals.adapters import DealsRepository, InMemoryDealsRepository
from rueda.matching.adapters.memory import InMemoryMatchingStore
from rueda.matching.adapters.mongo import MatchingStore
from rueda.notifications.adapters.memory import InMemoryNotificationsStore
from rueda.notifications.adapters.mongo import NotificationsStore
from rueda.registration.adapters import InMemoryRegistrationRepository, RegistrationRepository
from rueda.scheduling.adapters.memory import InMemoryCommandLog, InMemoryScheduleRepository
from rueda.scheduling.adapters.mongo import CommandLog, ScheduleRepository
from rueda.shared.messaging import UnitOfWork
from rueda.shared.messaging.fakes import FakeUnitOfWork

pytestmark = pytest.mark.unit

# (real, fake, whether the fake has every public method of the real one)
PAIRS = [
    (RegistrationRepository, InMemoryRegistrationRepository, True),
    (ScheduleRepository, InMemoryScheduleRepository, True),
    (CommandLog, InMemoryCommandLog, True),
    (DealsRepository, InMemoryDealsRepository, True),
    (MatchingStore, InMemoryMatchingStore, True),
    # the delivery worker's leases are not faked (see adapters/memory.py)
    (NotificationsStore, InMemoryNotificationsStore, False),
]


def _methods(cls: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    }


@pytest.mark.parametrize(
    ("real", "fake", "complete"), PAIRS, ids=lambda c: getattr(c, "__name__", "")
)
def test_the_fake_keeps_the_adapter_s_methods(real: type, fake: type, complete: bool) -> None:
    real_methods, fake_methods = _methods(real), _methods(fake)
    assert set(fake_methods) <= set(real_methods)
    if complete:
        assert set(fake_methods) == set(real_methods)
    for name, signature in fake_methods.items():
        assert list(signature.parameters) == list(real_methods[name].parameters), name
        assert inspect.iscoroutinefunction(getattr(fake, name)) == inspect.iscoroutinefunction(
            getattr(real, name)
        ), name


def test_the_fake_unit_of_work_is_a_unit_of_work() -> None:
    assert issubclass(FakeUnitOfWork, UnitOfWork)
    fake = FakeUnitOfWork()
    assert (fake.emitted, fake.inbox, fake.commits) == ([], [], 0)
    with pytest.raises(RuntimeError):
        _ = fake.db


async def test_the_fake_unit_of_work_commits_only_what_succeeded() -> None:
    from rueda.shared.contracts import topic
    from rueda.shared.contracts.registration import RegistrationStatusChanged
    from rueda.shared.messaging import AlreadyHandledError

    fake = FakeUnitOfWork(producer="p", topic_prefix="t.")
    events = topic("registration.events.v1")
    async with fake.transaction(inbox_key="a") as tx:
        assert tx is not None
        tx.emit(RegistrationStatusChanged(open=True), topic=events, key="k", roundtable_id="rt")

    async def fail() -> None:
        async with fake.transaction(inbox_key="b") as tx:
            assert tx is not None
            tx.emit(
                RegistrationStatusChanged(open=False), topic=events, key="k", roundtable_id="rt"
            )
            raise LookupError("the handler failed")

    with pytest.raises(LookupError, match="the handler failed"):
        await fail()
    async with fake.transaction(inbox_key="a") as tx:
        assert tx is None  # handled before

    async def batch() -> None:
        async with fake.transaction(inbox_keys=["c", "a"]):
            pass

    with pytest.raises(AlreadyHandledError):
        await batch()
    assert [m.topic for m in fake.emitted] == ["t.registration.events.v1"]
    assert [p.open for p in fake.payloads()] == [True]
    assert (fake.inbox, fake.commits, fake.aborts, fake.duplicates) == (["a"], 1, 1, 1)
