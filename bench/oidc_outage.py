"""Gateway latency while an identity provider hangs: ``rueda bench oidc_outage --json``.

The gateway runs as a process trusting a real OpenID Connect provider (npm's oidc-provider,
tests/oidc/) with a one-second key cache, so that it keeps going back to the provider. Two
phases of the same load: gateway-issued tokens on `GET /v1/me` from `--clients` concurrent
clients, beside as many clients presenting the provider's tokens. Phase one with the provider
healthy (the baseline), phase two with the provider SIGSTOPped (it holds its socket and
answers nothing). Reported: the gateway-token latencies of both phases, and what the
provider's tokens got while it hung (their status codes and latencies).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from _common import BENCH_ENV, infrastructure, percentile
from rueda.cli.infra import repo_root
from rueda.cli.stack import run_stack
from rueda.gateway.app import GatewaySettings, mint_token

AUDIENCE = "https://api.rueda.bench"


def _summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50_ms": round(percentile(values, 50) * 1000, 2),
        "p95_ms": round(percentile(values, 95) * 1000, 2),
        "p99_ms": round(percentile(values, 99) * 1000, 2),
        "max_ms": round(max(values, default=0.0) * 1000, 2),
    }


async def _phase(
    url: str, ours: str, theirs: str, *, clients: int, requests: int
) -> tuple[list[float], list[float], Counter[int]]:
    ours_s: list[float] = []
    theirs_s: list[float] = []
    statuses: Counter[int] = Counter()

    async def client(token: str, into: list[float], count: bool) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            for _ in range(requests):
                t0 = time.perf_counter()
                answer = await http.get("/v1/me", headers=headers)
                into.append(time.perf_counter() - t0)
                if count:
                    statuses[answer.status_code] += 1
                elif answer.status_code != 200:
                    raise RuntimeError(f"a gateway token was refused: {answer.text}")

    await asyncio.gather(
        *(client(ours, ours_s, False) for _ in range(clients)),
        *(client(theirs, theirs_s, True) for _ in range(clients)),
    )
    return ours_s, theirs_s, statuses


async def run(clients: int, requests: int) -> dict[str, Any]:
    sys.path.insert(0, str(repo_root()))
    from tests.support.oidc import Person, oidc_provider

    officer = Person("bench-officer", ["officers"], "officer@agency.bench")
    work = Path(tempfile.mkdtemp(prefix="rueda-bench-oidc-"))
    with (
        infrastructure() as (kafka, mongo, idempotence),
        oidc_provider(work, [officer], AUDIENCE) as provider,
    ):
        issuers = [
            {
                "issuer": provider.issuer,
                "audience": AUDIENCE,
                "algorithms": ["RS256"],
                "rules": [
                    {
                        "value": "officers",
                        "role": "agency",
                        "roundtable_id": "rt-bench",
                        "country": "CL",
                    }
                ],
            }
        ]
        env = {
            **BENCH_ENV,
            "RUEDA_ENV": "development",
            "RUEDA_OIDC_ISSUERS": json.dumps(issuers),
            "RUEDA_OIDC_CACHE_S": "1",
            "RUEDA_OIDC_NEGATIVE_CACHE_S": "1",
            "RUEDA_OIDC_TIMEOUT_S": "2",
        }
        prefix = f"bench{uuid.uuid4().hex[:8]}."
        async with run_stack(
            kafka=kafka,
            mongo=mongo,
            prefix=prefix,
            logs=work,
            idempotence=idempotence,
            services=("gateway",),
            env=env,
        ) as stack:
            ours = mint_token(
                GatewaySettings(env="development"),
                {"sub": "organizer", "role": "organizer", "roundtable_id": "rt-bench"},
            )
            theirs = provider.token(officer.client_id)
            await _phase(stack.gateway, ours, theirs, clients=clients, requests=5)  # warm-up
            healthy, healthy_theirs, healthy_status = await _phase(
                stack.gateway, ours, theirs, clients=clients, requests=requests
            )
            provider.hang()
            try:
                hanging, hanging_theirs, hanging_status = await _phase(
                    stack.gateway, ours, theirs, clients=clients, requests=requests
                )
            finally:
                provider.resume()
    return {
        "benchmark": "oidc_outage",
        "clients_per_kind": clients,
        "requests_per_client": requests,
        "gateway_tokens": {
            "provider_healthy": _summary(healthy),
            "provider_hanging": _summary(hanging),
        },
        "provider_tokens": {
            "provider_healthy": {**_summary(healthy_theirs), "statuses": dict(healthy_status)},
            "provider_hanging": {**_summary(hanging_theirs), "statuses": dict(hanging_status)},
        },
        "settings": {"oidc_timeout_s": 2, "oidc_cache_s": 1, "oidc_negative_cache_s": 1},
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="rueda bench oidc_outage", description=__doc__)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)
    document = asyncio.run(run(args.clients, args.requests))
    if args.json:
        print(json.dumps(document))
    else:
        for kind in ("gateway_tokens", "provider_tokens"):
            for phase, figures in document[kind].items():
                print(f"{kind:16} {phase:17} {figures}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
