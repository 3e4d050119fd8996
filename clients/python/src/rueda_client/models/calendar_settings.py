from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.calendar_settings_format import CalendarSettingsFormat
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.daily_window import DailyWindow
  from ..models.table import Table





T = TypeVar("T", bound="CalendarSettings")



@_attrs_define
class CalendarSettings:
    """ The roundtable's calendar: its days and slot rules, and where meetings happen.

    A ``virtual`` roundtable meets in video rooms. An ``in_person`` one meets at numbered
    tables of a venue (``venue_timezone``; ``tables`` or ``named_tables``): at most that
    many meetings at once. A ``hybrid`` one has tables for meetings whose two parties
    attend in person and video rooms for the rest.

        Attributes:
            days (list[datetime.date]): Roundtable days (local dates).
            buffer_minutes (int | Unset): Pause between two meetings. Default: 0.
            default_window (DailyWindow | Unset): A daily window in the participant's local time, e.g. 09:00-18:00.
            format_ (CalendarSettingsFormat | Unset): Where meetings happen. Default: CalendarSettingsFormat.VIRTUAL.
            lunch_break (DailyWindow | None | Unset): No meetings in this local window; it splits a day into a morning and
                an afternoon session (venue time when there is a venue).
            max_idle_gap_spread (int | None | Unset): Bound, in slots, on the difference of idle gaps between the
                participants who wait most and least.
            max_meetings_per_day (int | None | Unset): Per-participant daily cap, if any.
            named_tables (list[Table] | Unset): Tables by number, name, sector.
            slot_minutes (int | Unset): Length of a meeting. Default: 30.
            tables (int | None | Unset): Number of tables, numbered from 1.
            venue_timezone (None | str | Unset): IANA zone of the venue (in person, hybrid): agendas and sessions use it.
     """

    days: list[datetime.date]
    buffer_minutes: int | Unset = 0
    default_window: DailyWindow | Unset = UNSET
    format_: CalendarSettingsFormat | Unset = CalendarSettingsFormat.VIRTUAL
    lunch_break: DailyWindow | None | Unset = UNSET
    max_idle_gap_spread: int | None | Unset = UNSET
    max_meetings_per_day: int | None | Unset = UNSET
    named_tables: list[Table] | Unset = UNSET
    slot_minutes: int | Unset = 30
    tables: int | None | Unset = UNSET
    venue_timezone: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.daily_window import DailyWindow # noqa: PLC0415
        from ..models.table import Table # noqa: PLC0415
        days = []
        for days_item_data in self.days:
            days_item = days_item_data.isoformat()
            days.append(days_item)



        buffer_minutes = self.buffer_minutes

        default_window: dict[str, Any] | Unset = UNSET
        if not isinstance(self.default_window, Unset):
            default_window = self.default_window.to_dict()

        format_: str | Unset = UNSET
        if not isinstance(self.format_, Unset):
            format_ = self.format_.value


        lunch_break: dict[str, Any] | None | Unset
        if isinstance(self.lunch_break, Unset):
            lunch_break = UNSET
        elif isinstance(self.lunch_break, DailyWindow):
            lunch_break = self.lunch_break.to_dict()
        else:
            lunch_break = self.lunch_break

        max_idle_gap_spread: int | None | Unset
        if isinstance(self.max_idle_gap_spread, Unset):
            max_idle_gap_spread = UNSET
        else:
            max_idle_gap_spread = self.max_idle_gap_spread

        max_meetings_per_day: int | None | Unset
        if isinstance(self.max_meetings_per_day, Unset):
            max_meetings_per_day = UNSET
        else:
            max_meetings_per_day = self.max_meetings_per_day

        named_tables: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.named_tables, Unset):
            named_tables = []
            for named_tables_item_data in self.named_tables:
                named_tables_item = named_tables_item_data.to_dict()
                named_tables.append(named_tables_item)



        slot_minutes = self.slot_minutes

        tables: int | None | Unset
        if isinstance(self.tables, Unset):
            tables = UNSET
        else:
            tables = self.tables

        venue_timezone: None | str | Unset
        if isinstance(self.venue_timezone, Unset):
            venue_timezone = UNSET
        else:
            venue_timezone = self.venue_timezone


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "days": days,
        })
        if buffer_minutes is not UNSET:
            field_dict["buffer_minutes"] = buffer_minutes
        if default_window is not UNSET:
            field_dict["default_window"] = default_window
        if format_ is not UNSET:
            field_dict["format"] = format_
        if lunch_break is not UNSET:
            field_dict["lunch_break"] = lunch_break
        if max_idle_gap_spread is not UNSET:
            field_dict["max_idle_gap_spread"] = max_idle_gap_spread
        if max_meetings_per_day is not UNSET:
            field_dict["max_meetings_per_day"] = max_meetings_per_day
        if named_tables is not UNSET:
            field_dict["named_tables"] = named_tables
        if slot_minutes is not UNSET:
            field_dict["slot_minutes"] = slot_minutes
        if tables is not UNSET:
            field_dict["tables"] = tables
        if venue_timezone is not UNSET:
            field_dict["venue_timezone"] = venue_timezone

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.daily_window import DailyWindow # noqa: PLC0415
        from ..models.table import Table # noqa: PLC0415
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




        _format_ = d.pop("format", UNSET)
        format_: CalendarSettingsFormat | Unset
        if isinstance(_format_,  Unset):
            format_ = UNSET
        else:
            format_ = CalendarSettingsFormat(_format_)




        def _parse_lunch_break(data: object) -> DailyWindow | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                lunch_break_type_0 = DailyWindow.from_dict(data)



                return lunch_break_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DailyWindow | None | Unset, data)

        lunch_break = _parse_lunch_break(d.pop("lunch_break", UNSET))


        def _parse_max_idle_gap_spread(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_idle_gap_spread = _parse_max_idle_gap_spread(d.pop("max_idle_gap_spread", UNSET))


        def _parse_max_meetings_per_day(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_meetings_per_day = _parse_max_meetings_per_day(d.pop("max_meetings_per_day", UNSET))


        _named_tables = d.pop("named_tables", UNSET)
        named_tables: list[Table] | Unset = UNSET
        if _named_tables is not UNSET:
            named_tables = []
            for named_tables_item_data in _named_tables:
                named_tables_item = Table.from_dict(named_tables_item_data)



                named_tables.append(named_tables_item)


        slot_minutes = d.pop("slot_minutes", UNSET)

        def _parse_tables(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        tables = _parse_tables(d.pop("tables", UNSET))


        def _parse_venue_timezone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        venue_timezone = _parse_venue_timezone(d.pop("venue_timezone", UNSET))


        calendar_settings = cls(
            days=days,
            buffer_minutes=buffer_minutes,
            default_window=default_window,
            format_=format_,
            lunch_break=lunch_break,
            max_idle_gap_spread=max_idle_gap_spread,
            max_meetings_per_day=max_meetings_per_day,
            named_tables=named_tables,
            slot_minutes=slot_minutes,
            tables=tables,
            venue_timezone=venue_timezone,
        )

        return calendar_settings

