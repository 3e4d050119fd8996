from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="Table")



@_attrs_define
class Table:
    """ A numbered table of an in-person venue, optionally named and kept for a sector.

        Attributes:
            number (int): Shown to participants: 'table 12'.
            name (str | Unset): Its name, if any. Default: ''.
            sector (None | str | Unset): The sector it is kept for.
     """

    number: int
    name: str | Unset = ''
    sector: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        number = self.number

        name = self.name

        sector: None | str | Unset
        if isinstance(self.sector, Unset):
            sector = UNSET
        else:
            sector = self.sector


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "number": number,
        })
        if name is not UNSET:
            field_dict["name"] = name
        if sector is not UNSET:
            field_dict["sector"] = sector

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        number = d.pop("number")

        name = d.pop("name", UNSET)

        def _parse_sector(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sector = _parse_sector(d.pop("sector", UNSET))


        table = cls(
            number=number,
            name=name,
            sector=sector,
        )

        return table

