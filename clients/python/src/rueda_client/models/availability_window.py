from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="AvailabilityWindow")



@_attrs_define
class AvailabilityWindow:
    """ A window on one roundtable day, in the participant's own local date and time.

        Attributes:
            date (datetime.date): A roundtable day, local date.
            end (str): HH:MM
            start (str): HH:MM
     """

    date: datetime.date
    end: str
    start: str





    def to_dict(self) -> dict[str, Any]:
        date = self.date.isoformat()

        end = self.end

        start = self.start


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "date": date,
            "end": end,
            "start": start,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        date = datetime.date.fromisoformat(d.pop("date"))




        end = d.pop("end")

        start = d.pop("start")

        availability_window = cls(
            date=date,
            end=end,
            start=start,
        )

        return availability_window

