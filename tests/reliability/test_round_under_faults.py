"""The 2020 round under faults, each disturbed run compared with one undisturbed run.

Private Kafka and SecantusDB (the suite stops and restarts them), every service and the
gateway as processes, the round replayed through the public API, an SMTP sink:
- every service SIGKILLed three times at seeded random moments spread over the stages;
- the Kafka broker stopped and restarted mid-run, with poison messages on every input topic;
- SecantusDB stopped and restarted mid-run, with copies of real envelopes re-published on
  every input topic (duplicate deliveries);
- schemathesis and an authorization matrix against the undisturbed stack once its round is over.
Each disturbed round must end with the same meetings (valid), the same report, the same
e-mails and invitations, no effect twice, no event lost and nothing dead-lettered but the
poison.

"No e-mail twice" is checked as a recipient sees it: no invitation carried by two different
e-mails, no e-mail re-sent with other content. SMTP has no idempotency key, so one window is
left and counted apart: a notifications process SIGKILLed after the server accepted a message
and before it recorded that sends the same message (same Message-ID, same ICS UID and
SEQUENCE) again when its claim runs out; mailboxes and calendars keep one. Those identical
re-sends are printed, bounded by what the killed process had in flight, and must be 0 when
nothing was killed (a database outage no longer causes them: the record is retried).
"""

from __future__ import annotations

import asyncio
import tempfile
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from tests.support.counters import COUNTS, FINDINGS
from tests.support.reliability import (
    INPUT_TOPICS,
    BrokerRestart,
    DatabaseRestart,
    Disturbances,
    Duplicates,
    Observation,
    Poison,
    ServiceKills,
    duplicate_effects,
    identical_resends,
    play_round,
    report_figures,
    say,
    schedule_problems,
)

from rueda.cli.infra import Infra, infra_home
from rueda.cli.replay import ReplayResult
from rueda.cli.stack import SERVICES, Stack
from rueda.gateway.app import GatewaySettings, mint_token
from rueda.notifications.app import NotificationsSettings

pytestmark = [pytest.mark.reliability, pytest.mark.timeout(900)]

SEED = 20200623


@pytest.fixture(scope="session")
def logs() -> Path:
    return Path(tempfile.mkdtemp(prefix="rueda-reliability-"))


@pytest.fixture(scope="session")
async def infra() -> AsyncIterator[Infra]:
    """A Kafka broker and a SecantusDB of our own: this suite stops and restarts them."""
    own = Infra(home=infra_home(), name=f"reliability-{uuid.uuid4().hex[:6]}")
    await asyncio.to_thread(own.up, broker="kafka", kafka_port=None, mongo_port=None, log=False)
    try:
        yield own
    finally:
        await asyncio.to_thread(own.down, log=False)


@pytest.fixture(scope="session")
async def baseline(infra: Infra, logs: Path) -> Observation:
    """The undisturbed round, once per session; the gateway probes run on its stack after."""
    return await play_round(infra, "baseline", logs / "baseline", after=probe_gateway)


def differences(baseline: Observation, observed: Observation) -> list[str]:
    """Everything in which `observed` falls short of the undisturbed run."""
    wrong: list[str] = []
    wrong += [f"schedule: {p}" for p in schedule_problems(observed.result)]
    if len(observed.result.meetings) != len(baseline.result.meetings):
        wrong.append(
            f"meetings: {len(observed.result.meetings)} != {len(baseline.result.meetings)}"
        )
    if report_figures(observed.report) != report_figures(baseline.report):
        wrong.append(
            f"report differs: {report_figures(observed.report)} != "
            f"{report_figures(baseline.report)}"
        )
    if len(observed.invites) != len(baseline.invites):
        wrong.append(f"invites: {len(observed.invites)} != {len(baseline.invites)}")
    if len(observed.message_ids) != len(baseline.message_ids):  # distinct e-mails
        wrong.append(f"e-mails: {len(observed.message_ids)} != {len(baseline.message_ids)}")
    wrong += duplicate_effects(observed)
    wrong += [f"lost: {line}" for line in lost_events(baseline, observed)]
    wrong += [f"done twice: {line}" for line in extra_events(baseline, observed)]
    failed = observed.extras["deliveries"].get("failed", 0)
    if failed != baseline.extras["deliveries"].get("failed", 0):
        wrong.append(f"deliveries failed for good: {failed}")
    return wrong


# how many of these depends on timing (matching re-proposes as approvals arrive; proposal
# e-mails coalesce per participant and day): printed, not compared
TIMING_DEPENDENT = ("matching.events.v1:MatchesProposed", "notifications.events.v1:")


