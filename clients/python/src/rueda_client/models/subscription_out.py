from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="SubscriptionOut")



@_attrs_define
class SubscriptionOut:
    """ A webhook subscription, without its secret.

        Attributes:
            active (bool): False once deleted.
            created_at (datetime.datetime): UTC.
            event_types (list[str]): Event types sent.
            owner_country (None | str): An agency's country.
            owner_role (str): Role that created it.
            roundtable_id (str): Its roundtable, or `*` for all.
            subscription_id (str): The subscription's id.
            url (str): Where events are POSTed.
     """

    active: bool
    created_at: datetime.datetime
    event_types: list[str]
    owner_country: None | str
    owner_role: str
    roundtable_id: str
    subscription_id: str
    url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        active = self.active

        created_at = self.created_at.isoformat()

        event_types = self.event_types



        owner_country: None | str
        owner_country = self.owner_country

        owner_role = self.owner_role

        roundtable_id = self.roundtable_id

        subscription_id = self.subscription_id

        url = self.url


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "active": active,
            "created_at": created_at,
            "event_types": event_types,
            "owner_country": owner_country,
            "owner_role": owner_role,
            "roundtable_id": roundtable_id,
            "subscription_id": subscription_id,
            "url": url,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        active = d.pop("active")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        event_types = cast(list[str], d.pop("event_types"))


        def _parse_owner_country(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        owner_country = _parse_owner_country(d.pop("owner_country"))


        owner_role = d.pop("owner_role")

        roundtable_id = d.pop("roundtable_id")

        subscription_id = d.pop("subscription_id")

        url = d.pop("url")

        subscription_out = cls(
            active=active,
            created_at=created_at,
            event_types=event_types,
            owner_country=owner_country,
            owner_role=owner_role,
            roundtable_id=roundtable_id,
            subscription_id=subscription_id,
            url=url,
        )


        subscription_out.additional_properties = d
        return subscription_out

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
