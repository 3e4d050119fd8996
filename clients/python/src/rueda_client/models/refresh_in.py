from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="RefreshIn")



@_attrs_define
class RefreshIn:
    """ A refresh token to rotate, optionally switching identity.

        Attributes:
            refresh_token (str): The session's latest refresh token (single use).
            choice (None | str | Unset): Switch to another of the session's choices.
     """

    refresh_token: str
    choice: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        refresh_token = self.refresh_token

        choice: None | str | Unset
        if isinstance(self.choice, Unset):
            choice = UNSET
        else:
            choice = self.choice


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "refresh_token": refresh_token,
        })
        if choice is not UNSET:
            field_dict["choice"] = choice

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        refresh_token = d.pop("refresh_token")

        def _parse_choice(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        choice = _parse_choice(d.pop("choice", UNSET))


        refresh_in = cls(
            refresh_token=refresh_token,
            choice=choice,
        )

        return refresh_in

