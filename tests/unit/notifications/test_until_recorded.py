"""A message the SMTP server accepted is recorded as sent even across a MongoDB outage:
giving up would leave it claimed, and it would be sent again when the claim ran out."""

from __future__ import annotations

import pytest
from pymongo.errors import AutoReconnect, ServerSelectionTimeoutError

from rueda.notifications.outbound import until_recorded

pytestmark = pytest.mark.unit


async def test_the_record_is_retried_while_the_database_is_unreachable() -> None:
    failures = [ServerSelectionTimeoutError("down"), AutoReconnect("restarting")]
    calls: list[int] = []

    async def record() -> None:
        calls.append(len(calls))
        if failures:
            raise failures.pop(0)

    await until_recorded(record, first_wait_s=0, longest_wait_s=0)
    assert calls == [0, 1, 2]


async def test_a_bug_is_not_retried() -> None:
    calls: list[int] = []

    async def record() -> None:
        calls.append(1)
        raise KeyError("status")

    with pytest.raises(KeyError, match="status"):
        await until_recorded(record, first_wait_s=0, longest_wait_s=0)
    assert calls == [1]
