from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ExchangeIn")



@_attrs_define
class ExchangeIn:
    """ A sign-in or invitation code, exchanged once for tokens.

        Attributes:
            code (str): From the e-mailed link (its `?code=`).
            choice (None | str | Unset): Act as this choice (default: the first).
     """

    code: str
    choice: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        code = self.code

        choice: None | str | Unset
        if isinstance(self.choice, Unset):
            choice = UNSET
        else:
            choice = self.choice


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "code": code,
        })
        if choice is not UNSET:
            field_dict["choice"] = choice

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        def _parse_choice(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        choice = _parse_choice(d.pop("choice", UNSET))


        exchange_in = cls(
            code=code,
            choice=choice,
        )

        return exchange_in

