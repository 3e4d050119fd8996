from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="SignInIn")



@_attrs_define
class SignInIn:
    """ An e-mail address asking for a sign-in link.

        Attributes:
            email (str): A participant's contact address, or an invited officer's or organizer's.
            roundtable_id (None | str | Unset): Only this roundtable's identities.
     """

    email: str
    roundtable_id: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        email = self.email

        roundtable_id: None | str | Unset
        if isinstance(self.roundtable_id, Unset):
            roundtable_id = UNSET
        else:
            roundtable_id = self.roundtable_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "email": email,
        })
        if roundtable_id is not UNSET:
            field_dict["roundtable_id"] = roundtable_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        def _parse_roundtable_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        roundtable_id = _parse_roundtable_id(d.pop("roundtable_id", UNSET))


        sign_in_in = cls(
            email=email,
            roundtable_id=roundtable_id,
        )

        return sign_in_in

