from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.delivery_out_channel import DeliveryOutChannel
from ..models.delivery_out_status import DeliveryOutStatus
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="DeliveryOut")



@_attrs_define
class DeliveryOut:
    """ One notification to a participant and where it stands.

        Attributes:
            attempts (int): Send attempts so far.
            channel (DeliveryOutChannel): How it is sent.
            created_at (datetime.datetime): UTC.
            kind (str): What it tells.
            notification_id (str): The delivery's id.
            source_id (str): Source event id, or reminder id for reminders.
            status (DeliveryOutStatus): Where it stands.
            last_error (None | str | Unset): The last failure, if any.
            sent_at (datetime.datetime | None | Unset): UTC, once sent.
     """

    attempts: int
    channel: DeliveryOutChannel
    created_at: datetime.datetime
    kind: str
    notification_id: str
    source_id: str
    status: DeliveryOutStatus
    last_error: None | str | Unset = UNSET
    sent_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        attempts = self.attempts

        channel = self.channel.value

        created_at = self.created_at.isoformat()

        kind = self.kind

        notification_id = self.notification_id

        source_id = self.source_id

        status = self.status.value

        last_error: None | str | Unset
        if isinstance(self.last_error, Unset):
            last_error = UNSET
        else:
            last_error = self.last_error

        sent_at: None | str | Unset
        if isinstance(self.sent_at, Unset):
            sent_at = UNSET
        elif isinstance(self.sent_at, datetime.datetime):
            sent_at = self.sent_at.isoformat()
        else:
            sent_at = self.sent_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "attempts": attempts,
            "channel": channel,
            "created_at": created_at,
            "kind": kind,
            "notification_id": notification_id,
            "source_id": source_id,
            "status": status,
        })
        if last_error is not UNSET:
            field_dict["last_error"] = last_error
        if sent_at is not UNSET:
            field_dict["sent_at"] = sent_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        attempts = d.pop("attempts")

        channel = DeliveryOutChannel(d.pop("channel"))




        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        kind = d.pop("kind")

        notification_id = d.pop("notification_id")

        source_id = d.pop("source_id")

        status = DeliveryOutStatus(d.pop("status"))




        def _parse_last_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_error = _parse_last_error(d.pop("last_error", UNSET))


        def _parse_sent_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sent_at_type_0 = datetime.datetime.fromisoformat(data)



                return sent_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        sent_at = _parse_sent_at(d.pop("sent_at", UNSET))


        delivery_out = cls(
            attempts=attempts,
            channel=channel,
            created_at=created_at,
            kind=kind,
            notification_id=notification_id,
            source_id=source_id,
            status=status,
            last_error=last_error,
            sent_at=sent_at,
        )


        delivery_out.additional_properties = d
        return delivery_out

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
