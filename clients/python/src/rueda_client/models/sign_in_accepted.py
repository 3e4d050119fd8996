from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import Literal, cast






T = TypeVar("T", bound="SignInAccepted")



@_attrs_define
class SignInAccepted:
    """ The same answer whether or not the address is known.

        Attributes:
            message (str | Unset): What to tell the person. Default: 'If this address may sign in, a sign-in link is on its
                way (15 minutes).'.
            status (Literal['accepted'] | Unset): Always `accepted`. Default: 'accepted'.
     """

    message: str | Unset = 'If this address may sign in, a sign-in link is on its way (15 minutes).'
    status: Literal['accepted'] | Unset = 'accepted'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        message = self.message

        status = self.status


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if message is not UNSET:
            field_dict["message"] = message
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        message = d.pop("message", UNSET)

        status = cast(Literal['accepted'] | Unset , d.pop("status", UNSET))
        if status != 'accepted'and not isinstance(status, Unset):
            raise ValueError(f"status must match const 'accepted', got '{status}'")

        sign_in_accepted = cls(
            message=message,
            status=status,
        )


        sign_in_accepted.additional_properties = d
        return sign_in_accepted

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
