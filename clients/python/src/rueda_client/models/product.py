from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="Product")



@_attrs_define
class Product:
    """ A product a participant sells or buys.

        Attributes:
            hs_code (str): Harmonized System code: 2-digit chapter, 4-digit heading or 6-digit subheading.
            description (str | Unset): In plain words. Default: ''.
     """

    hs_code: str
    description: str | Unset = ''





    def to_dict(self) -> dict[str, Any]:
        hs_code = self.hs_code

        description = self.description


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "hs_code": hs_code,
        })
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        hs_code = d.pop("hs_code")

        description = d.pop("description", UNSET)

        product = cls(
            hs_code=hs_code,
            description=description,
        )

        return product

