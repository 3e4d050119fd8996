from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="SubscriptionIn")



@_attrs_define
class SubscriptionIn:
    """ Signed webhooks: Rueda POSTs each event's envelope to `url`, signed with `secret`.

        Attributes:
            event_types (list[str]): Event types to receive, e.g. `DealClosed`, or `*` for all.
            secret (str): HMAC-SHA256 key; never shown again.
            url (str): Where each event is POSTed.
            roundtable_id (None | str | Unset): Admins only: the roundtable to watch (default: every roundtable).
     """

    event_types: list[str]
    secret: str
    url: str
    roundtable_id: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        event_types = self.event_types



        secret = self.secret

        url = self.url

        roundtable_id: None | str | Unset
        if isinstance(self.roundtable_id, Unset):
            roundtable_id = UNSET
        else:
            roundtable_id = self.roundtable_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "event_types": event_types,
            "secret": secret,
            "url": url,
        })
        if roundtable_id is not UNSET:
            field_dict["roundtable_id"] = roundtable_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event_types = cast(list[str], d.pop("event_types"))


        secret = d.pop("secret")

        url = d.pop("url")

        def _parse_roundtable_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        roundtable_id = _parse_roundtable_id(d.pop("roundtable_id", UNSET))


        subscription_in = cls(
            event_types=event_types,
            secret=secret,
            url=url,
            roundtable_id=roundtable_id,
        )

        return subscription_in

