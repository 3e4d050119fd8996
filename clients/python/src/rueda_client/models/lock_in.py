from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="LockIn")



@_attrs_define
class LockIn:
    """ Lock a meeting in its slot, or unlock it.

        Attributes:
            locked (bool | Unset): False unlocks. Default: True.
     """

    locked: bool | Unset = True





    def to_dict(self) -> dict[str, Any]:
        locked = self.locked


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if locked is not UNSET:
            field_dict["locked"] = locked

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        locked = d.pop("locked", UNSET)

        lock_in = cls(
            locked=locked,
        )

        return lock_in

