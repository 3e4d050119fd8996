from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import Literal, cast






T = TypeVar("T", bound="SignedOut")



@_attrs_define
class SignedOut:
    """ How many sessions a sign-out revoked.

        Attributes:
            sessions (int): Sessions revoked by this call (0 if none was open).
            status (Literal['signed_out'] | Unset): Always `signed_out`. Default: 'signed_out'.
     """

    sessions: int
    status: Literal['signed_out'] | Unset = 'signed_out'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        sessions = self.sessions

        status = self.status


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "sessions": sessions,
        })
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        sessions = d.pop("sessions")

        status = cast(Literal['signed_out'] | Unset , d.pop("status", UNSET))
        if status != 'signed_out'and not isinstance(status, Unset):
            raise ValueError(f"status must match const 'signed_out', got '{status}'")

        signed_out = cls(
            sessions=sessions,
            status=status,
        )


        signed_out.additional_properties = d
        return signed_out

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
