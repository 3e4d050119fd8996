from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="DailyWindow")



@_attrs_define
class DailyWindow:
    """ A daily window in the participant's local time, e.g. 09:00-18:00.

        Attributes:
            end (str | Unset): HH:MM Default: '18:00'.
            start (str | Unset): HH:MM Default: '09:00'.
     """

    end: str | Unset = '18:00'
    start: str | Unset = '09:00'





    def to_dict(self) -> dict[str, Any]:
        end = self.end

        start = self.start


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if end is not UNSET:
            field_dict["end"] = end
        if start is not UNSET:
            field_dict["start"] = start

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        end = d.pop("end", UNSET)

        start = d.pop("start", UNSET)

        daily_window = cls(
            end=end,
            start=start,
        )

        return daily_window

