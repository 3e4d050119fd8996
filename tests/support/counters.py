"""Numbers tests report at the end of the run (e.g. schemathesis cases tried)."""

from __future__ import annotations

from collections import Counter

COUNTS: Counter[str] = Counter()
