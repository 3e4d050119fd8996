"""Numbers and findings tests report at the end of the run (e.g. schemathesis cases tried,
what each reliability round injected and found)."""

from __future__ import annotations

from collections import Counter

COUNTS: Counter[str] = Counter()
FINDINGS: list[str] = []  # one line per finding worth reading in CI's output (e.g. per round)
