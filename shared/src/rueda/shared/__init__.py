"""rueda.shared: the library every Rueda service uses."""

from . import contracts, messaging
from .health import health_router
from .logging import configure_logging, get_logger
from .mongo import IndexSpec, ensure_indexes, open_mongo
from .service import ServiceRuntime, run_service, service_app
from .settings import DEV_SECRET, RuedaSettings

__all__ = [
    "DEV_SECRET",
    "IndexSpec",
    "RuedaSettings",
    "ServiceRuntime",
    "configure_logging",
    "contracts",
    "ensure_indexes",
    "get_logger",
    "health_router",
    "messaging",
    "open_mongo",
    "run_service",
    "service_app",
]
