from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.meeting_out_status import MeetingOutStatus
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.meeting_out_local_times import MeetingOutLocalTimes
  from ..models.meeting_out_timezones import MeetingOutTimezones





T = TypeVar("T", bound="MeetingOut")



@_attrs_define
class MeetingOut:
    """ A meeting: UTC times, each party's local start, the video room.

        Attributes:
            ends_at (datetime.datetime | None): UTC; null while waiting for a slot.
            exporter_country (str): ISO 3166-1 alpha-2.
            exporter_id (str): The exporter party.
            importer_country (str): ISO 3166-1 alpha-2.
            importer_id (str): The importer party.
            join_url (None | str): The video room, once scheduled.
            local_times (MeetingOutLocalTimes): Start in each party's zone, by id.
            locked (bool): Optimisation never moves a locked meeting.
            meeting_id (str): The meeting's id.
            sequence (int): Raised on every change (the ICS SEQUENCE).
            starts_at (datetime.datetime | None): UTC; null while waiting for a slot.
            status (MeetingOutStatus): `waiting` has no slot yet (see `reason`).
            timezones (MeetingOutTimezones): Each party's IANA time zone, by id.
            reason (str | Unset): Why it waits, for a person. Default: ''.
            reason_code (None | str | Unset): Why it waits, machine-readable.
            table (int | None | Unset): Table number (in person), if any.
     """

    ends_at: datetime.datetime | None
    exporter_country: str
    exporter_id: str
    importer_country: str
    importer_id: str
    join_url: None | str
    local_times: MeetingOutLocalTimes
    locked: bool
    meeting_id: str
    sequence: int
    starts_at: datetime.datetime | None
    status: MeetingOutStatus
    timezones: MeetingOutTimezones
    reason: str | Unset = ''
    reason_code: None | str | Unset = UNSET
    table: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.meeting_out_local_times import MeetingOutLocalTimes # noqa: PLC0415
        from ..models.meeting_out_timezones import MeetingOutTimezones # noqa: PLC0415
        ends_at: None | str
        if isinstance(self.ends_at, datetime.datetime):
            ends_at = self.ends_at.isoformat()
        else:
            ends_at = self.ends_at

        exporter_country = self.exporter_country

        exporter_id = self.exporter_id

        importer_country = self.importer_country

        importer_id = self.importer_id

        join_url: None | str
        join_url = self.join_url

        local_times = self.local_times.to_dict()

        locked = self.locked

        meeting_id = self.meeting_id

        sequence = self.sequence

        starts_at: None | str
        if isinstance(self.starts_at, datetime.datetime):
            starts_at = self.starts_at.isoformat()
        else:
            starts_at = self.starts_at

        status = self.status.value

        timezones = self.timezones.to_dict()

        reason = self.reason

        reason_code: None | str | Unset
        if isinstance(self.reason_code, Unset):
            reason_code = UNSET
        else:
            reason_code = self.reason_code

        table: int | None | Unset
        if isinstance(self.table, Unset):
            table = UNSET
        else:
            table = self.table


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "ends_at": ends_at,
            "exporter_country": exporter_country,
            "exporter_id": exporter_id,
            "importer_country": importer_country,
            "importer_id": importer_id,
            "join_url": join_url,
            "local_times": local_times,
            "locked": locked,
            "meeting_id": meeting_id,
            "sequence": sequence,
            "starts_at": starts_at,
            "status": status,
            "timezones": timezones,
        })
        if reason is not UNSET:
            field_dict["reason"] = reason
        if reason_code is not UNSET:
            field_dict["reason_code"] = reason_code
        if table is not UNSET:
            field_dict["table"] = table

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.meeting_out_local_times import MeetingOutLocalTimes # noqa: PLC0415
        from ..models.meeting_out_timezones import MeetingOutTimezones # noqa: PLC0415
        d = dict(src_dict)
        def _parse_ends_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ends_at_type_0 = datetime.datetime.fromisoformat(data)



                return ends_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        ends_at = _parse_ends_at(d.pop("ends_at"))


        exporter_country = d.pop("exporter_country")

        exporter_id = d.pop("exporter_id")

        importer_country = d.pop("importer_country")

        importer_id = d.pop("importer_id")

        def _parse_join_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        join_url = _parse_join_url(d.pop("join_url"))


        local_times = MeetingOutLocalTimes.from_dict(d.pop("local_times"))




        locked = d.pop("locked")

        meeting_id = d.pop("meeting_id")

        sequence = d.pop("sequence")

        def _parse_starts_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                starts_at_type_0 = datetime.datetime.fromisoformat(data)



                return starts_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        starts_at = _parse_starts_at(d.pop("starts_at"))


        status = MeetingOutStatus(d.pop("status"))




        timezones = MeetingOutTimezones.from_dict(d.pop("timezones"))




        reason = d.pop("reason", UNSET)

        def _parse_reason_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason_code = _parse_reason_code(d.pop("reason_code", UNSET))


        def _parse_table(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        table = _parse_table(d.pop("table", UNSET))


        meeting_out = cls(
            ends_at=ends_at,
            exporter_country=exporter_country,
            exporter_id=exporter_id,
            importer_country=importer_country,
            importer_id=importer_id,
            join_url=join_url,
            local_times=local_times,
            locked=locked,
            meeting_id=meeting_id,
            sequence=sequence,
            starts_at=starts_at,
            status=status,
            timezones=timezones,
            reason=reason,
            reason_code=reason_code,
            table=table,
        )


        meeting_out.additional_properties = d
        return meeting_out

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
