from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.attendance_in_status import AttendanceInStatus






T = TypeVar("T", bound="AttendanceIn")



@_attrs_define
class AttendanceIn:
    """ Whether a meeting took place.

        Attributes:
            status (AttendanceInStatus): `held` lets both sides report outcomes.
     """

    status: AttendanceInStatus





    def to_dict(self) -> dict[str, Any]:
        status = self.status.value


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "status": status,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status = AttendanceInStatus(d.pop("status"))




        attendance_in = cls(
            status=status,
        )

        return attendance_in

