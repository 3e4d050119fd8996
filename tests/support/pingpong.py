"""A two-service test pipeline on the real messaging stack: alpha turns Ping into Pong, beta
turns Pong into PongSeen. Runs in-process or as a process that can be SIGKILLed on cue."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from rueda.shared.contracts import Command, Envelope, Event, topic
from rueda.shared.messaging import OutboxMessage, subscribe
from rueda.shared.service import ServiceRuntime
from rueda.shared.settings import RuedaSettings

COMMANDS = topic("registration.commands.v1")
EVENTS = topic("registration.events.v1")
SEEN = topic("matching.events.v1")


class Ping(Command):
    """Test command."""

    n: int
    fail: Literal["never", "always"] = "never"


class Pong(Event):
    """Test event."""

    n: int


class PongSeen(Event):
    """Test event of the second hop."""

    n: int


def _crash_once(mode: str) -> None:
    flag = os.environ.get("PINGPONG_CRASH_FLAG")
    if os.environ.get("PINGPONG_CRASH") == mode and flag and not Path(flag).exists():
        Path(flag).write_text(mode)
        os.kill(os.getpid(), signal.SIGKILL)


def wire_alpha(rt: ServiceRuntime) -> None:
    group = rt.settings.group("alpha")

    async def on_ping(envelope: Envelope, ping: Ping) -> None:
        if ping.fail == "always":
            raise RuntimeError(f"ping {ping.n} always fails")
        async with rt.uow.handling(envelope, group) as tx:
            if tx is None:
                return
            await rt.db["effects"].update_one(
                {"_id": envelope.roundtable_id},
                {"$inc": {"n": 1}},
                upsert=True,
                session=tx.session,
            )
            tx.emit(
                Pong(n=ping.n),
                topic=EVENTS,
                key=envelope.roundtable_id,
                roundtable_id=envelope.roundtable_id,
            )
        _crash_once("after_effect")

    subscribe(rt.broker, rt.settings, topic=COMMANDS, service="alpha", routes={Ping: on_ping})


def wire_beta(rt: ServiceRuntime) -> None:
    group = rt.settings.group("beta")

    async def on_pong(envelope: Envelope, pong: Pong) -> None:
        async with rt.uow.handling(envelope, group) as tx:
            if tx is None:
                return
            tx.emit(
                PongSeen(n=pong.n),
                topic=SEEN,
                key=envelope.roundtable_id,
                roundtable_id=envelope.roundtable_id,
            )

    subscribe(rt.broker, rt.settings, topic=EVENTS, service="beta", routes={Pong: on_pong})


class CrashingRuntime(ServiceRuntime):
    async def publish(self, messages: Sequence[OutboxMessage]) -> None:
        _crash_once("before_publish")
        await super().publish(messages)


async def _serve() -> None:
    settings = RuedaSettings(service_name="alpha")
    rt = CrashingRuntime(settings)
    await rt.start(wire_alpha)
    print("ready", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await rt.stop()


if __name__ == "__main__":
    sys.exit(asyncio.run(_serve()))
