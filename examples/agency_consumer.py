"""An export-promotion agency reads the deals closed by its country's exporters.

Needs only aiokafka (`pip install aiokafka`), not Rueda. Run it with the agency's own consumer
group, so that it keeps its own position on the topic:

    python examples/agency_consumer.py --bootstrap kafka:9092 --agency PROCHILE

Every record of `deals.closed.v1` is one JSON envelope whose `data` is a `DealClosed` (a deal
as it first closed, `version` 1) or a `DealUpdated` (a later correction, `version` 2, 3, ...);
the record key and the `agency` header carry the agency code. Keep the highest `version` of
each `deal_id`. The offset is committed only after a batch was handled, so a crash
re-delivers: handling must be idempotent (the version check makes it so).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiokafka import AIOKafkaConsumer

Deal = dict[str, Any]


async def consume(
    bootstrap: str,
    agency: str,
    on_deal: Callable[[Deal], Awaitable[None] | None],
    *,
    topic: str = "deals.closed.v1",
    group: str | None = None,
    stop: asyncio.Event | None = None,
    **security: Any,
) -> None:
    """Call `on_deal(envelope)` for each closed or updated deal of `agency`, until `stop`.

    `security` goes to AIOKafkaConsumer (e.g. security_protocol="SASL_SSL",
    sasl_mechanism="SCRAM-SHA-512", sasl_plain_username=..., sasl_plain_password=...).
    """
    stop = stop or asyncio.Event()
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=group or f"agency-{agency.lower()}",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=100,
        **security,
    )
    await consumer.start()
    try:
        while not stop.is_set():
            batch = await consumer.getmany(timeout_ms=200)
            for records in batch.values():
                for record in records:
                    headers = {k: v.decode() for k, v in record.headers or ()}
                    if headers.get("agency") != agency:
                        continue  # another agency's deal (same partition, different key)
                    envelope = json.loads(record.value)
                    if envelope.get("event_type") not in ("DealClosed", "DealUpdated"):
                        continue
                    result = on_deal(envelope)
                    if result is not None:
                        await result
            if batch:
                await consumer.commit()
    finally:
        await consumer.stop()


def _print(envelope: Deal) -> None:
    deal = envelope["data"]
    print(
        f"{envelope['roundtable_id']} {deal['deal_id']} v{deal['version']} {deal['status']}: "
        f"{deal['exporter_id']} ({deal['exporter_country']}) -> "
        f"{deal['importer_id']} ({deal['importer_country']}) "
        f"immediate US${deal['immediate_usd']} projected 12m US${deal['projected_12m_usd']} "
        f"products {','.join(deal['products'])}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap", default="127.0.0.1:9092")
    parser.add_argument("--agency", required=True, help="Agency code, e.g. PROCHILE")
    parser.add_argument("--topic", default="deals.closed.v1")
    parser.add_argument("--group", default=None, help="Default: agency-<code>")
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(
            consume(args.bootstrap, args.agency, _print, topic=args.topic, group=args.group)
        )


if __name__ == "__main__":
    main()
