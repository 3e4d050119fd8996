from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="Wants")



@_attrs_define
class Wants:
    """ What a participant looks for in a counterpart.

        Attributes:
            certifications_required (list[str] | Unset): Certifications a counterpart must hold.
            countries (list[str] | Unset): Countries wanted (empty: any).
            sectors (list[str] | Unset): Sectors wanted (empty: any).
     """

    certifications_required: list[str] | Unset = UNSET
    countries: list[str] | Unset = UNSET
    sectors: list[str] | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        certifications_required: list[str] | Unset = UNSET
        if not isinstance(self.certifications_required, Unset):
            certifications_required = self.certifications_required



        countries: list[str] | Unset = UNSET
        if not isinstance(self.countries, Unset):
            countries = self.countries



        sectors: list[str] | Unset = UNSET
        if not isinstance(self.sectors, Unset):
            sectors = self.sectors




        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if certifications_required is not UNSET:
            field_dict["certifications_required"] = certifications_required
        if countries is not UNSET:
            field_dict["countries"] = countries
        if sectors is not UNSET:
            field_dict["sectors"] = sectors

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        certifications_required = cast(list[str], d.pop("certifications_required", UNSET))


        countries = cast(list[str], d.pop("countries", UNSET))


        sectors = cast(list[str], d.pop("sectors", UNSET))


        wants = cls(
            certifications_required=certifications_required,
            countries=countries,
            sectors=sectors,
        )

        return wants

