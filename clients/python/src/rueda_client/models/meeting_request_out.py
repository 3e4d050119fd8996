from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.meeting_request_out_status import MeetingRequestOutStatus
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.meeting_request_out_countries import MeetingRequestOutCountries





T = TypeVar("T", bound="MeetingRequestOut")



@_attrs_define
class MeetingRequestOut:
    """ A meeting request (request mode) and where it stands.

        Attributes:
            countries (MeetingRequestOutCountries): Country of each party (null once a party has withdrawn).
            created_at (datetime.datetime): UTC.
            expires_at (datetime.datetime): UTC; a pending request expires then.
            exporter_id (str): The exporter party.
            importer_id (str): The importer party.
            request_id (str): The request's id.
            requested_by (str): The participant who asked.
            requested_of (str): The participant who must answer.
            status (MeetingRequestOutStatus): An accepted request becomes an agreed meeting.
     """

    countries: MeetingRequestOutCountries
    created_at: datetime.datetime
    expires_at: datetime.datetime
    exporter_id: str
    importer_id: str
    request_id: str
    requested_by: str
    requested_of: str
    status: MeetingRequestOutStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.meeting_request_out_countries import MeetingRequestOutCountries # noqa: PLC0415
        countries = self.countries.to_dict()

        created_at = self.created_at.isoformat()

        expires_at = self.expires_at.isoformat()

        exporter_id = self.exporter_id

        importer_id = self.importer_id

        request_id = self.request_id

        requested_by = self.requested_by

        requested_of = self.requested_of

        status = self.status.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "countries": countries,
            "created_at": created_at,
            "expires_at": expires_at,
            "exporter_id": exporter_id,
            "importer_id": importer_id,
            "request_id": request_id,
            "requested_by": requested_by,
            "requested_of": requested_of,
            "status": status,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.meeting_request_out_countries import MeetingRequestOutCountries # noqa: PLC0415
        d = dict(src_dict)
        countries = MeetingRequestOutCountries.from_dict(d.pop("countries"))




        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))




        exporter_id = d.pop("exporter_id")

        importer_id = d.pop("importer_id")

        request_id = d.pop("request_id")

        requested_by = d.pop("requested_by")

        requested_of = d.pop("requested_of")

        status = MeetingRequestOutStatus(d.pop("status"))




        meeting_request_out = cls(
            countries=countries,
            created_at=created_at,
            expires_at=expires_at,
            exporter_id=exporter_id,
            importer_id=importer_id,
            request_id=request_id,
            requested_by=requested_by,
            requested_of=requested_of,
            status=status,
        )


        meeting_request_out.additional_properties = d
        return meeting_request_out

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
