from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="InvitationOut")



@_attrs_define
class InvitationOut:
    """ An invitation e-mailed.

        Attributes:
            email (str): Whom it was sent to.
            expires_at (str): When the link stops working (7 days).
            invitation_id (str): Its id.
            role (str): `agency` or `organizer`.
            roundtable_id (str): The roundtable.
            agency (None | str | Unset): The agency's code (role `agency`).
            country (None | str | Unset): The agency's country (role `agency`).
     """

    email: str
    expires_at: str
    invitation_id: str
    role: str
    roundtable_id: str
    agency: None | str | Unset = UNSET
    country: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        email = self.email

        expires_at = self.expires_at

        invitation_id = self.invitation_id

        role = self.role

        roundtable_id = self.roundtable_id

        agency: None | str | Unset
        if isinstance(self.agency, Unset):
            agency = UNSET
        else:
            agency = self.agency

        country: None | str | Unset
        if isinstance(self.country, Unset):
            country = UNSET
        else:
            country = self.country


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "email": email,
            "expires_at": expires_at,
            "invitation_id": invitation_id,
            "role": role,
            "roundtable_id": roundtable_id,
        })
        if agency is not UNSET:
            field_dict["agency"] = agency
        if country is not UNSET:
            field_dict["country"] = country

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        expires_at = d.pop("expires_at")

        invitation_id = d.pop("invitation_id")

        role = d.pop("role")

        roundtable_id = d.pop("roundtable_id")

        def _parse_agency(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        agency = _parse_agency(d.pop("agency", UNSET))


        def _parse_country(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        country = _parse_country(d.pop("country", UNSET))


        invitation_out = cls(
            email=email,
            expires_at=expires_at,
            invitation_id=invitation_id,
            role=role,
            roundtable_id=roundtable_id,
            agency=agency,
            country=country,
        )


        invitation_out.additional_properties = d
        return invitation_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
