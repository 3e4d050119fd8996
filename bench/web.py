"""The participants' portal under load: ``rueda bench web [--participants 50] --json``.

Every service, the gateway and the web app run as processes on the real infrastructure; a
roundtable (auto mode) gets `--participants` approved companies (half exporters, half
importers), each signed in (a session cookie holding a gateway token for it). Then all of
them at once load each portal page `--rounds` times. Reported per page: the response time
p50/p99 seen by the browser side, beside the gateway's own latency for the API calls that
page makes (the same calls, same concurrency, straight to the gateway) — the baseline the
page's cost is read against. And the bytes of JavaScript and CSS a first visit downloads,
raw and gzip-compressed (what a compressing proxy or CDN edge sends; the app itself does not
compress).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import re
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from _common import BENCH_ENV, infrastructure, percentile, timed_sink
from rueda.cli.infra import create_topics, delete_topics, repo_root
from rueda.cli.stack import WITH_WEB, run_stack
from rueda.gateway.app import GatewaySettings, mint_token
from rueda.web.session import COOKIE, SessionCodec

SECRET = "bench-session-secret-Jr1u0n9d3mXk2sV8qZ4wLx7bT5yHc6pAe0fGiNo"
#: page -> the gateway calls it makes ({rt}, {pid} filled in)
PAGES = {
    "/portal": [
        "/v1/roundtables/{rt}/participants/{pid}",
        "/v1/roundtables/{rt}",
        "/v1/roundtables/{rt}/meetings?participant_id={pid}",
    ],
    "/portal/matches": ["/v1/roundtables/{rt}", "/v1/roundtables/{rt}/participants/{pid}/matches"],
    "/portal/requests": ["/v1/roundtables/{rt}/meeting-requests?participant_id={pid}"],
    "/portal/agenda": [
        "/v1/roundtables/{rt}/participants/{pid}",
        "/v1/roundtables/{rt}/meetings?participant_id={pid}",
    ],
    "/portal/profile": ["/v1/roundtables/{rt}/participants/{pid}"],
    "/portal/notifications": [
        "/v1/roundtables/{rt}/participants/{pid}",
        "/v1/roundtables/{rt}/participants/{pid}/notifications",
    ],
}


def _ms(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50_ms": round(percentile(values, 50) * 1000, 1),
        "p99_ms": round(percentile(values, 99) * 1000, 1),
    }


async def _settled(gw: httpx.AsyncClient, answer: httpx.Response) -> None:
    if answer.status_code != 202:
        raise RuntimeError(answer.text)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        status = (await gw.get(answer.json()["status_url"])).json()["status"]
        if status == "accepted":
            return
        if status == "rejected":
            raise RuntimeError(f"refused: {answer.json()}")
        await asyncio.sleep(0.2)
    raise TimeoutError(answer.json()["status_url"])


async def _first_visit_bytes(web: str) -> dict[str, int]:
    """JS and CSS referenced by the sign-in page (every page has the same layout)."""
    async with httpx.AsyncClient(base_url=web) as http:
        html = (await http.get("/sign-in")).text
        assets = re.findall(r'<script src="([^"]+)"', html) + re.findall(
            r'<link rel="stylesheet" href="([^"]+)"', html
        )
        raw = compressed = 0
        for path in assets:
            body = (await http.get(path)).content
            raw += len(body)
            compressed += len(gzip.compress(body, compresslevel=6))
    return {"files": len(assets), "raw_bytes": raw, "gzip_bytes": compressed}


async def run(participants: int, rounds: int) -> dict[str, Any]:
    sys.path.insert(0, str(repo_root()))
    from tests.support.rounds import exporter, importer, roundtable

    logs = Path(tempfile.mkdtemp(prefix="rueda-bench-web-"))
    prefix = f"bench{uuid.uuid4().hex[:8]}."
    with infrastructure() as (kafka, mongo, idempotence), timed_sink() as sink:
        await create_topics(kafka, prefix=prefix, partitions=2)
        env = {
            **BENCH_ENV,
            "RUEDA_ENV": "development",
            "RUEDA_SMTP_HOST": sink.host,
            "RUEDA_SMTP_PORT": str(sink.port),
            "RUEDA_SESSION_SECRET": SECRET,
        }
        try:
            async with run_stack(
                kafka=kafka,
                mongo=mongo,
                prefix=prefix,
                logs=logs,
                idempotence=idempotence,
                services=WITH_WEB,
                env=env,
            ) as stack:
                return await _measure(
                    stack.gateway, stack.web, participants, rounds, roundtable, exporter, importer
                )
        finally:
            await delete_topics(kafka, prefix)


async def _measure(
    gateway: str,
    web: str,
    participants: int,
    rounds: int,
    roundtable: Any,
    exporter: Any,
    importer: Any,
) -> dict[str, Any]:
    rt = f"rt-{uuid.uuid4().hex[:8]}"
    settings = GatewaySettings(env="development")
    organizer = {
        "Authorization": "Bearer "
        + mint_token(settings, {"sub": "organizer", "role": "organizer", "roundtable_id": rt})
    }
    async with httpx.AsyncClient(base_url=gateway, timeout=60) as gw:
        await _settled(gw, await gw.post("/v1/roundtables", json=roundtable(rt), headers=organizer))
        bodies = [exporter(i) for i in range(participants // 2)] + [
            importer(i) for i in range(participants - participants // 2)
        ]
        answers = await asyncio.gather(
            *(gw.post(f"/v1/roundtables/{rt}/participants", json=b) for b in bodies)
        )
        await asyncio.gather(*(_settled(gw, a) for a in answers))
        ids = [a.json()["participant_id"] for a in answers]
        reviews = await asyncio.gather(
            *(
                gw.post(
                    f"/v1/roundtables/{rt}/participants/{pid}/review",
                    json={"decision": "approve"},
                    headers=organizer,
                )
                for pid in ids
            )
        )
        await asyncio.gather(*(_settled(gw, a) for a in reviews))
        deadline = time.monotonic() + 120  # matching and scheduling: some meetings first
        while time.monotonic() < deadline:
            if len((await gw.get(f"/v1/roundtables/{rt}/meetings", headers=organizer)).json()):
                break
            await asyncio.sleep(0.5)
        meetings = len((await gw.get(f"/v1/roundtables/{rt}/meetings", headers=organizer)).json())

    codec = SessionCodec(SECRET)
    tokens = {
        pid: mint_token(
            settings,
            {"sub": pid, "role": "participant", "roundtable_id": rt, "participant_id": pid},
            ttl_s=3600,
        )
        for pid in ids
    }
    page_s: dict[str, list[float]] = {p: [] for p in PAGES}
    api_s: dict[str, list[float]] = {p: [] for p in PAGES}
    # a page the gateway could not serve in time is a 503 page, counted (not an abort)
    statuses: dict[str, dict[int, int]] = {p: {} for p in PAGES}
    api_statuses: dict[str, dict[int, int]] = {p: {} for p in PAGES}

    async def person(pid: str) -> None:
        cookie = codec.dump(
            {
                "csrf": uuid.uuid4().hex,
                "access": tokens[pid],
                "role": "participant",
                "rt": rt,
                "pid": pid,
            }
        )
        async with httpx.AsyncClient(base_url=web, cookies={COOKIE: cookie}, timeout=60) as http:
            for _ in range(rounds):
                for page in PAGES:
                    t0 = time.perf_counter()
                    answer = await http.get(page)
                    page_s[page].append(time.perf_counter() - t0)
                    statuses[page][answer.status_code] = (
                        statuses[page].get(answer.status_code, 0) + 1
                    )

    async def api_calls(pid: str) -> None:
        headers = {"Authorization": f"Bearer {tokens[pid]}"}
        async with httpx.AsyncClient(base_url=gateway, headers=headers, timeout=60) as http:
            for _ in range(rounds):
                for page, calls in PAGES.items():
                    t0 = time.perf_counter()
                    for call in calls:
                        answer = await http.get(call.format(rt=rt, pid=pid))
                        api_statuses[page][answer.status_code] = (
                            api_statuses[page].get(answer.status_code, 0) + 1
                        )
                    api_s[page].append(time.perf_counter() - t0)

    await asyncio.gather(*(person(pid) for pid in ids[:2]))  # warm-up
    t0 = time.perf_counter()
    await asyncio.gather(*(person(pid) for pid in ids))
    pages_wall = time.perf_counter() - t0
    t0 = time.perf_counter()
    await asyncio.gather(*(api_calls(pid) for pid in ids))
    api_wall = time.perf_counter() - t0
    return {
        "benchmark": "web",
        "participants": len(ids),
        "rounds": rounds,
        "meetings_in_roundtable": meetings,
        "pages": {
            page: {
                "web": _ms(page_s[page]),
                "gateway_calls_sequential": _ms(api_s[page]),
                "gateway_calls": len(PAGES[page]),
                "web_statuses": statuses[page],
                "gateway_statuses": api_statuses[page],
            }
            for page in PAGES
        },
        "wall_s": {"pages": round(pages_wall, 2), "gateway_calls": round(api_wall, 2)},
        "first_visit_js_css": await _first_visit_bytes(web),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="rueda bench web", description=__doc__)
    parser.add_argument("--participants", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)
    document = asyncio.run(run(args.participants, args.rounds))
    if args.json:
        print(json.dumps(document))
    else:
        for page, figures in document["pages"].items():
            print(f"{page:24} web {figures['web']}  gateway {figures['gateway_calls_sequential']}")
        print("first visit JS+CSS:", document["first_visit_js_css"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
