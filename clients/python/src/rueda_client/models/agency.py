from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="Agency")



@_attrs_define
class Agency:
    """ A co-hosting export-promotion agency and the country whose exporters it vets.

        Attributes:
            code (str): Short code, e.g. PROCHILE.
            country (str): ISO 3166-1 alpha-2 country code.
            name (str): Its name.
     """

    code: str
    country: str
    name: str





    def to_dict(self) -> dict[str, Any]:
        code = self.code

        country = self.country

        name = self.name


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "code": code,
            "country": country,
            "name": name,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        country = d.pop("country")

        name = d.pop("name")

        agency = cls(
            code=code,
            country=country,
            name=name,
        )

        return agency