def lost_events(baseline: Observation, observed: Observation) -> list[str]:
    """Event types that ended with fewer distinct events than in the undisturbed run."""
    before, after = baseline.event_counts(), observed.event_counts()
    return [
        f"{kind}: {after.get(kind, 0)} < {count}"
        for kind, count in sorted(before.items())
        if after.get(kind, 0) < count and not kind.startswith(TIMING_DEPENDENT)
    ]


def extra_events(baseline: Observation, observed: Observation) -> list[str]:
    """Event types with more distinct events than in the undisturbed run: an effect done
    twice under a new event id (a redelivered copy keeps its id and is not counted)."""
    before, after = baseline.event_counts(), observed.event_counts()
    return [
        f"{kind}: {count} > {before.get(kind, 0)}"
        for kind, count in sorted(after.items())
        if count > before.get(kind, 0) and not kind.startswith(TIMING_DEPENDENT)
    ]


def unexpected_dead_letters(observed: Observation, poison: Poison | None = None) -> list[str]:
    sent = poison.injected.values() if poison else []
    injected = {value for messages in sent for _, value in messages}
    return [
        f"{topic}.dlq: {record.value[:120]!r} ({dict(record.headers).get('x-error-type')})"
        for topic, records in observed.dead_letters.items()
        for record in records
        if record.value not in injected
    ]


def summarise(label: str, baseline: Observation, observed: Observation, wrong: list[str]) -> None:
    lost = lost_events(baseline, observed)
    twice = duplicate_effects(observed) + extra_events(baseline, observed)
    resent = identical_resends(observed)
    COUNTS["reliability: events lost"] += len(lost)
    COUNTS["reliability: duplicate effects"] += len(twice)
    COUNTS["reliability: identical e-mails re-sent after a SIGKILL (same Message-ID)"] += resent
    line = (
        f"{label}: {len(observed.result.meetings)} meetings (baseline "
        f"{len(baseline.result.meetings)}), {observed.report['meetings']['held']} held, "
        f"deals {observed.report['deals']['count']}, e-mails {len(observed.message_ids)} "
        f"(baseline {len(baseline.message_ids)}), invites {len(observed.invites)}, identical "
        f"re-sends {resent}, redelivered copies on topics {observed.copies}, lost {len(lost)}, "
        f"duplicate effects {len(twice)}, {observed.seconds:.0f}s"
    )
    say(line)
    FINDINGS.append(line)
    FINDINGS.extend(f"{label}: DIFFERENCE {w}" for w in wrong)
    say(f"{label}: deliveries by status {observed.extras['deliveries']}")
    say(f"{label}: events {observed.event_counts()}")
    for line in wrong:
        say(f"{label}: DIFFERENCE {line}")


async def test_the_undisturbed_round_is_a_valid_reference(baseline: Observation) -> None:
    assert baseline.report["meetings"]["held"] == 125
    assert schedule_problems(baseline.result) == []
    assert duplicate_effects(baseline) == []
    assert unexpected_dead_letters(baseline) == []
    assert len(baseline.invites) >= 2 * len(baseline.result.meetings)
    assert identical_resends(baseline) == 0
    FINDINGS.append(
        f"baseline: {len(baseline.result.meetings)} meetings, "
        f"{baseline.report['meetings']['held']} held, deals {baseline.report['deals']['count']}, "
        f"e-mails {len(baseline.message_ids)}, invites {len(baseline.invites)}, "
        f"{baseline.seconds:.0f}s"
    )
    say(f"baseline: deliveries by status {baseline.extras['deliveries']}")
    say(f"baseline: {baseline.event_counts()}")


async def test_every_service_killed_three_times_changes_nothing(
    infra: Infra, logs: Path, baseline: Observation
) -> None:
    kills = ServiceKills(SEED, times=3)
    say(f"kill plan (seed {SEED}): {kills.plan}")
    observed = await play_round(infra, "kills", logs / "kills", disturbance=kills)
    wrong = differences(baseline, observed) + unexpected_dead_letters(observed)
    summarise("kills", baseline, observed, wrong)
    assert {name: kills.survived[name] for name in SERVICES} == {name: 3 for name in SERVICES}
    assert wrong == []
    # SMTP has no idempotency key: a notifications process killed after the server accepted
    # a message and before it recorded that re-sends it (same Message-ID) when its claim
    # runs out. Never more than it can have in flight at each of its kills: a batch per task.
    defaults = NotificationsSettings()
    in_flight = defaults.delivery_concurrency * defaults.delivery_batch
    assert identical_resends(observed) <= kills.survived["notifications"] * in_flight


