from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.participant_out_role import ParticipantOutRole
from ..models.participant_out_status import ParticipantOutStatus
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.participant_profile import ParticipantProfile





T = TypeVar("T", bound="ParticipantOut")



@_attrs_define
class ParticipantOut:
    """ A registered company and where its registration stands.

        Attributes:
            country (str): ISO 3166-1 alpha-2.
            participant_id (str): The participant's id.
            profile (ParticipantProfile): Everything the pipeline knows about a participant.
            reason (str): The reviewer's or withdrawal's reason.
            registered_at (datetime.datetime): When registration recorded it (UTC).
            reviewed_by (str): Role that reviewed it, if any.
            role (ParticipantOutRole): Its role.
            roundtable_id (str): Its roundtable.
            status (ParticipantOutStatus): `pending` until its agency (or the organizer) reviews it.
     """

    country: str
    participant_id: str
    profile: ParticipantProfile
    reason: str
    registered_at: datetime.datetime
    reviewed_by: str
    role: ParticipantOutRole
    roundtable_id: str
    status: ParticipantOutStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.participant_profile import ParticipantProfile # noqa: PLC0415
        country = self.country

        participant_id = self.participant_id

        profile = self.profile.to_dict()

        reason = self.reason

        registered_at = self.registered_at.isoformat()

        reviewed_by = self.reviewed_by

        role = self.role.value

        roundtable_id = self.roundtable_id

        status = self.status.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "country": country,
            "participant_id": participant_id,
            "profile": profile,
            "reason": reason,
            "registered_at": registered_at,
            "reviewed_by": reviewed_by,
            "role": role,
            "roundtable_id": roundtable_id,
            "status": status,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.participant_profile import ParticipantProfile # noqa: PLC0415
        d = dict(src_dict)
        country = d.pop("country")

        participant_id = d.pop("participant_id")

        profile = ParticipantProfile.from_dict(d.pop("profile"))




        reason = d.pop("reason")

        registered_at = datetime.datetime.fromisoformat(d.pop("registered_at"))




        reviewed_by = d.pop("reviewed_by")

        role = ParticipantOutRole(d.pop("role"))




        roundtable_id = d.pop("roundtable_id")

        status = ParticipantOutStatus(d.pop("status"))




        participant_out = cls(
            country=country,
            participant_id=participant_id,
            profile=profile,
            reason=reason,
            registered_at=registered_at,
            reviewed_by=reviewed_by,
            role=role,
            roundtable_id=roundtable_id,
            status=status,
        )


        participant_out.additional_properties = d
        return participant_out

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
