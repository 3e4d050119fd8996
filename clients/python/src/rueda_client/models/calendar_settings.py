from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.daily_window import DailyWindow





T = TypeVar("T", bound="CalendarSettings")



@_attrs_define
class CalendarSettings:
    """ The roundtable's calendar: its days and slot rules.

        Attributes:
            days (list[datetime.date]): Roundtable days (local dates).
            buffer_minutes (int | Unset): Pause between two meetings. Default: 0.
            default_window (DailyWindow | Unset): A daily window in the participant's local time, e.g. 09:00-18:00.
            max_meetings_per_day (int | None | Unset): Per-participant daily cap, if any.
            slot_minutes (int | Unset): Length of a meeting. Default: 30.
     """

    days: list[datetime.date]
    buffer_minutes: int | Unset = 0
    default_window: DailyWindow | Unset = UNSET
    max_meetings_per_day: int | None | Unset = UNSET
    slot_minutes: int | Unset = 30





    def to_dict(self) -> dict[str, Any]:
        from ..models.daily_window import DailyWindow # noqa: PLC0415
        days = []
        for days_item_data in self.days:
            days_item = days_item_data.isoformat()
            days.append(days_item)



        buffer_minutes = self.buffer_minutes

        default_window: dict[str, Any] | Unset = UNSET
        if not isinstance(self.default_window, Unset):
            default_window = self.default_window.to_dict()

        max_meetings_per_day: int | None | Unset
        if isinstance(self.max_meetings_per_day, Unset):
            max_meetings_per_day = UNSET
        else:
            max_meetings_per_day = self.max_meetings_per_day

        slot_minutes = self.slot_minutes


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "days": days,
        })
        if buffer_minutes is not UNSET:
            field_dict["buffer_minutes"] = buffer_minutes
        if default_window is not UNSET:
            field_dict["default_window"] = default_window
        if max_meetings_per_day is not UNSET:
            field_dict["max_meetings_per_day"] = max_meetings_per_day
        if slot_minutes is not UNSET:
            field_dict["slot_minutes"] = slot_minutes

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.daily_window import DailyWindow # noqa: PLC0415
        d = dict(src_dict)
        days = []
        _days = d.pop("days")
        for days_item_data in (_days):
            days_item = datetime.date.fromisoformat(days_item_data)



            days.append(days_item)


        buffer_minutes = d.pop("buffer_minutes", UNSET)

        _default_window = d.pop("default_window", UNSET)
        default_window: DailyWindow | Unset
        if isinstance(_default_window,  Unset):
            default_window = UNSET
        else:
            default_window = DailyWindow.from_dict(_default_window)




        def _parse_max_meetings_per_day(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_meetings_per_day = _parse_max_meetings_per_day(d.pop("max_meetings_per_day", UNSET))


        slot_minutes = d.pop("slot_minutes", UNSET)

        calendar_settings = cls(
            days=days,
            buffer_minutes=buffer_minutes,
            default_window=default_window,
            max_meetings_per_day=max_meetings_per_day,
            slot_minutes=slot_minutes,
        )

        return calendar_settings

