"""`rueda`: local infrastructure, services, demo, development tokens and benchmarks."""

from __future__ import annotations

import argparse
import os
import runpy
import shlex
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from .infra import KAFKA_VERSION, Infra, repo_root

__all__ = ["main"]


def _infra(args: argparse.Namespace) -> int:
    infra = Infra()
    if args.action == "up":
        t0 = time.monotonic()
        state = infra.up(broker=args.broker)
        print(f"infrastructure ready in {time.monotonic() - t0:.1f}s", file=sys.stderr)
        _print_env(state.env())
    elif args.action == "down":
        infra.down()
    else:
        state = infra.state()
        kafka_ok, mongo_ok = infra.running()
        kind = state.kafka_kind or "kafka"
        version = state.kafka_version or KAFKA_VERSION
        print(
            f"broker:   {'running' if kafka_ok else 'stopped'}  {kind} {version}  "
            f"{state.kafka_bootstrap or '-'}"
        )
        print(
            f"database: {'running' if mongo_ok else 'stopped'}  SecantusDB  "
            f"{state.mongo_uri or '-'}"
        )
        if kafka_ok and mongo_ok:
            _print_env(state.env())
        return 0 if (kafka_ok and mongo_ok) else 3
    return 0


def _infra_run(command: list[str]) -> int:
    """Run `command` with the local infrastructure, stopping afterwards what this started."""
    import subprocess

    if command[:1] == ["--"]:
        command = command[1:]
    if not command:
        print("usage: rueda infra run -- COMMAND...", file=sys.stderr)
        return 2
    t0 = time.monotonic()
    with Infra().started() as state:
        print(f"infrastructure ready in {time.monotonic() - t0:.1f}s", file=sys.stderr)
        return subprocess.call(command, env={**os.environ, **state.env()})


def _print_env(env: dict[str, str]) -> None:
    for key, value in env.items():
        print(f"export {key}={shlex.quote(value)}")


def _token(args: argparse.Namespace) -> int:
    from rueda.gateway.app import GatewaySettings, mint_token

    claims: dict[str, object] = {
        "sub": args.subject or args.participant or f"{args.role}-dev",
        "role": args.role,
    }
    if args.roundtable:
        claims["roundtable_id"] = args.roundtable
    if args.country:
        claims["country"] = args.country.upper()
    if args.participant:
        claims["participant_id"] = args.participant
    # the gateway's own settings (RUEDA_JWT_ISSUER, RUEDA_JWT_SIGNING_KEYS, ...): the token is
    # one that gateway accepts; without keys, the development key (development only)
    print(mint_token(GatewaySettings(), claims, ttl_s=args.ttl, hs256=args.hs256))
    return 0


def _admin(args: argparse.Namespace) -> int:
    import asyncio

    from rueda.gateway.app import GatewaySettings, sign_in_for_admin

    link = asyncio.run(sign_in_for_admin(GatewaySettings(), args.email))
    print(f"{args.email} is an admin. Single-use sign-in link (15 minutes):\n{link}")
    return 0


def _mail(args: argparse.Namespace) -> int:
    from .up import print_mail

    return print_mail(limit=args.last)


def _bench(args: argparse.Namespace, rest: Sequence[str]) -> int:
    path = repo_root() / "bench" / f"{args.name}.py"
    if not path.exists():
        available = sorted(p.stem for p in path.parent.glob("*.py") if not p.stem.startswith("_"))
        print(f"no benchmark {args.name!r}; available: {', '.join(available)}", file=sys.stderr)
        return 2
    sys.path.insert(0, str(path.parent))
    namespace = runpy.run_path(str(path), run_name="rueda_bench")
    result = namespace["main"](list(rest))
    return int(result or 0)


def _deploy(args: argparse.Namespace) -> int:
    from . import deploy_gen

    target = (
        Path(args.output)
        if args.output
        else (repo_root() / "deploy" / "kubernetes" / "base" / "kafka-topics.yaml")
    )
    deploy_gen.write_kafka_topics(target)
    print(f"wrote {target}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rueda", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    infra = sub.add_parser("infra", help="local Apache Kafka and SecantusDB")
    infra.add_argument(
        "action",
        choices=["up", "down", "status", "run"],
        help="run: `rueda infra run -- COMMAND` with the servers up",
    )
    infra.add_argument("--broker", choices=["auto", "kafka", "tansu"], default="auto")

    token = sub.add_parser("token", help="print a development JWT")
    token.add_argument(
        "--role", required=True, choices=["organizer", "agency", "participant", "admin"]
    )
    token.add_argument("--roundtable")
    token.add_argument("--country")
    token.add_argument("--participant")
    token.add_argument("--subject")
    token.add_argument("--ttl", type=int, default=12 * 3600)
    token.add_argument(
        "--hs256", action="store_true", help="HS256 with the development secret (development)"
    )

    admin = sub.add_parser("admin", help="manage admins (writes the gateway's database)")
    admin.add_argument("action", choices=["create"])
    admin.add_argument("email")

    mail = sub.add_parser("mail", help="list the e-mails the local SMTP sink of `rueda up` caught")
    mail.add_argument("--last", type=int, default=10)

    bench = sub.add_parser("bench", help="run a benchmark under bench/ (extra args pass through)")
    bench.add_argument("name")

    sub.add_parser("demo", help="replay the 2020 Pacific Alliance round and print its report")
    sub.add_parser("up", help="infrastructure, every service and the gateway, in the foreground")

    sub.add_parser(
        "screenshots",
        help="the portal's pages at 390x844 and 1440x900 into docs/screenshots (runs the "
        "browser tests on the real stack)",
    )
    web = sub.add_parser("web", help="the web app: vendored assets (npm) and catalogues")
    web.add_argument("what", choices=["assets", "i18n"])

    deploy = sub.add_parser("deploy", help="generate deployment files from the registry")
    deploy.add_argument("what", choices=["topics"])
    deploy.add_argument("--output")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if argv[:2] == ["infra", "run"]:
        return _infra_run(argv[2:])
    if argv[:1] == ["bench"]:
        args, rest = parser.parse_known_args(argv)
        return _bench(args, rest)
    args = parser.parse_args(argv)
    if args.command == "infra":
        return _infra(args)
    if args.command == "token":
        return _token(args)
    if args.command == "deploy":
        return _deploy(args)
    if args.command == "admin":
        return _admin(args)
    if args.command == "mail":
        return _mail(args)
    if args.command == "demo":
        from .demo import demo

        return demo()
    if args.command == "screenshots":
        os.environ["RUEDA_SCREENSHOTS"] = str(repo_root() / "docs" / "screenshots")
        return _infra_run([sys.executable, "-m", "pytest", "-m", "browser", "tests/browser"])
    if args.command == "web":
        from . import web as web_tools

        return web_tools.assets() if args.what == "assets" else web_tools.i18n()
    if args.command == "up":
        from .up import up

        return up()
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
