"""Where the tests find Kafka and MongoDB: env vars, else local infra, else testcontainers."""

from __future__ import annotations

import os
from dataclasses import dataclass

from rueda.cli.infra import Infra


@dataclass
class Servers:
    kafka_bootstrap: str
    mongo_uri: str
    kind: str
    infra: Infra | None = None
    idempotence: bool = True

    def stop(self) -> None:
        if self.infra is not None:
            self.infra.down(log=False)


def find_servers() -> Servers:
    bootstrap = os.environ.get("RUEDA_KAFKA_BOOTSTRAP")
    mongo = os.environ.get("RUEDA_MONGO_URI")
    if bootstrap and mongo:
        idem = os.environ.get("RUEDA_KAFKA_IDEMPOTENCE", "true").lower() != "false"
        return Servers(bootstrap, mongo, "external", idempotence=idem)
    try:
        infra = Infra(name="pytest")
        state = infra.up(broker="kafka", kafka_port=None, mongo_port=None, log=False)
        return Servers(state.kafka_bootstrap, state.mongo_uri, "local", infra)
    except Exception as local_error:
        return _containers(local_error)


def _containers(local_error: Exception) -> Servers:
    try:
        import docker.errors
        from testcontainers.kafka import KafkaContainer
        from testcontainers.mongodb import MongoDbContainer
    except ImportError:
        raise local_error from None
    try:
        kafka = KafkaContainer().with_kraft()
        mongo = MongoDbContainer()
    except docker.errors.DockerException:
        raise local_error from None
    kafka.start()
    mongo.start()
    return Servers(kafka.get_bootstrap_server(), mongo.get_connection_url(), "testcontainers")
