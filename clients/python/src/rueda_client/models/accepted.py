from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="Accepted")



@_attrs_define
class Accepted:
    """ A write was accepted for processing; follow `status_url` for its outcome.

        Attributes:
            command_id (str): The command's id (also its event_id on Kafka).
            status (str): `pending` until the owning service has processed it.
            status_url (str): GET it to see whether the command was carried out.
            meeting_id (None | str | Unset): The meeting concerned.
            outcome_id (None | str | Unset): The outcome recorded.
            participant_id (None | str | Unset): The participant concerned.
            request_id (None | str | Unset): The meeting request concerned.
            roundtable_id (None | str | Unset): The roundtable concerned.
            subscription_id (None | str | Unset): The subscription concerned.
     """

    command_id: str
    status: str
    status_url: str
    meeting_id: None | str | Unset = UNSET
    outcome_id: None | str | Unset = UNSET
    participant_id: None | str | Unset = UNSET
    request_id: None | str | Unset = UNSET
    roundtable_id: None | str | Unset = UNSET
    subscription_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        command_id = self.command_id

        status = self.status

        status_url = self.status_url

        meeting_id: None | str | Unset
        if isinstance(self.meeting_id, Unset):
            meeting_id = UNSET
        else:
            meeting_id = self.meeting_id

        outcome_id: None | str | Unset
        if isinstance(self.outcome_id, Unset):
            outcome_id = UNSET
        else:
            outcome_id = self.outcome_id

        participant_id: None | str | Unset
        if isinstance(self.participant_id, Unset):
            participant_id = UNSET
        else:
            participant_id = self.participant_id

        request_id: None | str | Unset
        if isinstance(self.request_id, Unset):
            request_id = UNSET
        else:
            request_id = self.request_id

        roundtable_id: None | str | Unset
        if isinstance(self.roundtable_id, Unset):
            roundtable_id = UNSET
        else:
            roundtable_id = self.roundtable_id

        subscription_id: None | str | Unset
        if isinstance(self.subscription_id, Unset):
            subscription_id = UNSET
        else:
            subscription_id = self.subscription_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "command_id": command_id,
            "status": status,
            "status_url": status_url,
        })
        if meeting_id is not UNSET:
            field_dict["meeting_id"] = meeting_id
        if outcome_id is not UNSET:
            field_dict["outcome_id"] = outcome_id
        if participant_id is not UNSET:
            field_dict["participant_id"] = participant_id
        if request_id is not UNSET:
            field_dict["request_id"] = request_id
        if roundtable_id is not UNSET:
            field_dict["roundtable_id"] = roundtable_id
        if subscription_id is not UNSET:
            field_dict["subscription_id"] = subscription_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        command_id = d.pop("command_id")

        status = d.pop("status")

        status_url = d.pop("status_url")

        def _parse_meeting_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        meeting_id = _parse_meeting_id(d.pop("meeting_id", UNSET))


        def _parse_outcome_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        outcome_id = _parse_outcome_id(d.pop("outcome_id", UNSET))


        def _parse_participant_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        participant_id = _parse_participant_id(d.pop("participant_id", UNSET))


        def _parse_request_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        request_id = _parse_request_id(d.pop("request_id", UNSET))


        def _parse_roundtable_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        roundtable_id = _parse_roundtable_id(d.pop("roundtable_id", UNSET))


        def _parse_subscription_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subscription_id = _parse_subscription_id(d.pop("subscription_id", UNSET))


        accepted = cls(
            command_id=command_id,
            status=status,
            status_url=status_url,
            meeting_id=meeting_id,
            outcome_id=outcome_id,
            participant_id=participant_id,
            request_id=request_id,
            roundtable_id=roundtable_id,
            subscription_id=subscription_id,
        )


        accepted.additional_properties = d
        return accepted

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
