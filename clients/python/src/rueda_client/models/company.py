from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="Company")



@_attrs_define
class Company:
    """ The company a participant registers for.

        Attributes:
            name (str): Legal name.
            tax_id (str): National tax id (duplicates are refused).
            website (None | str | Unset): Web site.
     """

    name: str
    tax_id: str
    website: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        tax_id = self.tax_id

        website: None | str | Unset
        if isinstance(self.website, Unset):
            website = UNSET
        else:
            website = self.website


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
            "tax_id": tax_id,
        })
        if website is not UNSET:
            field_dict["website"] = website

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        tax_id = d.pop("tax_id")

        def _parse_website(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        website = _parse_website(d.pop("website", UNSET))


        company = cls(
            name=name,
            tax_id=tax_id,
            website=website,
        )

        return company