async def test_a_broker_restart_and_poison_on_every_input_topic_change_nothing(
    infra: Infra, logs: Path, baseline: Observation
) -> None:
    poison = Poison("register")
    faults = Disturbances(poison, BrokerRestart("approve"), BrokerRestart("report_outcomes"))
    observed = await play_round(infra, "broker", logs / "broker", disturbance=faults)
    wrong = differences(baseline, observed) + unexpected_dead_letters(observed, poison)
    summarise("broker restarts+poison", baseline, observed, wrong)
    # every poison message is dead-lettered, with its error, by every consumer group
    for spec in INPUT_TOPICS:
        dead = observed.dead_letters[spec.name]
        for kind, value in poison.injected[spec.name]:
            copies = [r for r in dead if r.value == value]
            groups = {dict(r.headers)["x-consumer-group"].decode() for r in copies}
            services = [r for r in spec.readers if r in SERVICES]  # not the agencies' own
            assert len(groups) == len(services), (spec.name, kind, groups)
            for record in copies:
                headers = dict(record.headers)
                assert headers["x-error-type"], headers
                assert headers["x-error-message"], headers
                assert headers["x-original-topic"].decode().endswith(spec.name)
            COUNTS["reliability: poison messages dead-lettered"] += len(copies)
    assert wrong == []
    assert identical_resends(observed) == 0


async def test_a_database_restart_and_duplicate_deliveries_change_nothing(
    infra: Infra, logs: Path, baseline: Observation
) -> None:
    duplicates = Duplicates(("attend", "final_report"), seed=SEED)
    faults = Disturbances(duplicates, DatabaseRestart("report_outcomes"))
    observed = await play_round(infra, "database", logs / "database", disturbance=faults)
    wrong = differences(baseline, observed) + unexpected_dead_letters(observed)
    summarise("database restart+duplicates", baseline, observed, wrong)
    assert sum(duplicates.copied.values()) > 0
    assert wrong == []
    # a sent message is recorded once the database is back: nothing is sent again
    assert identical_resends(observed) == 0


# --- the gateway against the real stack --------------------------------------------------


def bearer(**claims: Any) -> dict[str, str]:
    """A token as the gateway issues them (EdDSA, kid, iss, aud, iat, exp)."""
    body = {"sub": claims.get("participant_id", claims["role"]), **claims}
    return {"Authorization": f"Bearer {mint_token(GatewaySettings(env='development'), body)}"}


async def probe_gateway(stack: Stack, result: ReplayResult) -> dict[str, Any]:
    """Run once the baseline is observed: the authorization matrix, then schemathesis."""
    matrix = await authorization_matrix(stack.gateway, result)
    fuzz = await asyncio.to_thread(fuzz_gateway, stack.gateway, result.roundtable_id)
    return {"matrix": matrix, "fuzz": fuzz}


