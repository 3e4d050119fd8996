"""The 2020 Pacific Alliance round's payloads (shared with `rueda demo`)."""

from rueda.cli.scenario import *  # noqa: F403
from rueda.cli.scenario import __all__ as __all__
