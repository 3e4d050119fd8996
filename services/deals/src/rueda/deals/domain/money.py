"""US-dollar conversion with the organizer's rates table: decimals only, no network look-up."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

__all__ = ["CENT", "MAX_USD", "OutcomeRefusedError", "cents", "from_cents", "to_usd"]

CENT = Decimal("0.01")
MAX_USD = Decimal("1000000000")
"""Largest amount accepted for one meeting: beyond a billion dollars it is a typo."""


class OutcomeRefusedError(Exception):
    """A report the service will not record; `code` is machine-readable."""

    def __init__(self, code: str, message: str, details: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details: dict[str, Any] = dict(details or {})


def to_usd(
    value: Decimal, currency: str, rates: Mapping[str, Decimal], *, field: str = "amount"
) -> Decimal:
    """`value` in `currency` as US dollars, rounded half-even to the cent.

    USD is always accepted at 1. Refuses non-finite, negative, absurd amounts and currencies
    the roundtable has no rate for.
    """
    if not isinstance(value, Decimal) or not value.is_finite():
        raise OutcomeRefusedError(
            "invalid_amount", f"{field} is not a finite decimal", {"field": field}
        )
    if value < 0:
        raise OutcomeRefusedError(
            "negative_amount",
            f"{field} must not be negative",
            {"field": field, "value": str(value)},
        )
    rate = Decimal(1) if currency == "USD" else rates.get(currency)
    if rate is None:
        raise OutcomeRefusedError(
            "unknown_currency",
            f"{field}: the roundtable has no US-dollar rate for {currency}",
            {"field": field, "currency": currency, "accepted": sorted({*rates, "USD"})},
        )
    if not rate.is_finite() or rate <= 0:
        raise OutcomeRefusedError(
            "unknown_currency",
            f"{field}: the roundtable's rate for {currency} is unusable",
            {"field": field, "currency": currency},
        )
    # reject huge magnitudes before multiplying, so the arithmetic never overflows its context
    if value.adjusted() > 15 or (value * rate) > MAX_USD:
        raise OutcomeRefusedError(
            "absurd_amount",
            f"{field} exceeds {MAX_USD} US dollars for one meeting",
            {"field": field, "value": str(value), "currency": currency, "max_usd": str(MAX_USD)},
        )
    return (value * rate).quantize(CENT, rounding=ROUND_HALF_EVEN)


def cents(usd: Decimal) -> int:
    """An amount in whole cents, for counters."""
    return int((usd * 100).to_integral_value(rounding=ROUND_HALF_EVEN))


def from_cents(n: int) -> Decimal:
    return (Decimal(n) / 100).quantize(CENT)