async def authorization_matrix(gateway: str, result: ReplayResult) -> dict[str, Any]:
    import httpx

    rt = result.roundtable_id
    meeting = result.meetings[0]
    exporter, importer = meeting["exporter_id"], meeting["importer_id"]
    country = result.participants[exporter]["country"]
    other_country = next(c for c in ("CL", "CO", "MX", "PE") if c != country)
    stranger = next(
        pid
        for pid, body in result.participants.items()
        if pid not in (exporter, importer) and body["role"] == "exporter"
    )
    roles: dict[str, dict[str, str]] = {
        "anonymous": {},
        "organizer": bearer(role="organizer", roundtable_id=rt),
        "organizer_other_rt": bearer(role="organizer", roundtable_id="another-roundtable"),
        "agency_own": bearer(role="agency", roundtable_id=rt, country=country),
        "agency_other": bearer(role="agency", roundtable_id=rt, country=other_country),
        "participant_self": bearer(role="participant", roundtable_id=rt, participant_id=exporter),
        "participant_other": bearer(role="participant", roundtable_id=rt, participant_id=stranger),
        "admin": bearer(role="admin"),
    }
    # expected status per role, in the order of `roles`; "-" = must not succeed (2xx)
    r = f"/v1/roundtables/{rt}"
    p = f"{r}/participants/{exporter}"
    m = f"{r}/meetings/{meeting['meeting_id']}"
    outcome = {"participant_id": exporter, "result": "no_interest"}
    table: list[tuple[str, str, Any, str]] = [
        ("GET", f"{r}/participants", None, "401 200 403 200 200 403 403 200"),
        ("GET", p, None, "401 200 403 200 403 200 403 200"),
        ("GET", f"{p}/matches", None, "401 200 403 200 - 200 403 200"),
        ("GET", f"{p}/agenda.ics", None, "401 200 403 200 - 200 403 200"),
        ("GET", f"{r}/meetings", None, "401 200 403 200 200 200 200 200"),  # scoped per role,
        ("GET", f"{r}/report", None, "401 200 403 200 200 403 403 200"),
        # writes: only the refusals are sent ("."), an allowed write would change the round
        ("POST", f"{p}/review", {"decision": "approve"}, "401 . 403 . 403 403 403 ."),
        ("POST", f"{m}/attendance", {"status": "held"}, "401 . 403 403 403 . 403 ."),
        ("POST", f"{m}/outcome", outcome, "401 . 403 . 403 . 403 ."),
        ("POST", f"{m}/cancel", {}, "401 . 403 403 403 . 403 ."),
        ("POST", f"{r}/schedule/optimize", {}, "401 . 403 403 403 403 403 ."),
    ]  # fmt: skip
    wrong: list[str] = []
    checked = 0
    async with httpx.AsyncClient(base_url=gateway, timeout=15) as client:
        for method, path, body, row in table:
            for (role, headers), expected in zip(roles.items(), row.split(), strict=True):
                if expected == ".":
                    continue
                response = await client.request(method, path, json=body, headers=headers)
                checked += 1
                if response.status_code >= 500:
                    wrong.append(f"{role} {method} {path}: {response.status_code}")
                elif expected != "-" and response.status_code != int(expected):
                    wrong.append(f"{role} {method} {path}: {response.status_code} != {expected}")
                elif expected == "-" and response.status_code < 300:
                    wrong.append(f"{role} {method} {path}: allowed ({response.status_code})")
                if response.status_code in (401, 403):
                    error = response.json().get("error", {})
                    if not error.get("code"):
                        wrong.append(f"{role} {method} {path}: no error code in {response.text}")
    COUNTS["reliability: authorization checks on the real stack"] += checked
    return {"checked": checked, "wrong": wrong}


def fuzz_gateway(gateway: str, rt: str, examples: int = 8) -> dict[str, Any]:
    """schemathesis on every operation of the gateway's OpenAPI, as admin and organizer."""
    import schemathesis
    from hypothesis import HealthCheck, given, settings

    schema = schemathesis.openapi.from_url(f"{gateway}/openapi.json")
    server_errors: list[str] = []
    operations = 0
    tally = {"cases": 0}
    identities = {
        "admin": bearer(role="admin"),
        "organizer": bearer(role="organizer", roundtable_id=rt),
    }
    for found in schema.get_all_operations():
        operation = found.ok()
        if operation.path.endswith("/stream"):
            continue  # server-sent events never end: the deals tests cover the stream
        operations += 1
        for who, headers in identities.items():
            test = _fuzz_case(gateway, who, headers, server_errors, tally)
            settings(
                max_examples=examples,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )(given(case=operation.as_strategy())(test))()
    cases = tally["cases"]
    COUNTS["reliability: schemathesis cases on the real stack"] += cases
    return {"operations": operations, "cases": cases, "server_errors": server_errors}


def _fuzz_case(
    gateway: str, who: str, headers: dict[str, str], server_errors: list[str], tally: dict[str, int]
) -> Callable[[Any], None]:
    def test(case: Any) -> None:
        tally["cases"] += 1
        response = case.call(base_url=gateway, headers=headers, timeout=15)
        if response.status_code >= 500:
            server_errors.append(
                f"{who} {case.method} {case.formatted_path}: {response.status_code} "
                f"{response.text[:200]}"
            )

    return test


async def test_the_real_gateway_is_fuzzed_and_authorizes_every_role(baseline: Observation) -> None:
    matrix, fuzz = baseline.extras["matrix"], baseline.extras["fuzz"]
    for line in (
        f"authorization matrix: {matrix['checked']} checks, wrong: {matrix['wrong']}",
        f"schemathesis: {fuzz['operations']} operations, {fuzz['cases']} cases, "
        f"5xx: {fuzz['server_errors']}",
    ):
        say(line)
        FINDINGS.append(line)
    assert fuzz["operations"] >= 20
    assert matrix["wrong"] == []
    assert fuzz["server_errors"] == []
