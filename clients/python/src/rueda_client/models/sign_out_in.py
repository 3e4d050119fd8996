from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="SignOutIn")



@_attrs_define
class SignOutIn:
    """ The session to revoke, by its refresh token.

        Attributes:
            refresh_token (str): The session's refresh token.
            everywhere (bool | Unset): Every session of this e-mail address. Default: False.
     """

    refresh_token: str
    everywhere: bool | Unset = False





    def to_dict(self) -> dict[str, Any]:
        refresh_token = self.refresh_token

        everywhere = self.everywhere


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "refresh_token": refresh_token,
        })
        if everywhere is not UNSET:
            field_dict["everywhere"] = everywhere

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        refresh_token = d.pop("refresh_token")

        everywhere = d.pop("everywhere", UNSET)

        sign_out_in = cls(
            refresh_token=refresh_token,
            everywhere=everywhere,
        )

        return sign_out_in

