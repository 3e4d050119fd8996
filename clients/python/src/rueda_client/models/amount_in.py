from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="AmountIn")



@_attrs_define
class AmountIn:
    """ An amount in one of the roundtable's currencies.

        Attributes:
            currency (str): ISO 4217 code
            value (float | str): Decimal amount (a JSON string keeps every digit).
     """

    currency: str
    value: float | str





    def to_dict(self) -> dict[str, Any]:
        currency = self.currency

        value: float | str
        value = self.value


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "currency": currency,
            "value": value,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        currency = d.pop("currency")

        def _parse_value(data: object) -> float | str:
            return cast(float | str, data)

        value = _parse_value(d.pop("value"))


        amount_in = cls(
            currency=currency,
            value=value,
        )

        return amount_in

